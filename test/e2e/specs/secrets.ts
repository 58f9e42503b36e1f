/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/** The inbound webhook's code is the portal password: it must never leave the credential. */
import * as fs from 'fs';
import * as path from 'path';

import { readExecutions } from '../../../scripts/n8n-runtime/executions';
import type { E2eContext } from '../fixture';

export function describeSecrets(context: () => E2eContext): void {
	it('never shows the webhook code or the OAuth2 secrets in n8n output, run data, stored executions or the database', async () => {
		const { home, sandbox, oAuth2 } = context();
		const executions = await readExecutions(home);
		// Runs before this test put data in every place searched here.
		expect(executions.length).toBeGreaterThan(5);
		expect(home.outputs.join('').length).toBeGreaterThan(0);

		expect(home.outputs.join('\n')).not.toContain(sandbox.webhookCode);
		expect(JSON.stringify(executions)).not.toContain(sandbox.webhookCode);
		// The credential is stored encrypted: not even the raw database file holds the code.
		const database = fs.readFileSync(path.join(home.dir, '.n8n', 'database.sqlite'));
		expect(database.includes(sandbox.webhookCode)).toBe(false);
		// The examples' OAuth2 credential: client secret and tokens stay in the credential too.
		const tokens = oAuth2.tokens as { access_token: string; refresh_token: string };
		for (const secret of [oAuth2.clientSecret, tokens.access_token, tokens.refresh_token]) {
			expect(home.outputs.join('\n')).not.toContain(secret);
			expect(JSON.stringify(executions)).not.toContain(secret);
			expect(database.includes(secret)).toBe(false);
		}
	});
}
