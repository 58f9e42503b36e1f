/** examples/cdr-csv-import.json through `n8n execute`: three CSV rows, three calls logged in bulk. */
import { DEMO_SEED as SEED } from '../../../scripts/n8n-runtime/demoSeed';
import { EXAMPLES } from '../../../scripts/n8n-runtime/examples';
import { nodeOutput } from '../../../scripts/n8n-runtime/home';
import type { E2eContext } from '../fixture';
import { finishedCallByExternalId, methodsCalled } from '../portal';

export function describeCdrImport(context: () => E2eContext): void {
	it('example "CDR CSV → Log Completed Call": every row becomes a finished call, in one batch request', async () => {
		const { home, sandbox } = context();
		sandbox.clearRequests();
		const result = await home.execute(EXAMPLES.cdrCsvImport.id);
		expect(result.code).toBe(0);

		expect(nodeOutput(result.run, 'Read CSV rows')).toHaveLength(3);
		expect(nodeOutput(result.run, 'Log completed call')).toHaveLength(3);

		// Row 1: the known contact, answered by extension 101.
		expect(finishedCallByExternalId(sandbox, '1741598102.101')).toMatchObject({
			portalUserId: SEED.anna.id,
			duration: 125,
			statusCode: '200',
			call: expect.objectContaining({
				type: 2,
				primaryEntityType: 'CONTACT',
				primaryEntityId: SEED.acmeContact.id,
			}),
		});
		// Row 2: an unknown number, not answered: a missed call and a new lead.
		const missed = finishedCallByExternalId(sandbox, '1741598533.102');
		expect(missed).toMatchObject({
			portalUserId: SEED.boris.id,
			duration: 0,
			statusCode: '304',
			missed: true,
		});
		expect(missed?.call.crmCreatedLead).toEqual(expect.any(Number));
		// Row 3: an outgoing call to the company.
		expect(finishedCallByExternalId(sandbox, '1741599011.103')).toMatchObject({
			portalUserId: SEED.chen.id,
			duration: 47,
			statusCode: '200',
			call: expect.objectContaining({
				type: 1,
				primaryEntityType: 'COMPANY',
				primaryEntityId: SEED.daisyCompany.id,
			}),
		});

		expect(sandbox.requests.map((request) => request.restMethod)).toEqual(['batch']);
		expect(methodsCalled(sandbox.requests).sort()).toEqual([
			...Array(3).fill('telephony.externalcall.finish'),
			...Array(3).fill('telephony.externalcall.register'),
		]);
	});
}
