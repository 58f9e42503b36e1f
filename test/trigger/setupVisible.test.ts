/**
 * The trigger's setup is visible: while the user listens for a test event, an event whose
 * application token does not match shows an error in the editor; the production URL keeps the
 * quiet 401. The subtitle names the events in words.
 */
import { NodeOperationError, Workflow, type INode } from 'n8n-workflow';

import { Bitrix24TelephonyTrigger } from '../../nodes/Bitrix24TelephonyTrigger/Bitrix24TelephonyTrigger.node';
import { TRIGGER_TYPE } from '../helpers/webhookRunner';
import {
	expectNoSecrets,
	OUTBOUND_TOKEN,
	outboundCredentials,
	triggerWorkflow,
	useTriggerEnvironment,
	visibleText,
} from './environment';

const { portal, n8n } = useTriggerEnvironment();
const FORGED = 'forgedtoken0000000000000000000000';

function setUp() {
	return triggerWorkflow(n8n(), {
		parameters: { authentication: 'outboundWebhook', events: ['ONEXTERNALCALLSTART'] },
		credentials: outboundCredentials(OUTBOUND_TOKEN),
	});
}

describe('a wrong application token', () => {
	test('while listening for a test event: an error in the editor, naming where the token is', async () => {
		const workflow = setUp();
		portal().events.addOutboundWebhook({
			url: workflow.webhookUrl(true),
			events: ['ONEXTERNALCALLSTART'],
			applicationToken: FORGED,
		});
		const { deliveries } = await portal().events.clickToCall({
			userId: 2,
			phoneNumber: '+4915112345678',
		});
		const toTestUrl = deliveries.find((delivery) => delivery.url === workflow.webhookUrl(true));
		expect(toTestUrl?.status).toBe(500);
		const error = workflow.calls.at(-1)?.error;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe(
			"The test event's application token does not match the one in the credential, so the event was refused",
		);
		expect((error as NodeOperationError).description).toContain('Application token');
		expect(await workflow.runs()).toHaveLength(0);
		expectNoSecrets(await visibleText(workflow), [OUTBOUND_TOKEN, FORGED]);
	});

	test('on the production URL: the quiet 401, no error', async () => {
		const workflow = setUp();
		portal().events.addOutboundWebhook({
			url: workflow.webhookUrl(),
			events: ['ONEXTERNALCALLSTART'],
			applicationToken: FORGED,
		});
		const { deliveries } = await portal().events.clickToCall({
			userId: 2,
			phoneNumber: '+4915112345678',
		});
		const toProduction = deliveries.find((delivery) => delivery.url === workflow.webhookUrl());
		expect(toProduction?.status).toBe(401);
		expect(workflow.calls.every((call) => call.error === undefined)).toBe(true);
		expect(await workflow.runs()).toHaveLength(0);
	});
});

describe('what the editor shows', () => {
	const trigger = new Bitrix24TelephonyTrigger();

	function subtitle(events: string[]): unknown {
		const node: INode = {
			id: 't',
			name: 'Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { authentication: 'outboundWebhook', events },
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: {
				getByName: () => trigger,
				getByNameAndVersion: () => trigger,
				getKnownTypes: () => ({}),
			},
		});
		return workflow.expression.getSimpleParameterValue(
			node,
			trigger.description.subtitle as string,
			'internal',
			{},
		);
	}

	test('the subtitle names the events in words', () => {
		expect(subtitle(['ONEXTERNALCALLSTART'])).toBe('Click-to-call');
		expect(subtitle(['ONEXTERNALCALLSTART', 'ONEXTERNALCALLBACKSTART'])).toBe(
			'Click-to-call, Callback requested',
		);
	});

	test('the setup notices are numbered steps in the only tags n8n keeps in a notice (a, ul, li)', () => {
		const notices = trigger.description.properties.filter((p) => p.type === 'notice');
		// Version 1: webhook and OAuth2; version 1.1: the same two and the token setup.
		expect(notices.map((notice) => notice.name)).toEqual([
			'outboundWebhookNotice',
			'outboundWebhookNotice',
			'oAuth2Notice',
			'oAuth2Notice',
			'tokenSetupNotice',
		]);
		for (const notice of notices) {
			const tags = [...notice.displayName.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]);
			expect(new Set(tags)).toEqual(new Set(['ul', 'li']));
			const items = [...notice.displayName.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1]);
			expect(items.length).toBeGreaterThanOrEqual(4);
			items.forEach((item, index) => expect(item.startsWith(`${index + 1}. `)).toBe(true));
		}
	});
});
