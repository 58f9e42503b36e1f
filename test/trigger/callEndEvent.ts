/**
 * An ONVOXIMPLANTCALLEND body built from the portal's own history row, for what the sandbox
 * (which sends the real event after finish) would never send: the same event with a forged
 * token. Fields and encoding as
 * b24restdocs api-reference/telephony/voximplant/events/on-voximplant-call-end.md lists them
 * (`data` = CALL_ID, CALL_TYPE, PHONE_NUMBER, PORTAL_NUMBER, PORTAL_USER_ID, CALL_DURATION,
 * CALL_START_DATE, COST, COST_CURRENCY, CALL_FAILED_CODE, CALL_FAILED_REASON, CRM_ACTIVITY_ID),
 * with the outbound webhook's reduced `auth` block (api-reference/events/index.md).
 */
import type { Sandbox } from '../../sandbox';

/** The history row of `callId`, read over REST like any client would. */
export async function historyRow(
	portal: Sandbox,
	callId: string,
): Promise<Record<string, unknown>> {
	const response = await fetch(`${portal.webhookUrl}voximplant.statistic.get.json`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ FILTER: { CALL_ID: callId } }),
	});
	const { result } = (await response.json()) as { result: Array<Record<string, unknown>> };
	if (result.length !== 1) throw new Error(`expected one history row for ${callId}`);
	return result[0];
}

export async function callEndBody(
	portal: Sandbox,
	callId: string,
	applicationToken: string,
): Promise<string> {
	const row = await historyRow(portal, callId);
	const pick = (key: string) => (row[key] === null ? '' : row[key]);
	return portal.events.buildBody({
		event: 'ONVOXIMPLANTCALLEND',
		eventHandlerId: 1061,
		data: Object.fromEntries(
			[
				'CALL_ID',
				'CALL_TYPE',
				'PHONE_NUMBER',
				'PORTAL_NUMBER',
				'PORTAL_USER_ID',
				'CALL_DURATION',
				'CALL_START_DATE',
				'COST',
				'COST_CURRENCY',
				'CALL_FAILED_CODE',
				'CALL_FAILED_REASON',
				'CRM_ACTIVITY_ID',
			].map((key) => [key, pick(key)]),
		),
		auth: {
			domain: portal.url.replace('http://', ''),
			client_endpoint: `${portal.url}/rest/`,
			server_endpoint: `${portal.url}/rest/`,
			member_id: portal.state.memberId,
			application_token: applicationToken,
		},
	});
}
