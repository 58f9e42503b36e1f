/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmarks run in Node, never inside n8n, and are not published */
/**
 * Measures our node from the outside, without touching its code: the wall time of each
 * execution (around `execute`), and, when asked, where a single register's milliseconds go
 * (n8n's parameter reading, the credential, validation, the HTTP call through n8n, redaction).
 */
import { performance } from 'perf_hooks';

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { Bitrix24Telephony } from '../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { callOperations } from '../nodes/Bitrix24Telephony/actions/call';
import { Redactor } from '../nodes/Bitrix24Telephony/transport/auth/connection';

export interface Phases {
	/** getNodeParameter outside the operation's prepare (authentication, options). */
	nodeParameters: number;
	/** getNodeParameter inside prepare (the item's fields, with expressions). */
	itemParameters: number;
	/** prepare without the parameter reading: validation and building the command. */
	validation: number;
	/** getCredentials (the connection: portal, plan, secrets to redact). */
	credentials: number;
	/** httpRequestWithAuthentication: n8n signs, sends and reads the answer. */
	http: number;
	/** Redacting the answer before it becomes output. */
	redaction: number;
}

const emptyPhases = (): Phases => ({
	nodeParameters: 0,
	itemParameters: 0,
	validation: 0,
	credentials: 0,
	http: 0,
	redaction: 0,
});

/** Wall time of every execution of our node since the last `reset`. */
export const nodeTimes: number[] = [];
/** Of the first execution since the last `reset`: when it made its first request (ms after start). */
export let firstRequestMs: number | undefined;
let executionStart = 0;
/** Summed phases of every execution since the last `reset` (only while `trackPhases` is on). */
export let phases: Phases = emptyPhases();
let trackPhases = false;
let inPrepare = false;
let afterExecute: (() => void) | undefined;

export function resetTiming(options: { phases?: boolean; onFinish?: () => void } = {}): void {
	nodeTimes.length = 0;
	firstRequestMs = undefined;
	phases = emptyPhases();
	trackPhases = options.phases ?? false;
	afterExecute = options.onFinish;
}

async function timed<T>(phase: keyof Phases, run: () => Promise<T> | T): Promise<T> {
	const start = performance.now();
	try {
		return await run();
	} finally {
		phases[phase] += performance.now() - start;
	}
}

/** Notes when the node hands its first request to n8n. */
function watchFirstRequest(ctx: IExecuteFunctions): void {
	const helpers = ctx.helpers;
	const request = helpers.httpRequestWithAuthentication;
	ctx.helpers = {
		...helpers,
		httpRequestWithAuthentication: async function (this: unknown, ...args: unknown[]) {
			firstRequestMs ??= performance.now() - executionStart;
			return await (request as (...a: unknown[]) => unknown).apply(this, args);
		},
	} as typeof helpers;
}

function probe(ctx: IExecuteFunctions): void {
	const getNodeParameter = ctx.getNodeParameter.bind(ctx);
	ctx.getNodeParameter = ((...args: Parameters<typeof getNodeParameter>) => {
		const start = performance.now();
		try {
			return getNodeParameter(...args);
		} finally {
			phases[inPrepare ? 'itemParameters' : 'nodeParameters'] += performance.now() - start;
		}
	}) as typeof ctx.getNodeParameter;
	const getCredentials = ctx.getCredentials.bind(ctx);
	ctx.getCredentials = (async (...args: Parameters<typeof getCredentials>) =>
		await timed('credentials', () => getCredentials(...args))) as typeof ctx.getCredentials;
	const helpers = ctx.helpers;
	const request = helpers.httpRequestWithAuthentication;
	ctx.helpers = {
		...helpers,
		httpRequestWithAuthentication: async function (this: unknown, ...args: unknown[]) {
			return await timed('http', () => (request as (...a: unknown[]) => unknown).apply(this, args));
		},
	} as typeof helpers;
}

const originalExecute = Bitrix24Telephony.prototype.execute;
Bitrix24Telephony.prototype.execute = async function execute(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const start = performance.now();
	executionStart = start;
	if (trackPhases) probe(this);
	watchFirstRequest(this);
	try {
		return await originalExecute.call(this);
	} finally {
		nodeTimes.push(performance.now() - start);
		afterExecute?.();
	}
};

const register = callOperations.register;
const originalPrepare = register.prepare;
register.prepare = async function prepare(this: IExecuteFunctions, ...args) {
	if (!trackPhases) return await originalPrepare.apply(this, args);
	const start = performance.now();
	const paramsBefore = phases.itemParameters;
	inPrepare = true;
	try {
		return await originalPrepare.apply(this, args);
	} finally {
		inPrepare = false;
		phases.validation += performance.now() - start - (phases.itemParameters - paramsBefore);
	}
};

const originalValue = Redactor.prototype.value;
/** value() recurses: only the outermost call is timed. */
let redacting = false;
Redactor.prototype.value = function value<T>(this: Redactor, input: T): T {
	if (!trackPhases || redacting) return originalValue.call(this, input) as T;
	const start = performance.now();
	redacting = true;
	try {
		return originalValue.call(this, input) as T;
	} finally {
		redacting = false;
		phases.redaction += performance.now() - start;
	}
};
