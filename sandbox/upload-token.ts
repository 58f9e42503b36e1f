/**
 * Signed links for the two-step recording upload: token = scope|base64(query)|signature,
 * the signature binding method, scope, query and the caller's credentials (CRestServer::getTokenCheckSignature).
 */
import { createHmac, randomBytes } from 'crypto';
import { httpBuildQuery } from './php-query';

export class UploadTokenSigner {
	private readonly secret = randomBytes(32);

	create(
		method: string,
		scope: string,
		query: Record<string, string>,
		credentialParts: string[],
	): string {
		const encoded = Buffer.from(
			`${httpBuildQuery(query)}&_=${randomBytes(16).toString('hex')}`,
		).toString('base64');
		return [scope, encoded, this.sign(method, scope, encoded, credentialParts)].join('|');
	}

	/** The decoded query string when the token is genuine for this method and credential, else null. */
	verify(method: string, token: string, credentialParts: string[]): string | null {
		const [scope = '', encoded = '', signature = ''] = token.split('|');
		if (signature !== this.sign(method, scope, encoded, credentialParts)) return null;
		return Buffer.from(encoded, 'base64').toString('utf8');
	}

	private sign(method: string, scope: string, encoded: string, credentialParts: string[]): string {
		return createHmac('sha256', this.secret)
			.update([method.toLowerCase(), scope, encoded, ...credentialParts].join('|'))
			.digest('hex');
	}
}
