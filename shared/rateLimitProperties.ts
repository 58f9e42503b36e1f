import type { INodeProperties } from 'n8n-workflow';

/** Bitrix24's request limits depend on the portal's plan; the node's rate limiter is sized by it. */
const planProperty: INodeProperties = {
	displayName: 'Plan',
	name: 'plan',
	type: 'options',
	options: [
		{ name: 'Standard (Burst 50, 2 Requests per Second)', value: 'standard' },
		{ name: 'Enterprise (Burst 250, 5 Requests per Second)', value: 'enterprise' },
	],
	default: 'standard',
	description:
		'The Bitrix24 plan of the portal. It sets how fast the node may send requests without being refused.',
};

/**
 * Bitrix24 counts requests per portal AND source address, while each n8n process keeps its own
 * limiter: processes sharing an address must share the limit, or together they overrun it.
 */
const processesProperty: INodeProperties = {
	displayName: 'n8n Processes Sharing the Limit',
	name: 'processes',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 1,
	description:
		"How many n8n processes call this portal at the same time from one address (in queue mode: the workers, plus the main process if it runs workflows). Each process then keeps to its share of the portal's limit, so that together they never exceed it.",
};

/** The credential fields that size the node's rate limiter. */
export const rateLimitProperties: INodeProperties[] = [planProperty, processesProperty];
