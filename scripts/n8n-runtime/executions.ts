/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * The executions n8n stored in a home's database: how a test sees what a webhook or trigger
 * started in a running `n8n start`, without an API key or an owner account.
 */
import * as path from 'path';

import type { N8nHome, N8nRun } from './home';
import { runChecked } from './processes';

export interface StoredExecution {
	id: string;
	workflowId: string;
	/** 'success', 'error', 'running', 'new', ... */
	status: string;
	/** 'webhook', 'trigger', 'cli', ... */
	mode: string;
	finished: boolean;
	data: N8nRun['data'] | null;
}

const READER = path.join(__dirname, 'read-executions.js');

export async function readExecutions(
	home: N8nHome,
	workflowId?: string,
): Promise<StoredExecution[]> {
	const database = path.join(home.dir, '.n8n', 'database.sqlite');
	const args = [READER, home.runtime.dir, database, ...(workflowId ? [workflowId] : [])];
	const { stdout } = await runChecked(home.runtime.node, args, { cwd: home.runtime.dir });
	return JSON.parse(stdout) as StoredExecution[];
}
