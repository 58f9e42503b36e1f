/**
 * How the e2e harness reads `n8n execute --rawOutput`: the run JSON among n8n's log lines
 * (scripts/n8n-runtime/home.ts), and those log lines without it, for a report.
 */
import { logAroundRun, parseRun } from '../../scripts/n8n-runtime/home';

const run = { data: { resultData: { runData: {} } }, finished: true, status: 'success' };
const printed = [
	'Loading nodes…',
	JSON.stringify(run, null, 2),
	'Database connection closed',
	'',
].join('\n');

describe('the output of n8n execute', () => {
	test('the run is the JSON among the log lines', () => {
		expect(parseRun({ stdout: printed, stderr: '', code: 0 })).toEqual(run);
	});

	test('what it printed besides the run: the log lines before and after it, and stderr', () => {
		expect(logAroundRun({ stdout: printed, stderr: 'a warning\n', code: 1 })).toBe(
			'Loading nodes…\n\nDatabase connection closed\na warning',
		);
	});

	test('no run printed: an error with everything n8n printed, and the whole output as its log', () => {
		const failed = { stdout: 'There was an error initializing DB', stderr: 'boom', code: 1 };
		expect(() => parseRun(failed)).toThrow(
			'n8n execute printed no run (exit code 1)\nThere was an error initializing DB\nboom',
		);
		expect(logAroundRun(failed)).toBe('There was an error initializing DB\nboom');
	});
});
