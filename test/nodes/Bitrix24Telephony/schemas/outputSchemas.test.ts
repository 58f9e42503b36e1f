/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * The output schemas n8n's editor asks for before a node has run
 * (`/schemas/<package>.bitrix24Telephony/<version>/<resource>/<operation>.json`), which n8n 2.41
 * serves from `__schema__/v<major.minor.patch>/<resource>/<operation>.json` next to the node's
 * file (n8n-core nodes-loader/output-schema-resolver.ts; the cli's LoadNodesAndCredentials
 * resolveSchema): one per node version, describing that version's default output (Simplify off
 * in 1, on from 1.1). Each is checked against real outputs of its operation, run through
 * n8n-core's engine against the sandbox.
 */
import fs from 'fs';
import path from 'path';

import { Bitrix24Telephony } from '../../../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { usePortal } from '../../../helpers/portal';
import { schemaProblems, type OutputSchema } from './jsonSchemaCheck';
import { realOutputs, SCHEMA_OPERATIONS } from './realOutputs';

const { portal } = usePortal();
const schemaRoot = path.resolve(__dirname, '../../../../nodes/Bitrix24Telephony/__schema__');
const versions = new Bitrix24Telephony().description.version as number[];

/** n8n's padding of a node version into a folder name: 1.1 → v1.1.0. */
const versionDir = (version: number) =>
	`v${String(version).split('.').concat(['0', '0']).slice(0, 3).join('.')}`;

const readSchema = (version: number, operation: string): OutputSchema =>
	JSON.parse(
		fs.readFileSync(path.join(schemaRoot, versionDir(version), `${operation}.json`), 'utf8'),
	) as OutputSchema;

test('one schema folder per node version, each with every main operation', () => {
	expect(fs.readdirSync(schemaRoot).sort()).toEqual(versions.map(versionDir).sort());
	for (const version of versions) {
		const files = fs
			.readdirSync(path.join(schemaRoot, versionDir(version)), { recursive: true })
			.map(String)
			.filter((file) => file.endsWith('.json'))
			.map((file) => file.replace(/\.json$/, ''))
			.sort();
		expect(files).toEqual([...SCHEMA_OPERATIONS].sort());
	}
});

test('each schema is what the editor accepts: an object with type and properties', () => {
	for (const version of versions)
		for (const operation of SCHEMA_OPERATIONS) {
			const schema = readSchema(version, operation);
			expect(schema.type).toBe('object');
			expect(Object.keys(schema.properties ?? {}).length).toBeGreaterThan(1);
		}
});

describe.each(versions)('version %s', (version) => {
	test('every real output fits its schema, and every key it has is described', async () => {
		const outputs = await realOutputs(portal(), version);
		expect(outputs.map((o) => `${o.resource}/${o.operation}`).sort()).toEqual(
			expect.arrayContaining([...SCHEMA_OPERATIONS].sort()),
		);
		const problems = outputs.flatMap(({ resource, operation, items }) => {
			expect(items.length).toBeGreaterThan(0);
			const schema = readSchema(version, `${resource}/${operation}`);
			return items.flatMap((item) =>
				schemaProblems(schema, item).map((problem) => `${resource}/${operation}: ${problem}`),
			);
		});
		expect(problems).toEqual([]);
	});

	test("the schema of Register and Finish follows the version's Simplify default", () => {
		const simplified = version >= 1.1;
		for (const operation of ['call/register', 'call/finish']) {
			const keys = Object.keys(readSchema(version, operation).properties ?? {});
			expect(keys.includes('callId')).toBe(simplified);
			expect(keys.includes('CALL_ID')).toBe(!simplified);
		}
	});
});

test('the checker finds what does not fit', () => {
	const schema: OutputSchema = {
		type: 'object',
		properties: { a: { type: 'string' }, b: { type: ['number', 'null'] } },
		required: ['a'],
	};
	expect(schemaProblems(schema, { a: 'x', b: null })).toEqual([]);
	expect(schemaProblems(schema, { b: 'y', c: 1 })).toEqual([
		'$.a: required, but missing',
		'$.b: is string, the schema says number or null',
		'$.c: not described by the schema',
	]);
});
