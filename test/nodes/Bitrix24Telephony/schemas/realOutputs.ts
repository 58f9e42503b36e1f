/**
 * Real outputs of the operations that ship an output schema, per node version, each a workflow
 * run through n8n-core's engine against the sandbox with the fields a user starts with (the
 * version's defaults: Simplify off in 1, on from 1.1). What the schemas must describe.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../../../sandbox';
import { webhookCredentials } from '../../../helpers/portal';
import { runNode } from '../../../helpers/workflowRunner';

export interface RealOutput {
	version: number;
	resource: string;
	operation: string;
	items: IDataObject[];
}

/** The operations with a schema, as `resource/operation`. */
export const SCHEMA_OPERATIONS = [
	'call/register',
	'call/finish',
	'call/logCompletedCall',
	'call/searchCrmEntities',
	'call/getCallHistory',
	'call/show',
	'call/hide',
	'call/attachRecord',
];

/** A few bytes that look like MP3 frames: the sandbox sniffs the type like Bitrix24 does. */
const MP3 = Buffer.alloc(4096, Buffer.from([0xff, 0xfb, 0x90, 0x64, 0x00, 0x00, 0x00, 0x00]));

export async function realOutputs(portal: Sandbox, version: number): Promise<RealOutput[]> {
	const outputs: RealOutput[] = [];
	const tag = `schema-${String(version).replace('.', '-')}-${Date.now()}`;
	const run = async (
		operation: string,
		parameters: Record<string, unknown>,
		extra: Parameters<typeof runNode>[0] extends infer O ? Partial<O> : never = {},
	) => {
		const result = await runNode({
			typeVersion: version,
			credentials: webhookCredentials(portal),
			parameters: {
				authentication: 'webhook',
				resource: 'call',
				operation,
				...parameters,
			} as never,
			...extra,
		});
		if (result.status !== 'success')
			throw new Error(`${operation} ${version}: ${result.error?.message}`);
		const items = result.items.map((item) => item.json as IDataObject);
		outputs.push({ version, resource: 'call', operation, items });
		return items;
	};
	const employee = { userIdentification: 'extension', userPhoneInner: '101' };
	const caller = { ...employee, phoneNumber: '+4915112345678', type: 2 };

	// Two calls: one answered (with a CRM record found), one missed from an unknown number.
	const [answered] = await run('register', { ...caller, externalCallId: `${tag}-a` });
	const [missed] = await run('register', {
		...caller,
		phoneNumber: '+4930999000111',
		externalCallId: `${tag}-m`,
		additionalFields: { crmCreate: false },
	});
	const callIdOf = (item: IDataObject) => String(item.callId ?? item.CALL_ID);
	await run('show', { callId: callIdOf(answered), userIds: version === 1 ? '1' : ['1'] });
	await run('hide', { callId: callIdOf(answered), userIds: version === 1 ? '1' : ['1'] });
	await run('finish', { callId: callIdOf(answered), ...employee, duration: 42, statusCode: '200' });
	await run('finish', { callId: callIdOf(missed), ...employee, duration: 0, statusCode: '304' });
	await run(
		'attachRecord',
		{ callId: callIdOf(answered), source: 'binary', binaryPropertyName: 'data' },
		{
			binaries: {
				0: {
					data: { base64: MP3.toString('base64'), fileName: `${tag}.mp3`, mimeType: 'audio/mpeg' },
				},
			},
		},
	);
	await run('logCompletedCall', {
		...caller,
		externalCallId: `${tag}-l`,
		duration: 30,
		statusCode: '200',
	});
	await run('searchCrmEntities', { phoneNumber: '+4915112345678' });
	await run('getCallHistory', { returnAll: false, limit: 5 });
	return outputs;
}
