import { restMethods, usePortal, webhookCredentials } from '../../../../helpers/portal';
import { runNode } from '../../../../helpers/workflowRunner';

const { portal } = usePortal();
const run = (parameters: Record<string, unknown>) =>
	runNode({
		credentials: webhookCredentials(portal()),
		parameters: { resource: 'line', ...parameters } as never,
	});

beforeEach(() => portal().clearRequests());

describe('Line operations (by NUMBER, as Bitrix24 wants)', () => {
	test('create, update, get many, delete', async () => {
		const created = await run({
			operation: 'create',
			number: '+4940555000',
			name: 'Hamburg',
			crmAutoCreate: false,
		});
		expect(created.status).toBe('success');
		expect(portal().requests[0].params).toEqual({
			NUMBER: '+4940555000',
			NAME: 'Hamburg',
			CRM_AUTO_CREATE: 'N',
		});
		expect(created.items[0].json).toMatchObject({
			NUMBER: '+4940555000',
			NAME: 'Hamburg',
			CRM_AUTO_CREATE: 'N',
		});
		expect(typeof created.items[0].json.ID).toBe('number');

		const updated = await run({
			operation: 'update',
			number: '+4940555000',
			updateFields: { name: 'Hamburg office', crmAutoCreate: true },
		});
		expect(portal().requests[1].params).toEqual({
			NUMBER: '+4940555000',
			NAME: 'Hamburg office',
			CRM_AUTO_CREATE: 'Y',
		});
		expect(updated.items[0].json.ID).toBe(String(created.items[0].json.ID));

		const all = await run({ operation: 'getAll', returnAll: true });
		expect(all.items.map((i) => i.json)).toContainEqual({
			NUMBER: '+4940555000',
			NAME: 'Hamburg office',
			CRM_AUTO_CREATE: 'Y',
		});

		const limited = await run({ operation: 'getAll', returnAll: false, limit: 1 });
		expect(limited.items).toHaveLength(1);

		const deleted = await run({ operation: 'delete', number: '+4940555000' });
		expect(deleted.items[0].json).toEqual({ deleted: true, NUMBER: '+4940555000' });
		expect(portal().state.lines.find((l) => l.number === '+4940555000')).toBeUndefined();
	});

	test("a duplicate line gets Bitrix24's error", async () => {
		const result = await run({ operation: 'create', number: '+493000000', name: 'Again' });
		expect(result.error?.message).toContain('Line already exists');
	});

	test('an update with nothing to change is refused before any request', async () => {
		const result = await run({ operation: 'update', number: '+493000000', updateFields: {} });
		expect(result.error?.message).toContain("'Update Fields' is empty");
		expect(restMethods(portal())).toEqual([]);
	});
});
