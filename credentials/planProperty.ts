import type { INodeProperties } from 'n8n-workflow';

/** Bitrix24's request limits depend on the portal's plan; the node's rate limiter is sized by it. */
export const planProperty: INodeProperties = {
	displayName: 'Plan',
	name: 'plan',
	type: 'options',
	options: [
		{ name: 'Standard (Burst 50, 2 Requests per Second)', value: 'standard' },
		{ name: 'Enterprise (Burst 250, 5 Requests per Second)', value: 'enterprise' },
	],
	default: 'standard',
	description: 'The Bitrix24 plan of the portal. It sets how fast the node may send requests without being refused.',
};
