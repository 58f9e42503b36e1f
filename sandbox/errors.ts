/**
 * REST errors as the portal reports them: {"error","error_description"} without `time`.
 */

/**
 * A RestException thrown without a code. The server prints "" for it, the 2026 docs show
 * "ERROR_CORE"; `errorCodeStyle` picks one.
 */
export const CORE_ERROR = Symbol('core-error');

export class RestError extends Error {
	constructor(
		readonly status: number,
		readonly code: string | typeof CORE_ERROR,
		description: string,
		/** Extra top-level keys of the error envelope (e.g. `argument`). */
		readonly extra: Record<string, unknown> = {},
	) {
		super(description);
		this.name = 'RestError';
	}
}

/** `new RestException('...')` inside a method: HTTP 400, code "" or ERROR_CORE. */
export function coreError(description: string): RestError {
	return new RestError(400, CORE_ERROR, description);
}

export function methodNotFound(): RestError {
	return new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
}

export function wrongAuthType(): RestError {
	return new RestError(
		403,
		'WRONG_AUTH_TYPE',
		'Current authorization type is denied for this method',
	);
}

export function noAuthFound(): RestError {
	return new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data');
}

export function invalidCredentials(status: number): RestError {
	return new RestError(status, 'INVALID_CREDENTIALS', 'Invalid request credentials');
}

export function insufficientScope(status: number, credential: 'webhook' | 'oauth'): RestError {
	const token = credential === 'webhook' ? 'webhook token' : 'access token';
	return new RestError(
		status,
		'insufficient_scope',
		`The request requires higher privileges than provided by the ${token}`,
	);
}

export function expiredToken(): RestError {
	return new RestError(401, 'expired_token', 'The access token provided has expired.');
}

export function invalidToken(): RestError {
	return new RestError(401, 'invalid_token', 'Unable to get application by token');
}

/** APAuth/OAuth: the credential is valid but its user is fired (CRestUtil::makeAuth fails). */
export function authorizationError(): RestError {
	return new RestError(401, 'authorization_error', 'Unable to authorize user');
}

export function httpsRequired(): RestError {
	return new RestError(401, 'INVALID_REQUEST', 'Https required.');
}

/** AccessException: HTTP 403, ACCESS_DENIED, "Access denied! <reason>". */
export function accessDenied(reason = ''): RestError {
	return new RestError(
		403,
		'ACCESS_DENIED',
		reason === '' ? 'Access denied!' : `Access denied! ${reason}`,
	);
}

export function queryLimitExceeded(): RestError {
	return new RestError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests');
}

export function operationTimeLimit(): RestError {
	return new RestError(
		429,
		'OPERATION_TIME_LIMIT',
		'Method is blocked due to operation time limit.',
	);
}

export function internalServerError(): RestError {
	return new RestError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
}

/** Rest\Exceptions\ArgumentNullException */
export function argumentNull(argument: string): RestError {
	return new RestError(400, 'ERROR_ARGUMENT', `Argument '${argument}' is null or empty`, {
		argument,
	});
}
