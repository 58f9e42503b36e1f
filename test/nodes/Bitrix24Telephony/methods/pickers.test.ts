/**
 * The pickers, run in n8n-core's own LoadOptionsContext (what the editor calls) against the
 * sandbox.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { searchLines } from '../../../../nodes/Bitrix24Telephony/methods/lines';
import { getCrmSources, getLines } from '../../../../nodes/Bitrix24Telephony/methods/options';
import { REGISTER_ADDITIONAL_FIELDS } from '../../../../nodes/Bitrix24Telephony/actions/call/register.operation';
import { getUsers, searchUsers } from '../../../../nodes/Bitrix24Telephony/methods/users';
import { usePortal } from '../../../helpers/portal';
import { buildTestWorkflow } from '../../../helpers/workflowRunner';

const { portal } = usePortal();

function pickerContext(webhookUrl = portal().webhookUrl): ILoadOptionsFunctions {
	const { workflow, node, additionalData } = buildTestWorkflow({
		credentials: { bitrix24WebhookApi: { webhookUrl } },
		parameters: { authentication: 'webhook', resource: 'call', operation: 'register' },
	});
	return new LoadOptionsContext(
		workflow,
		node,
		additionalData,
		'parameters.userId',
	) as unknown as ILoadOptionsFunctions;
}

describe('User picker', () => {
	test('lists active employees as "Name (ext. 101)" with a link', async () => {
		const { results } = await searchUsers.call(pickerContext());
		expect(results).toContainEqual({
			name: 'Anna Schmidt (ext. 101)',
			value: '1',
			url: `${portal().url}/company/personal/user/1/`,
		});
		expect(results.map((r) => r.name)).not.toContain('Dmitri Fired (ext. 104)');
	});

	test('digits search the extension', async () => {
		const { results } = await searchUsers.call(pickerContext(), '102');
		expect(results.map((r) => r.value)).toEqual(['2']);
	});

	test('text searches names', async () => {
		const { results } = await searchUsers.call(pickerContext(), 'Chen');
		expect(results.map((r) => r.name)).toEqual(['Chen Li (ext. 103)']);
	});

	test('a name search leaves dismissed employees out (user.search takes FIND alone)', async () => {
		const { results } = await searchUsers.call(pickerContext(), 'Fired');
		expect(results).toEqual([]);
		const { results: active } = await searchUsers.call(pickerContext(), 'Anna');
		expect(active.map((r) => r.value)).toEqual(['1']);
	});

	test('a credential without the user scope: the picker says which scope to add', async () => {
		const url = portal().addWebhook({ userId: 1, scopes: ['telephony', 'crm'] });
		await expect(searchUsers.call(pickerContext(url))).rejects.toThrow(
			'The credential lacks the "user" permission needed for user.get',
		);
	});
});

describe('CRM source and line pickers', () => {
	test('sources by STATUS_ID', async () => {
		const options = await getCrmSources.call(pickerContext());
		expect(options).toContainEqual({ name: 'Call', value: 'CALL', description: 'STATUS_ID CALL' });
	});

	test("the field's starting value '' is the first choice (no \"value is not supported\" in the editor)", async () => {
		const options = await getCrmSources.call(pickerContext());
		const crmSource = REGISTER_ADDITIONAL_FIELDS.find((field) => field.name === 'crmSource');
		expect(options[0]).toMatchObject({ value: crmSource?.default });
		expect(options[0].name).toContain('Not Sent');
		expect(options.filter((o) => o.value === '')).toHaveLength(1);
	});

	test('sources beyond the first page of 50 are listed too', async () => {
		const { statuses } = portal().state;
		const added = Array.from({ length: 55 }, (_, i) => ({
			id: 9000 + i,
			entityId: 'SOURCE',
			statusId: `UC_EXTRA${i}`,
			name: `Extra ${i}`,
			sort: 1000 + i,
			system: false,
		}));
		statuses.push(...added);
		try {
			const options = await getCrmSources.call(pickerContext());
			expect(options.map((o) => o.value)).toContain('UC_EXTRA54');
			expect(options.map((o) => o.value)).toContain('CALL');
		} finally {
			statuses.splice(statuses.length - added.length, added.length);
		}
	});

	test('lines by NUMBER', async () => {
		const options = await getLines.call(pickerContext());
		expect(options).toContainEqual({ name: 'Main line (+493000000)', value: '+493000000' });
	});

	test('a credential without the crm scope is told so', async () => {
		const url = portal().addWebhook({ userId: 1, scopes: ['telephony', 'user'] });
		await expect(getCrmSources.call(pickerContext(url))).rejects.toThrow('"crm" permission');
	});
});

describe('Line Number picker (resource locator)', () => {
	test('lists the lines as "Name (number)", by number', async () => {
		const { results } = await searchLines.call(pickerContext());
		expect(results).toContainEqual({ name: 'Main line (+493000000)', value: '+493000000' });
	});

	test('filters by name or number', async () => {
		expect((await searchLines.call(pickerContext(), 'main')).results.length).toBeGreaterThan(0);
		expect((await searchLines.call(pickerContext(), 'no such line')).results).toEqual([]);
	});
});

describe('Show/Hide Card user picker (multi-select)', () => {
	test('lists every active employee by user ID, named with their extension', async () => {
		portal().clearRequests();
		const options = await getUsers.call(pickerContext());
		expect(options.length).toBeGreaterThan(1);
		expect(options.every((o) => /^\d+$/.test(String(o.value)))).toBe(true);
		expect(options.some((o) => / \(ext\. \d+\)$/.test(o.name))).toBe(true);
		expect(portal().requests.map((r) => r.restMethod)).toContain('user.get');
	});
});
