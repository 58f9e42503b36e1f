/**
 * The executions n8n stored in the shared PostgreSQL database, read with psql: how a test sees
 * what the workers did, without an API key or an owner account.
 */
import type { PostgresServer } from './postgres';

export interface QueueExecution {
	id: string;
	workflowId: string;
	/** 'success', 'error', 'crashed', 'running', 'new', 'waiting', ... */
	status: string;
	/** 'webhook', 'trigger', ... */
	mode: string;
	finished: boolean;
	startedAt: string | null;
	stoppedAt: string | null;
}

export async function readQueueExecutions(
	postgres: PostgresServer,
	workflowId: string,
): Promise<QueueExecution[]> {
	if (!/^[A-Za-z0-9]+$/.test(workflowId)) throw new Error(`Not a workflow id: ${workflowId}`);
	const rows = await postgres.query(
		`SELECT coalesce(json_agg(e ORDER BY e.id), '[]') FROM (
			SELECT id::text AS id, "workflowId", status, mode, finished, "startedAt", "stoppedAt"
			FROM execution_entity WHERE "workflowId" = '${workflowId}') e`,
	);
	return JSON.parse(rows) as QueueExecution[];
}

/** Whether every execution has ended (successfully or not). */
export function allEnded(executions: QueueExecution[]): boolean {
	return executions.every((execution) => execution.stoppedAt !== null);
}
