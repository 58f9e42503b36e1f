/**
 * CRestServer::process for one call, top-level or inside a batch:
 * method lookup (404 before auth) -> authentication with the method's scope -> operating limit ->
 * handler -> result with a `time` block. Calls carrying a `token` (and `upload`) take the signed-link
 * path instead (processTokenCheckCall): the token's scope replaces the method's, the signature must
 * match, and the answer has no `time`.
 */
import { AuthIdentity, scopeAllowed } from './auth';
import { timeBlock } from './envelope';
import {
	accessDenied,
	internalServerError,
	methodNotFound,
	operationTimeLimit,
	RestError,
} from './errors';
import type { InvokeOutcome, MethodContext, MethodDefinition } from './methods/context';
import { findMethod } from './methods/registry';
import { parseStr } from './php-query';
import { isSet, Params, phpInt, phpString } from './php-values';
import type { ReceivedFile } from './request-parsing';
import type { SandboxRuntime } from './runtime';
import { RequestCutOff, requireTimeLeft, RequestSpan, serverSecondsOf } from './server-time';

export interface CallInput {
	/** Lowercase method name. */
	method: string;
	params: Params;
	files: ReceivedFile[];
	startedAt: number;
	/** The HTTP request this call belongs to (a batch shares it with its commands). */
	span: RequestSpan;
	/** Validates the credential for the given scope (null = global); throws RestError. */
	authenticate(scope: string | null): AuthIdentity;
}

export async function processCall(
	runtime: SandboxRuntime,
	input: CallInput,
): Promise<InvokeOutcome> {
	try {
		const definition = findMethod(input.method);
		if (!definition) throw methodNotFound();
		const tokenCheck = input.method === 'upload' || isSet(input.params.token);
		const scope = tokenCheck ? tokenScope(definition, input.params) : definition.scope;
		const auth = input.authenticate(scope);
		const params = withoutCredential(input.params, auth);
		if (tokenCheck) return await runTokenCheck(runtime, definition, input, auth, params);
		return await runCall(runtime, definition, input, auth, params);
	} catch (error) {
		if (error instanceof RestError) return { ok: false, error };
		// The cut-off ends the whole HTTP request, batch included: it passes every level up.
		if (error instanceof RequestCutOff) return Promise.reject(error);
		// eslint-disable-next-line no-console
		console.error('[bitrix24 sandbox] handler crashed', error);
		return { ok: false, error: internalServerError() };
	}
}

/** The scope of a signed link is its first segment; a method outside it is "not found". */
function tokenScope(definition: MethodDefinition, params: Params): string | null {
	const token = phpString(params.token);
	if (token === '') return definition.scope;
	const scope = token.split('|')[0];
	const resolved = scope === '' ? null : scope;
	if (resolved !== definition.scope) throw methodNotFound();
	return resolved;
}

/** OAuth's `auth` parameter is consumed by authentication (parameters_clear). */
function withoutCredential(params: Params, auth: AuthIdentity): Params {
	if (auth.type !== 'oauth') return params;
	const rest = { ...params };
	delete rest.auth;
	delete rest.access_token;
	return rest;
}

async function runCall(
	runtime: SandboxRuntime,
	definition: MethodDefinition,
	input: CallInput,
	auth: AuthIdentity,
	params: Params,
): Promise<InvokeOutcome> {
	const { start, ...methodParams } = params;
	// The outer batch does not count against the operating limit; its commands do.
	const limiter = definition.name === 'batch' ? null : runtime.operatingLimiter;
	if (limiter?.isBlocked(auth.limiterEntity, definition.name)) {
		runtime.limitStats.rejected429++;
		throw operationTimeLimit();
	}
	// The outer batch takes no time of its own: its commands' time is its time.
	const seconds =
		definition.name === 'batch' ? 0 : serverSecondsOf(runtime.settings.serverTime, definition.name);
	const calledAt = runtime.now();
	requireTimeLeft(runtime.settings.serverTime, input.span, calledAt, seconds);
	const result = await definition.handler(
		context(runtime, auth, methodParams, phpInt(start), input.files, input.span),
	);
	runtime.spend(seconds);
	// LoadLimiter::registerEnding runs only when the handler returned normally.
	limiter?.register(auth.limiterEntity, definition.name, calledAt, seconds);
	const operating = runtime.operatingLimiter?.snapshot(auth.limiterEntity, definition.name) ?? null;
	return { ok: true, ...result, time: timeBlock(input.startedAt, runtime.now(), operating) };
}

async function runTokenCheck(
	runtime: SandboxRuntime,
	definition: MethodDefinition,
	input: CallInput,
	auth: AuthIdentity,
	params: Params,
): Promise<InvokeOutcome> {
	const query = runtime.uploadTokens.verify(
		definition.name,
		phpString(params.token),
		auth.credentialParts,
	);
	if (query === null) throw accessDenied('Link check failed');
	const signedParams = parseStr(query);
	delete signedParams._;
	const result = await definition.handler(
		context(runtime, auth, signedParams, 0, input.files, input.span),
	);
	return { ok: true, result: result.result };
}

function context(
	runtime: SandboxRuntime,
	auth: AuthIdentity,
	params: Params,
	start: number,
	files: ReceivedFile[],
	span: RequestSpan,
): MethodContext {
	return {
		params,
		start,
		auth,
		runtime,
		files,
		invoke: (method, itemParams) =>
			processCall(runtime, {
				method,
				params: itemParams,
				files: [],
				startedAt: runtime.now(),
				span,
				authenticate: (scope) => authenticateBatchItem(runtime, auth, scope),
			}),
	};
}

/** CRestServerBatchItem::checkAuth: only the scope is checked again, and its error has no description. */
function authenticateBatchItem(
	runtime: SandboxRuntime,
	auth: AuthIdentity,
	scope: string | null,
): AuthIdentity {
	if (scope !== null && !scopeAllowed(auth.scopes, scope)) {
		throw new RestError(runtime.settings.authErrorStatus, 'insufficient_scope', '');
	}
	return auth;
}
