/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * The example workflows in examples/, the credentials they reference, and the PBX payloads they
 * expect: shared by the e2e suite (which runs every example) and the demo.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import type { Sandbox } from '../../sandbox';

import type { CredentialData, WorkflowFile } from './home';
import { REPO_ROOT } from './pack';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** The credentials the examples reference, by id and name; import them under these ids. */
export const EXAMPLE_CREDENTIALS = {
	webhook: { id: 'b24cred0000000001', name: 'Bitrix24 account', type: 'bitrix24WebhookApi' },
	/** Register, Finish, Log Completed Call and lines work only for applications on current portals. */
	oAuth2: { id: 'b24cred0000000003', name: 'Bitrix24 OAuth2 account', type: 'bitrix24OAuth2Api' },
	outboundWebhook: {
		id: 'b24cred0000000002',
		name: 'Bitrix24 outbound webhook',
		type: 'bitrix24OutboundWebhookApi',
	},
} as const;

/** A node's `credentials` entry for one of the examples' credentials: `{ [type]: { id, name } }`. */
export function exampleCredentialReference(
	kind: keyof typeof EXAMPLE_CREDENTIALS,
): Record<string, { id: string; name: string }> {
	const { type, id, name } = EXAMPLE_CREDENTIALS[kind];
	return { [type]: { id, name } };
}

export const EXAMPLES = {
	pbxIncomingCall: {
		file: 'pbx-incoming-call.json',
		id: 'b24exPbxIncoming',
		webhookPath: 'bitrix24/pbx-call',
	},
	pbxCallEnded: {
		file: 'pbx-call-ended.json',
		id: 'b24exCallEnded01',
		webhookPath: 'bitrix24/pbx-call-ended',
	},
	cdrCsvImport: { file: 'cdr-csv-import.json', id: 'b24exCdrCsvBulk1' },
	clickToCall: {
		file: 'click-to-call.json',
		id: 'b24exClickToCall',
		triggerNode: 'Click-to-call in Bitrix24',
	},
	pbxOutgoingCall: {
		file: 'pbx-outgoing-call.json',
		id: 'b24exPbxOutgoing',
		webhookPath: 'bitrix24/pbx-outgoing',
	},
	queueCall: { file: 'queue-call.json', id: 'b24exQueueCall01' },
	freePbxDialplan: {
		file: 'freepbx-dialplan.json',
		id: 'b24exFreePbxCurl',
		startPath: 'bitrix24/freepbx/start',
		endPath: 'bitrix24/freepbx/end',
	},
	threeCxJournal: {
		file: '3cx-call-journal.json',
		id: 'b24ex3cxJournal1',
		webhookPath: 'bitrix24/3cx/journal',
	},
	twilioStatusCallback: {
		file: 'twilio-status-callback.json',
		id: 'b24exTwilioStat1',
		webhookPath: 'bitrix24/twilio/status',
	},
	zadarmaNotify: {
		file: 'zadarma-notify.json',
		id: 'b24exZadarmaNtf1',
		webhookPath: 'bitrix24/zadarma',
	},
	missedCallNotify: {
		file: 'missed-call-notify.json',
		id: 'b24exMissedCall1',
		webhookPath: 'bitrix24/missed-call',
	},
	callTransfer: {
		file: 'call-transfer.json',
		id: 'b24exTransfer001',
		webhookPath: 'bitrix24/transfer',
	},
	routeToManager: {
		file: 'route-to-manager.json',
		id: 'b24exRouteMgr001',
		webhookPath: 'bitrix24/route-to-manager',
	},
	aiVoiceAgents: {
		file: 'ai-voice-agents.json',
		id: 'b24exAiVoice0001',
		vapiPath: 'bitrix24/ai/vapi',
		retellPath: 'bitrix24/ai/retell',
		elevenLabsPath: 'bitrix24/ai/elevenlabs',
	},
} as const;

export type ExampleName = keyof typeof EXAMPLES;

/**
 * A fixed version id for a workflow file, derived from its id. n8n 2.0.x's `import:workflow`
 * keeps the file's `versionId` and needs one to write the workflow's history row, which
 * `publish:workflow` activates; later versions replace it with a fresh id, 1.x ignore history.
 */
export function versionIdFor(workflowId: string): string {
	const hex = createHash('sha1').update(`n8n-nodes-bitrix24-telephony/${workflowId}`).digest('hex');
	return [
		hex.slice(0, 8),
		hex.slice(8, 12),
		hex.slice(12, 16),
		hex.slice(16, 20),
		hex.slice(20, 32),
	].join('-');
}

export function loadExample(name: ExampleName): WorkflowFile {
	return JSON.parse(
		fs.readFileSync(path.join(EXAMPLES_DIR, EXAMPLES[name].file), 'utf8'),
	) as WorkflowFile;
}

/**
 * The local application of the examples' OAuth2 credential, registered on a sandbox portal, with
 * tokens its OAuth server issued: what n8n holds after "Connect my account" (the credential's
 * `oauthTokenData`). n8n renews them through the same server when they expire.
 */
export interface ExampleOAuthApp {
	portalUrl: string;
	oauthServerUrl: string;
	clientId: string;
	clientSecret: string;
	applicationToken: string;
	tokens: Record<string, unknown>;
}

export function registerExampleApp(sandbox: Sandbox): ExampleOAuthApp {
	const clientId = 'local.e2e0examples0.00000001';
	const app = sandbox.oauth.registerApp({
		clientId,
		clientSecret: randomBytes(20).toString('hex'),
		name: 'n8n examples',
		scopes: ['telephony', 'crm', 'user'],
	});
	return {
		portalUrl: sandbox.url,
		oauthServerUrl: sandbox.url,
		clientId,
		clientSecret: app.clientSecret,
		applicationToken: app.applicationToken,
		tokens: { ...sandbox.oauth.issueTokens(clientId) },
	};
}

export function exampleCredentials(values: {
	webhookUrl: string;
	applicationToken: string;
	oAuth2?: ExampleOAuthApp;
}): CredentialData[] {
	const credentials: CredentialData[] = [
		{ ...EXAMPLE_CREDENTIALS.webhook, data: { webhookUrl: values.webhookUrl } },
		{ ...EXAMPLE_CREDENTIALS.outboundWebhook, data: { applicationToken: values.applicationToken } },
	];
	if (values.oAuth2) {
		const { tokens, ...fields } = values.oAuth2;
		credentials.push({
			...EXAMPLE_CREDENTIALS.oAuth2,
			data: { ...fields, oauthTokenData: tokens },
		});
	}
	return credentials;
}

interface SetAssignment {
	name: string;
	value: unknown;
}

/**
 * A copy of the workflow with values of its "Settings" node replaced: the one node of an example
 * a user edits (URLs of their PBX or chat), and the one the suite points at its fakes.
 */
export function withSettings(workflow: WorkflowFile, values: Record<string, string>): WorkflowFile {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowFile;
	const settings = copy.nodes.find((node) => node.name === 'Settings');
	if (!settings) throw new Error(`Workflow "${workflow.name}" has no Settings node`);
	const assignments = (settings.parameters.assignments as { assignments: SetAssignment[] })
		.assignments;
	for (const [name, value] of Object.entries(values)) {
		const assignment = assignments.find((candidate) => candidate.name === name);
		if (!assignment)
			throw new Error(`The Settings node of "${workflow.name}" has no field "${name}"`);
		assignment.value = value;
	}
	return copy;
}

/**
 * The production webhook path of a trigger node: n8n serves a node's webhook at
 * `<webhookId>/<path>`, and our trigger's path is "webhook".
 */
export function triggerWebhookPath(workflow: WorkflowFile, nodeName: string): string {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (!node || typeof node.webhookId !== 'string')
		throw new Error(`Node "${nodeName}" has no webhookId`);
	return `${node.webhookId}/webhook`;
}

/** What an Asterisk dialplan or AMI bridge POSTs when a call starts (the PBX example's input). */
export interface PbxCallStarted {
	linkedid: string;
	calleridnum: string;
	exten: string;
	did: string;
	direction: 'inbound' | 'outbound';
	timestamp: string;
}

export function pbxCallStarted(call: {
	linkedid: string;
	from: string;
	extension: string;
	line: string;
}): PbxCallStarted {
	return {
		linkedid: call.linkedid,
		calleridnum: call.from,
		exten: call.extension,
		did: call.line,
		direction: 'inbound',
		timestamp: new Date().toISOString(),
	};
}

/** What the PBX POSTs when a call ends (the call-ended example's input). */
export interface PbxCallEnded {
	bitrixCallId: string;
	exten: string;
	billsec: number;
	disposition: 'ANSWERED' | 'NO ANSWER' | 'BUSY' | 'FAILED' | 'CONGESTION';
	recordingUrl: string;
}

/** The answer of the PBX example: what the PBX stores with its call. */
export interface PbxCallReply {
	callId: string;
	crmEntityType: string;
	crmEntityId: number | null;
	crmEntityUrl?: string;
	createdLeadId: number | null;
	leadCreationError?: string;
}
