/**
 * n8n's editor offers a node's credential types only through the `authentication` parameters that
 * match the node's version, and it matches them by a plain `includes` of the version in
 * `displayOptions.show['@version']` (editor-ui `isNodeFieldMatchingNodeVersion`), not by n8n's
 * `_cnd` ranges. Here every version of both push-style nodes must find exactly one such parameter,
 * offering both kinds of credential, with the version's own default.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { Bitrix24Telephony } from '../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { Bitrix24TelephonyTrigger } from '../../nodes/Bitrix24TelephonyTrigger/Bitrix24TelephonyTrigger.node';

/** The editor's rule, as n8n 2.41's editor applies it. */
function matchesVersion(field: INodeProperties, version: number): boolean {
	const versions = field.displayOptions?.show?.['@version'];
	return versions ? (versions as unknown[]).includes(version) : true;
}

function authFieldsFor(description: INodeTypeDescription, version: number): INodeProperties[] {
	return description.properties.filter(
		(field) => field.name === 'authentication' && matchesVersion(field, version),
	);
}

test.each([
	[
		'Bitrix24 Telephony',
		new Bitrix24Telephony().description,
		{ 1: 'webhook', 1.1: 'webhook', 1.2: 'oAuth2' },
	],
	[
		'Bitrix24 Telephony Trigger',
		new Bitrix24TelephonyTrigger().description,
		{ 1: 'outboundWebhook', 1.1: 'oAuth2' },
	],
] as const)(
	'%s: the editor finds one authentication field per version, with both credential kinds',
	(_name, description, defaults) => {
		const versions = [description.version].flat();
		expect(versions.map(String).sort()).toEqual(Object.keys(defaults).sort());
		for (const version of versions) {
			const fields = authFieldsFor(description, version);
			expect({ version, count: fields.length }).toEqual({ version, count: 1 });
			expect(fields[0].options).toHaveLength(2);
			expect({ version, default: fields[0].default }).toEqual({
				version,
				default: (defaults as Record<string, string>)[String(version)],
			});
		}
	},
);
