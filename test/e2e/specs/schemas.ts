/**
 * The output schemas as n8n's editor fetches them before a node has run:
 * `/schemas/<package>.<node>/<major.minor.patch>/<resource>/<operation>.json`, served by
 * `n8n start` from the installed package's `__schema__` folder.
 */
import type { N8nServer } from '../../../scripts/n8n-runtime/server';
import { NODE_TYPE } from '../workflows';

export function describeSchemas(server: () => N8nServer): void {
	it.each(['1.0.0', '1.1.0', '1.2.0'])(
		'n8n serves the Register output schema of version %s, as the editor asks for it',
		async (version) => {
			const response = await fetch(
				`${server().url}/schemas/${NODE_TYPE}/${version}/call/register.json`,
			);
			expect(response.status).toBe(200);
			const schema = (await response.json()) as {
				type: string;
				properties: Record<string, unknown>;
			};
			expect(schema.type).toBe('object');
			// Version 1's default output is Bitrix24's result; from 1.1 the simplified one.
			expect(Object.keys(schema.properties)).toContain(version === '1.0.0' ? 'CALL_ID' : 'callId');
		},
	);
}
