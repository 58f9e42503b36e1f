/**
 * A stand-in for n8n's execute context and, beneath the transport, for the portal: every HTTP
 * request the node makes is recorded and answered by `answer`. Lets the executor be tested alone
 * (which commands, how batched, in which order, what comes out) without the engine or a server.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

export interface SentRequest {
	/** The REST method, from the URL (`batch`, `telephony.externalcall.register`, …). */
	method: string;
	body: IDataObject;
}

export type Answer = (request: SentRequest) => { status?: number; body: unknown } | Error;

const NODE: INode = {
	id: 'node',
	name: 'Bitrix24 Telephony',
	type: 'n8n-nodes-bitrix24-telephony.bitrix24Telephony',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

let portals = 0;

export function fakeContext(options: {
	items: IDataObject[];
	answer: Answer;
	continueOnFail?: boolean;
	nodeOptions?: IDataObject;
}): { ctx: IExecuteFunctions; sent: SentRequest[] } {
	const sent: SentRequest[] = [];
	// A portal of its own per context: the rate limiter keeps state per portal.
	const webhookUrl = `https://fake${++portals}.bitrix24.com/rest/1/s3cretc0de42/`;
	const ctx = {
		getInputData: () => options.items.map((json) => ({ json })),
		getNode: () => NODE,
		continueOnFail: () => options.continueOnFail ?? false,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => {
			if (name === 'options') return options.nodeOptions ?? {};
			if (name === 'authentication') return 'webhook';
			return fallback;
		},
		getCredentials: async () => ({ webhookUrl, plan: 'enterprise' }),
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				const record = {
					method: String(request.url).replace(/\.json$/, ''),
					body: request.body as IDataObject,
				};
				sent.push(record);
				const answer = options.answer(record);
				if (answer instanceof Error) throw answer;
				return { statusCode: answer.status ?? 200, headers: {}, body: JSON.stringify(answer.body) };
			},
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, sent };
}

/** The command strings of a batch request, by key. */
export function batchCommands(request: SentRequest): Record<string, string> {
	return (request.body.cmd ?? {}) as Record<string, string>;
}

/**
 * A portal that executes every command: `<method>` answers `{ ID: <its key> }`, each taking 10 ms
 * of server time (`result_time`). With `fail`,
 * the commands whose key it names fail with ERROR_ARGUMENT (and, with halt=1, nothing behind them
 * runs), like Bitrix24.
 */
export function executingPortal(fail: (key: string) => boolean = () => false): Answer {
	return ({ method, body }) => {
		if (method !== 'batch') return { body: { result: { ID: method }, time: {} } };
		const result: IDataObject = {};
		const resultError: IDataObject = {};
		// Bitrix24 reports each executed command's server time: 10 ms here.
		const resultTime: IDataObject = {};
		for (const key of Object.keys(batchCommands({ method, body }))) {
			if (fail(key)) {
				resultError[key] = { error: 'ERROR_ARGUMENT', error_description: `bad ${key}` };
				if (Number(body.halt) === 1) break;
				continue;
			}
			result[key] = { ID: key };
			resultTime[key] = { start: 0, finish: 0.01, duration: 0.01, processing: 0.01 };
		}
		return {
			body: { result: { result, result_error: resultError, result_time: resultTime }, time: {} },
		};
	};
}
