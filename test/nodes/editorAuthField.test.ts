/**
 * n8n's editor offers a node's credential types only through the `authentication` parameters that
 * match the node's version, and it matches them by a plain `includes` of the version in
 * `displayOptions.show['@version']` (editor-ui `isNodeFieldMatchingNodeVersion`), not by n8n's
 * `_cnd` ranges. Here every version of both push-style nodes must find exactly one such parameter,
 * offering both kinds of credential, with the version's own default.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { Bitrix24Telephony } from '../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { Bitrix24TelephonyPollTrigger } from '../../nodes/Bitrix24TelephonyPollTrigger/Bitrix24TelephonyPollTrigger.node';
import { Bitrix24TelephonyTrigger } from '../../nodes/Bitrix24TelephonyTrigger/Bitrix24TelephonyTrigger.node';

const ACTION_NODE = new Bitrix24Telephony().description;
const TRIGGER = new Bitrix24TelephonyTrigger().description;
const POLL_TRIGGER = new Bitrix24TelephonyPollTrigger().description;

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
	['Bitrix24 Telephony', ACTION_NODE, { 1: 'webhook', 1.1: 'webhook', 1.2: 'oAuth2' }],
	['Bitrix24 Telephony Trigger', TRIGGER, { 1: 'outboundWebhook', 1.1: 'oAuth2' }],
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

/**
 * The fields a credential depends on (the keys of its `displayOptions.show`) are "auth fields" to
 * n8n's editor, and it hides from the panel every field named in an auth field's own `show`, to
 * show it in the credential dialog instead (editor-ui `getNodeAuthFields` + `isAuthRelatedParameter`,
 * applied by `useNodeHelpers().displayParameter` whatever the node's version). A field of ours there
 * vanishes from the panel: the trigger's Events did, while Fetch Call Record was shown by them.
 */
function fieldsTheEditorHides(description: INodeTypeDescription): string[] {
	const authFieldNames = new Set(
		(description.credentials ?? []).flatMap((credential) =>
			Object.keys(credential.displayOptions?.show ?? {}),
		),
	);
	const authFields = description.properties.filter((field) => authFieldNames.has(field.name));
	const namedInAuthFields = new Set(
		authFields.flatMap((field) => Object.keys(field.displayOptions?.show ?? {})),
	);
	return description.properties
		.filter((field) => namedInAuthFields.has(field.name))
		.map((field) => field.name);
}

test.each([
	['Bitrix24 Telephony', ACTION_NODE],
	['Bitrix24 Telephony Trigger', TRIGGER],
	['Bitrix24 Telephony Poll Trigger', POLL_TRIGGER],
] as const)('%s: the editor hides none of its fields as auth-related', (_name, description) => {
	expect(fieldsTheEditorHides(description)).toEqual([]);
});

/**
 * A node added in the editor gets the first credential the user has of any type the node lists,
 * and its `authentication` is set to the value that credential's `show.authentication` names
 * (editor-ui `getAuthTypeForNodeCredential`, on adding a node). Only the credentials that *are*
 * an authentication mode may name one; the trigger's record-fetch webhook is an extra.
 */
test.each([
	['Bitrix24 Telephony', ACTION_NODE, ['bitrix24WebhookApi', 'bitrix24OAuth2Api']],
	['Bitrix24 Telephony Trigger', TRIGGER, ['bitrix24OutboundWebhookApi', 'bitrix24OAuth2Api']],
] as const)(
	'%s: only the credentials of an authentication mode switch it when the editor assigns them',
	(_name, description, modeCredentials) => {
		const switching = (description.credentials ?? [])
			.filter((credential) => credential.displayOptions?.show?.authentication !== undefined)
			.map((credential) => credential.name);
		expect(switching).toEqual(modeCredentials);
	},
);
