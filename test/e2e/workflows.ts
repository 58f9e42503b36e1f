/**
 * The suite's own workflows (beside the examples): Manual Trigger → one or two Bitrix24
 * Telephony nodes, each run with `n8n execute`. Node type and credential names are the public
 * ones a user's saved workflow holds.
 */
import type { WorkflowFile } from '../../scripts/n8n-runtime/home';
import { DEMO_SEED as SEED } from '../../scripts/n8n-runtime/demoSeed';
import { exampleCredentialReference, versionIdFor } from '../../scripts/n8n-runtime/examples';

export const NODE_TYPE = 'n8n-nodes-bitrix24-telephony.bitrix24Telephony';

interface Step {
	name: string;
	parameters: Record<string, unknown>;
}

/** Manual Trigger → steps, in a chain. */
function chain(id: string, name: string, steps: Step[]): WorkflowFile {
	const nodes = [
		{
			id: `${id}-start`,
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...steps.map((step, index) => ({
			id: `${id}-${index}`,
			name: step.name,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [220 * (index + 1), 0],
			parameters: { resource: 'call', ...step.parameters },
			credentials: exampleCredentialReference('webhook'),
		})),
	];
	const connections: WorkflowFile['connections'] = {};
	nodes.slice(0, -1).forEach((node, index) => {
		connections[node.name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	});
	return {
		id,
		name,
		nodes,
		connections,
		active: false,
		versionId: versionIdFor(id),
		settings: { executionOrder: 'v1' },
	};
}

const register = (parameters: Record<string, unknown>): Step => ({
	name: 'Register',
	parameters: { operation: 'register', userIdentification: 'extension', type: 2, ...parameters },
});

export const TEST_WORKFLOWS = {
	registerKnown: chain('b24e2eRegKnown01', 'e2e: register a known number', [
		register({
			userPhoneInner: SEED.anna.extension,
			phoneNumber: SEED.acmeContact.phone,
			additionalFields: { externalCallId: 'e2e-known-1' },
		}),
	]),
	registerUnknown: chain('b24e2eRegUnknwn1', 'e2e: register an unknown number', [
		register({
			userPhoneInner: SEED.boris.extension,
			phoneNumber: '+4917600000001',
			additionalFields: { crmCreate: true, crmSource: 'CALL' },
		}),
	]),
	registerThenFinish: chain('b24e2eFinish0001', 'e2e: register, then finish', [
		register({ userPhoneInner: SEED.anna.extension, phoneNumber: SEED.daisyCompany.phone }),
		{
			name: 'Finish',
			parameters: {
				operation: 'finish',
				callId: '={{ $json.CALL_ID }}',
				userIdentification: 'userId',
				userId: { __rl: true, mode: 'id', value: String(SEED.chen.id) },
				duration: 42,
				statusCode: '200',
				additionalFields: { vote: 4 },
			},
		},
	]),
	logCompletedCall: chain('b24e2eLogDone001', 'e2e: log a completed call', [
		{
			name: 'Log Completed Call',
			parameters: {
				operation: 'logCompletedCall',
				userIdentification: 'extension',
				userPhoneInner: SEED.boris.extension,
				phoneNumber: SEED.acmeContact.phone,
				type: 2,
				duration: 0,
				statusCode: '304',
				additionalFields: {
					callStartDate: '2026-03-10T09:15:02+01:00',
					externalCallId: 'e2e-logged-1',
				},
			},
		},
	]),
	/** Rejected by the node before any request: the CRM entity id without its type. */
	invalidInput: chain('b24e2eInvalid001', 'e2e: a validation error', [
		register({
			userPhoneInner: SEED.anna.extension,
			phoneNumber: SEED.acmeContact.phone,
			additionalFields: { crmEntityId: 797 },
		}),
	]),
	/** Rejected by Bitrix24: no employee has extension 999. */
	bitrix24Error: chain('b24e2eB24Error01', 'e2e: a Bitrix24 error', [
		register({ userPhoneInner: '999', phoneNumber: SEED.acmeContact.phone }),
	]),
};
