/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Our package in real n8n, once per supported n8n version: installed from the packed tarball
 * as a community package, run through the n8n CLI and through production webhooks of
 * `n8n start`, against the sandbox portal. The tests of one version share one n8n home, so
 * they run in the order written (later ones rely on the server started for them).
 */
import * as fs from 'fs';

import {
	EXAMPLE_CREDENTIALS,
	EXAMPLES,
	EXAMPLES_DIR,
	loadExample,
	type ExampleName,
} from '../../scripts/n8n-runtime/examples';
import { readE2eEnvironment } from './environment';
import { useN8nRuntime, useN8nServer } from './fixture';
import { describeAiVoiceAgents } from './specs/aiVoiceAgents';
import { describeCallTriggers } from './specs/callTriggers';
import { describeCdrImport } from './specs/cdrImport';
import { describeClickToCall } from './specs/clickToCall';
import { describeFlows } from './specs/flows';
import { describeMorePbxs, describeQueueCall } from './specs/morePbxs';
import { describeOperations } from './specs/operations';
import { describePbxWebhooks } from './specs/pbxWebhooks';
import { describeSchemas } from './specs/schemas';
import { describeSecrets } from './specs/secrets';

const { runtimes } = readE2eEnvironment();

describe.each(runtimes.map((runtime) => [`${runtime.name} (n8n ${runtime.n8nVersion})`, runtime]))(
	'n8n %s',
	(_label, runtime) => {
		const context = useN8nRuntime(runtime);

		describe('n8n execute', () => {
			describeOperations(context);
			describeCdrImport(context);
			describeQueueCall(context);
		});

		describe('n8n start', () => {
			const server = useN8nServer(context);
			describePbxWebhooks(context, server);
			describeSchemas(server);
			describeClickToCall(context, server);
			describeMorePbxs(context, server);
			describeFlows(context, server);
			describeAiVoiceAgents(context, server);
		});

		describeCallTriggers(context);

		describeSecrets(context);
	},
);

describe('examples/', () => {
	it('every example workflow is run by this suite', () => {
		const files = fs.readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json'));
		expect(files.sort()).toEqual(
			Object.values(EXAMPLES)
				.map((example) => example.file)
				.sort(),
		);
	});

	it.each(Object.keys(EXAMPLES) as ExampleName[])(
		'%s references only the credentials the demo and the suite import',
		(name) => {
			const workflow = loadExample(name);
			expect(workflow.id).toBe(EXAMPLES[name].id);
			// n8n 2.0.x's import:workflow needs it (see versionIdFor); the others replace or ignore it.
			expect(workflow.versionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
			const references = workflow.nodes.flatMap((node) =>
				Object.entries((node.credentials ?? {}) as Record<string, { id: string; name: string }>),
			);
			expect(references.length).toBeGreaterThan(0);
			const known = Object.values(EXAMPLE_CREDENTIALS).map(({ id, name, type }) => [
				type,
				{ id, name },
			]);
			for (const reference of references) expect(known).toContainEqual(reference);
		},
	);
});
