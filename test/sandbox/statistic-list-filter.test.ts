/**
 * voximplant.statistic.get with a plain list as a FILTER value (docs/bitrix24-fidelity.md row 53):
 * `IN`, as the ORM builds it. Sources: the method's page in b24restdocs
 * (`api-reference/telephony/voximplant/voximplant-statistic-get.md`, every example sends
 * `"FILTER": {"ID": [1, 7]}`); `CVoxImplantRestService::checkStatisticFilter` (vi_rest.php) passes
 * plain lists through to `StatisticTable::getList`; `Helper::finishExternalCall` writes
 * EXTERNAL_CALL_ID into the statistics row (bitrix24-core-corp `voximplant/lib/rest/helper.php`).
 */
import axios from 'axios';
import { Sandbox, startSandbox } from '../../sandbox';

const client = axios.create({ validateStatus: () => true });

describe('voximplant.statistic.get: list filters', () => {
	let sandbox: Sandbox;
	const call = async (method: string, params: unknown) =>
		(await client.post(`${sandbox.webhookUrl}${method}.json`, params)).data;

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 'demo' });
		for (const id of ['list-a', 'list-b', 'list-c']) {
			const registered = await call('telephony.externalcall.register', {
				USER_PHONE_INNER: '101',
				PHONE_NUMBER: '+4930555000',
				TYPE: 2,
				EXTERNAL_CALL_ID: id,
			});
			await call('telephony.externalcall.finish', {
				CALL_ID: registered.result.CALL_ID,
				USER_PHONE_INNER: '101',
				DURATION: 10,
			});
		}
	});
	afterAll(() => sandbox.close());

	const ids = (answer: { result: Array<{ EXTERNAL_CALL_ID: string }> }) =>
		answer.result.map((row) => row.EXTERNAL_CALL_ID).sort();

	it('a JSON list is IN; "!" is NOT IN; matching ignores case like the database', async () => {
		expect(
			ids(
				await call('voximplant.statistic.get', {
					FILTER: { EXTERNAL_CALL_ID: ['list-a', 'LIST-C', 'never'] },
				}),
			),
		).toEqual(['list-a', 'list-c']);
		const others = await call('voximplant.statistic.get', {
			FILTER: { '!EXTERNAL_CALL_ID': ['list-a', 'list-b'] },
		});
		expect(ids(others)).toContain('list-c');
		expect(ids(others)).not.toContain('list-a');
	});

	it('the same list in PHP bracket form (as a batch command carries it) is IN too', async () => {
		const answer = await call('batch', {
			halt: 1,
			cmd: {
				q: 'voximplant.statistic.get?FILTER[EXTERNAL_CALL_ID][0]=list-b&FILTER[EXTERNAL_CALL_ID][1]=list-c',
			},
		});
		expect(
			(answer.result.result.q as Array<{ EXTERNAL_CALL_ID: string }>)
				.map((row) => row.EXTERNAL_CALL_ID)
				.sort(),
		).toEqual(['list-b', 'list-c']);
	});
});
