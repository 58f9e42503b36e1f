'use strict';
/**
 * Prints the executions an n8n user folder's SQLite database holds, as JSON, with each run's
 * data decoded. Run it with the runtime's own Node and from the runtime's folder: it borrows
 * n8n's own sqlite3 (built for that Node) and flatted (n8n's format for stored run data).
 *
 *   <node> read-executions.js <runtimeDir> <database.sqlite> [workflowId]
 */
const path = require('path');

const [runtimeDir, databaseFile, workflowId] = process.argv.slice(2);
const fromRuntime = (name) => require(path.join(runtimeDir, 'node_modules', name));
const sqlite3 = fromRuntime('sqlite3');
const { parse } = fromRuntime('flatted');

const query = `
	SELECT e.id, e.workflowId, e.status, e.mode, e.finished, d.data
	FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id
	${workflowId ? 'WHERE e.workflowId = ?' : ''}
	ORDER BY e.id`;

const db = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY, (openError) => {
	if (openError) fail(openError);
	db.all(query, workflowId ? [workflowId] : [], (error, rows) => {
		if (error) fail(error);
		const executions = rows.map(({ data, finished, ...row }) => ({
			...row,
			id: String(row.id),
			finished: finished === 1,
			data: data ? parse(data) : null,
		}));
		process.stdout.write(JSON.stringify(executions));
		db.close();
	});
});

function fail(error) {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
}
