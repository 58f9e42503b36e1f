/**
 * The example workflows show what a user gets today: every Bitrix24 Telephony node and trigger is
 * its type's newest version, sets only parameters that version offers (n8n's own completion of the
 * node's parameters keeps every one of them), and holds the credential its authentication uses.
 */
import { NodeHelpers, type INodeParameters, type INodeTypeDescription } from 'n8n-workflow';
import glob from 'fast-glob';

import { Bitrix24Telephony } from '../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { Bitrix24TelephonyTrigger } from '../../nodes/Bitrix24TelephonyTrigger/Bitrix24TelephonyTrigger.node';
import { readText, repositoryRoot } from './repository';

const PACKAGE = 'n8n-nodes-bitrix24-telephony';
const DESCRIPTIONS: Record<string, INodeTypeDescription> = {
	[`${PACKAGE}.bitrix24Telephony`]: new Bitrix24Telephony().description,
	[`${PACKAGE}.bitrix24TelephonyTrigger`]: new Bitrix24TelephonyTrigger().description,
};

/** The credential type an authentication mode of the node uses, by the node's own description. */
function credentialOf(
	description: INodeTypeDescription,
	authentication: unknown,
): string | undefined {
	return description.credentials?.find((credential) =>
		(credential.displayOptions?.show?.authentication as unknown[] | undefined)?.includes(
			authentication,
		),
	)?.name;
}

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: INodeParameters;
	credentials?: Record<string, { id: string; name: string }>;
}

const nodes = glob
	.sync('examples/*.json', { cwd: repositoryRoot })
	.flatMap((file) =>
		(JSON.parse(readText(file)) as { nodes: ExampleNode[] }).nodes
			.filter((node) => node.type in DESCRIPTIONS)
			.map((node) => ({ file, node })),
	);

/** Keys of `set` that n8n's completion dropped, as "a.b" paths (collections one level deep). */
function dropped(set: INodeParameters, kept: INodeParameters, prefix = ''): string[] {
	return Object.entries(set).flatMap(([key, value]) => {
		if (!(key in kept)) return [`${prefix}${key}`];
		const inner = kept[key];
		const isCollection =
			value !== null &&
			typeof value === 'object' &&
			!Array.isArray(value) &&
			!('__rl' in (value as object));
		return isCollection && inner !== null && typeof inner === 'object'
			? dropped(value as INodeParameters, inner as INodeParameters, `${prefix}${key}.`)
			: [];
	});
}

test('the examples hold Bitrix24 Telephony nodes and the trigger', () => {
	expect(nodes.length).toBeGreaterThan(20);
	expect(nodes.some(({ node }) => node.type.endsWith('Trigger'))).toBe(true);
});

test.each(nodes.map(({ file, node }) => [file, node.name, node]))(
	'%s → %s: the newest version, only its parameters, the matching credential',
	(_file, _name, node) => {
		const example = node as ExampleNode;
		const description = DESCRIPTIONS[example.type];
		expect(example.typeVersion).toBe(description.defaultVersion);
		const typeVersion = { typeVersion: example.typeVersion };
		// n8n completes a node's parameters with the version's defaults and leaves out whatever the
		// version does not offer (a legacy field of an older version, say).
		const full = NodeHelpers.getNodeParameters(
			description.properties,
			example.parameters,
			true,
			false,
			typeVersion,
			description,
		) as INodeParameters;
		expect(dropped(example.parameters, full)).toEqual([]);
		expect(Object.keys(example.credentials ?? {})).toEqual([
			credentialOf(description, full.authentication),
		]);
	},
);
