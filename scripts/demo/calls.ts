/**
 * The demo's two simulated incoming calls, sent to the PBX-webhook example the way an Asterisk
 * server would, and what they did in the portal, in words.
 */
import type { Sandbox } from '../../sandbox';
import { DEMO_SEED } from '../n8n-runtime/demoSeed';
import { pbxCallStarted, type PbxCallReply } from '../n8n-runtime/examples';
import { postToWebhook } from '../n8n-runtime/server';

export const DEMO_CALLS = {
	knownCaller: { from: DEMO_SEED.acmeContact.phone, extension: DEMO_SEED.anna.extension },
	unknownCaller: { from: DEMO_SEED.unknownPhone, extension: DEMO_SEED.boris.extension },
};

export interface DemoCall {
	payload: ReturnType<typeof pbxCallStarted>;
	status: number;
	reply: PbxCallReply | { error: string };
}

export async function sendIncomingCall(
	webhookUrl: string,
	caller: { from: string; extension: string },
	sequence: number,
): Promise<DemoCall> {
	// Asterisk's linkedid: the epoch seconds of the call, a dot, a channel counter.
	const linkedid = `${Math.floor(Date.now() / 1000)}.${sequence}`;
	const payload = pbxCallStarted({
		linkedid,
		from: caller.from,
		extension: caller.extension,
		line: DEMO_SEED.line,
	});
	const response = await postToWebhook(webhookUrl, { ...payload });
	return { payload, status: response.status, reply: response.body as DemoCall['reply'] };
}

/** "Contact 797 "ACME Support"": the CRM record the call was bound to, looked up in the portal. */
function describeEntity(sandbox: Sandbox, type: string, id: number | null): string {
	const records =
		type === 'CONTACT'
			? sandbox.state.contacts
			: type === 'COMPANY'
				? sandbox.state.companies
				: sandbox.state.leads;
	const record = records.find((candidate) => candidate.id === id);
	return `${type.toLowerCase()} ${id}${record ? ` "${record.name}"` : ''}`;
}

function employee(sandbox: Sandbox, extension: string): string {
	const user = sandbox.state.users.find((candidate) => candidate.phoneInner === extension);
	return user ? `${user.name} ${user.lastName} (extension ${extension})` : `extension ${extension}`;
}

export function describeCall(sandbox: Sandbox, call: DemoCall): string[] {
	const { payload, reply } = call;
	const lines = [
		`Incoming call from ${payload.calleridnum} to ${employee(sandbox, payload.exten)}, Asterisk linkedid ${payload.linkedid}`,
	];
	if ('error' in reply)
		return [...lines, `  Bitrix24 refused it (HTTP ${call.status}): ${reply.error}`];
	lines.push(`  CALL_ID        ${reply.callId}`);
	if (reply.createdLeadId) {
		lines.push(
			`  unknown number → Bitrix24 created ${describeEntity(sandbox, 'LEAD', reply.createdLeadId)}`,
		);
	} else if (reply.crmEntityType) {
		lines.push(
			`  caller found   ${describeEntity(sandbox, reply.crmEntityType, reply.crmEntityId)}`,
		);
	} else {
		lines.push('  caller found   nobody (and no lead was created)');
	}
	if (reply.crmEntityUrl) lines.push(`  CRM link       ${reply.crmEntityUrl}`);
	return lines;
}
