/**
 * What a REST method handler receives and returns.
 */
import type { AuthIdentity } from '../auth';
import type { TimeBlock } from '../envelope';
import { RestError, wrongAuthType } from '../errors';
import type { Params } from '../php-values';
import type { ReceivedFile } from '../request-parsing';
import type { SandboxRuntime } from '../runtime';

export interface MethodResult {
	result: unknown;
	/** List methods: offset of the next page (only when there is one). */
	next?: number;
	total?: number;
}

export type InvokeOutcome =
	| ({ ok: true; time?: TimeBlock } & MethodResult)
	| { ok: false; error: RestError };

export interface MethodContext {
	/** Request parameters without the credential and without `start`. */
	params: Params;
	/** The `start` parameter of list methods, as (int). */
	start: number;
	auth: AuthIdentity;
	runtime: SandboxRuntime;
	/** File parts of a multipart request. */
	files: ReceivedFile[];
	/** Runs another method with the same credential (batch). */
	invoke(method: string, params: Params): Promise<InvokeOutcome>;
}

export interface MethodDefinition {
	/** Lowercase method name. */
	name: string;
	/** Required scope; null for global methods (batch, profile, app.info, event.*). */
	scope: string | null;
	handler(ctx: MethodContext): MethodResult | Promise<MethodResult>;
}

export function ok(result: unknown): MethodResult {
	return { result };
}

/**
 * register, finish and externalLine.*: the module source accepts OAuth and webhooks, the 2026 docs
 * say "application context only" (docs/bitrix24-fidelity.md row 5); `authTypeMode` chooses.
 */
export function requireTelephonyAuthType(ctx: MethodContext): void {
	if (ctx.auth.type === 'webhook' && ctx.runtime.settings.authTypeMode === 'doc')
		throw wrongAuthType();
}

/** event.bind/get/unbind and other app-only methods (docs/bitrix24-fidelity.md row 5). */
export function requireOAuth(ctx: MethodContext): void {
	if (ctx.auth.type !== 'oauth') throw wrongAuthType();
}
