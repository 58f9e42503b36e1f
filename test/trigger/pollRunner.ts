/**
 * Runs the Bitrix24 Telephony Poll Trigger the way n8n runs a polling node: n8n-core's
 * `PollContext` around the node, `TriggersAndPollers.runPoll` calling its `poll`, and one
 * `Workflow` object kept across polls, whose static data n8n saves between them (it is the
 * node's cursor). Also logs finished calls in the sandbox through its REST `batch`
 * (register + finish per call), as a PBX would.
 */
import { PollContext } from 'n8n-core';
import { TriggersAndPollers } from 'n8n-core/dist/execution-engine/triggers-and-pollers';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24TelephonyPollTrigger } from '../../nodes/Bitrix24TelephonyPollTrigger/Bitrix24TelephonyPollTrigger.node';
import type { Sandbox } from '../../sandbox';
import { testAdditionalData } from '../helpers/engine';
import {
	credentialRefs,
	registerTypes,
	TestCredentialsHelper,
	testNodeTypes,
} from '../helpers/testTypes';

export const POLL_TYPE = 'n8n-nodes-bitrix24-telephony.bitrix24TelephonyPollTrigger';
export const pollNode = new Bitrix24TelephonyPollTrigger();
registerTypes({ [POLL_TYPE]: pollNode }, { bitrix24OAuth2Api: new Bitrix24OAuth2Api() });

let counter = 0;

export class PollWorkflow {
	readonly workflow: Workflow;
	readonly node: INode;
	private readonly credentialsHelper: TestCredentialsHelper;

	constructor(
		parameters: INodeParameters,
		credentials: Record<string, ICredentialDataDecryptedObject>,
	) {
		counter++;
		this.node = {
			id: `poll-${counter}`,
			name: 'Bitrix24 Telephony Poll Trigger',
			type: POLL_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: credentialRefs(credentials),
		};
		this.credentialsHelper = new TestCredentialsHelper({ ...credentials });
		this.workflow = new Workflow({
			id: `wf-poll-${counter}`,
			name: 'poll test',
			nodes: [this.node],
			connections: {},
			nodeTypes: testNodeTypes,
			active: true,
			settings: {},
		});
	}

	/** One poll: `trigger` as on a schedule, `manual` as "Fetch Test Event". */
	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<INodeExecutionData[] | null> {
		const context = new PollContext(
			this.workflow,
			this.node,
			testAdditionalData(this.credentialsHelper),
			mode,
			mode === 'manual' ? 'manual' : 'activate',
		);
		const result = await new TriggersAndPollers().runPoll(this.workflow, this.node, context);
		return result === null ? null : result[0];
	}

	/** The node's static data (the cursor), as n8n would save it. */
	get cursor(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}
}

export interface LoggedCall {
	phoneNumber?: string;
	type?: number;
	statusCode?: string;
	duration?: number;
	lineNumber?: string;
}

/** Logs finished calls (register + finish) in batches of 25 pairs; returns their CALL_IDs. */
export async function logCalls(portal: Sandbox, calls: LoggedCall[]): Promise<string[]> {
	const ids: string[] = [];
	for (let from = 0; from < calls.length; from += 25) {
		const cmd: Record<string, string> = {};
		calls.slice(from, from + 25).forEach((call, offset) => {
			const n = from + offset;
			const register = new URLSearchParams({
				USER_PHONE_INNER: '101',
				PHONE_NUMBER: call.phoneNumber ?? '+4915112345678',
				TYPE: String(call.type ?? 2),
				SHOW: '0',
				EXTERNAL_CALL_ID: `poll-${Date.now()}-${n}`,
				...(call.lineNumber ? { LINE_NUMBER: call.lineNumber } : {}),
			});
			cmd[`r${n}`] = `telephony.externalcall.register?${register}`;
			cmd[`f${n}`] =
				`telephony.externalcall.finish?CALL_ID=$result[r${n}][CALL_ID]&USER_PHONE_INNER=101` +
				`&DURATION=${call.duration ?? 30}&STATUS_CODE=${call.statusCode ?? '200'}`;
		});
		const response = await fetch(`${portal.webhookUrl}batch.json`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ halt: 1, cmd }),
		});
		const { result } = (await response.json()) as {
			result: { result: Record<string, { CALL_ID?: string }>; result_error: unknown };
		};
		const errors = result.result_error as Record<string, unknown> | unknown[];
		if (Object.keys(errors).length > 0) throw new Error(`logCalls: ${JSON.stringify(errors)}`);
		for (const [key, value] of Object.entries(result.result))
			if (key.startsWith('r')) ids.push(String(value.CALL_ID));
	}
	return ids;
}
