/**
 * Every engine run in the tests is scanned for secrets: the secrets of the credentials it ran
 * with (before and after a token refresh) and of every sandbox portal alive in the process
 * (webhook codes, client secrets, application tokens, issued tokens). One hit fails the test.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { liveSandboxSecrets } from '../../sandbox';

const SECRET_KEYS = /secret|token|password|code/i;

function credentialSecrets(data: ICredentialDataDecryptedObject): string[] {
	const found: string[] = [];
	const visit = (value: unknown, key: string) => {
		if (typeof value === 'string') {
			if (key === 'webhookUrl') {
				const code = /\/rest\/\d+\/([^/?#\s]+)/.exec(value)?.[1];
				if (code) found.push(code);
			} else if (SECRET_KEYS.test(key)) found.push(value);
		} else if (value && typeof value === 'object') {
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, k);
		}
	};
	visit(data, '');
	return found;
}

/** Throws when `text` contains any secret of these credentials or of a live sandbox. */
export function assertNoSecretLeak(
	text: string,
	credentials: ICredentialDataDecryptedObject[],
	where: string,
): void {
	const secrets = new Set([...credentials.flatMap(credentialSecrets), ...liveSandboxSecrets()]);
	for (const secret of secrets) {
		if (secret.length >= 8 && text.includes(secret)) {
			throw new Error(
				`Secret leak in ${where}: a credential or portal secret (${secret.slice(0, 3)}…) appears in what the node let out`,
			);
		}
	}
}

/**
 * The one output field where a secret may appear on purpose, at each path it is seen at (the
 * node's return value and the run's data hold the same item).
 */
export interface IntendedSecret {
	paths: Array<Array<string | number>>;
	value: string;
}

/**
 * JSON of `tree` with the intended secret replaced by a marker at each of its paths. Throws
 * unless the intended value is really at every path: the allowance covers exactly that output
 * field, so the same secret anywhere else (another field, a log line, an error) is still found
 * by the scan.
 */
export function withoutIntendedSecret(tree: unknown, intended: IntendedSecret): string {
	const copy = JSON.parse(JSON.stringify(tree)) as unknown;
	for (const path of intended.paths) {
		let parent: unknown = copy;
		for (const key of path.slice(0, -1)) {
			parent = (parent as Record<string | number, unknown> | undefined)?.[key];
		}
		const last = path[path.length - 1];
		const holder = parent as Record<string | number, unknown> | undefined;
		if (!holder || holder[last] !== intended.value)
			throw new Error(`The intended secret is not at ${path.join('.')}`);
		holder[last] = '[intended output]';
	}
	return JSON.stringify(copy);
}
