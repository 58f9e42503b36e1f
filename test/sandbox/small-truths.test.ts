/**
 * Smaller portal truths (docs/bitrix24-fidelity.md rows 44–45): TIMEMAN_STATUS when the portal does
 * not track working time, and inbound webhooks with an expiration date.
 */
import axios from 'axios';
import { Sandbox, startSandbox } from '../../sandbox';

const client = axios.create({ validateStatus: () => true });

describe('smaller truths', () => {
	let sandbox: Sandbox;
	let clock = Date.parse('2026-12-07T09:00:00Z');
	beforeEach(async () => {
		clock = Date.parse('2026-12-07T09:00:00Z');
		sandbox = await startSandbox({ now: () => clock });
	});
	afterEach(() => sandbox.close());

	const statuses = async (url = sandbox.webhookUrl) => {
		const response = await client.post(`${url}telephony.externalcall.searchcrmentities.json`, {
			PHONE_NUMBER: '+4915112345678',
		});
		return (response.data.result as Array<{ ASSIGNED_BY: { TIMEMAN_STATUS: string } }>).map(
			(entity) => entity.ASSIGNED_BY.TIMEMAN_STATUS,
		);
	};

	it('TIMEMAN_STATUS is NOT_INSTALLED without the timeman module, UNAVAILABLE when tracking is off', async () => {
		expect(await statuses()).not.toContain('NOT_INSTALLED');
		sandbox.configure({ timeman: 'NOT_INSTALLED' });
		expect(new Set(await statuses())).toEqual(new Set(['NOT_INSTALLED']));
		sandbox.configure({ timeman: 'UNAVAILABLE' });
		expect(new Set(await statuses())).toEqual(new Set(['UNAVAILABLE']));
	});

	it('an expired inbound webhook is refused like a credential that no longer exists', async () => {
		const url = sandbox.addWebhook({ userId: 1, code: 'expiring01', expiresAt: clock + 60_000 });
		expect((await client.post(`${url}profile.json`)).status).toBe(200);
		clock += 61_000;
		const refused = await client.post(`${url}profile.json`);
		expect(refused.status).toBe(401);
		expect(refused.data).toEqual({
			error: 'INVALID_CREDENTIALS',
			error_description: 'Invalid request credentials',
		});
		// The webhook created at start has no expiry.
		expect((await client.post(`${sandbox.webhookUrl}profile.json`)).status).toBe(200);
	});
});
