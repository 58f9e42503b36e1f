/**
 * Version 1.2 as the editor shows it, decided by n8n-workflow's own display rules (the ones the
 * editor and the engine use): the OAuth2 credential by default, no legacy fields; versions 1 and
 * 1.1 unchanged. And the editor fixes that live in the description (issue 20 §3.7–3.11).
 */
import {
	NodeHelpers,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { Bitrix24Telephony } from '../../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';

const description = new Bitrix24Telephony().description;

/** The node's parameters after n8n completed them with the version's defaults. */
function completed(values: INodeParameters, typeVersion: number): INodeParameters {
	return NodeHelpers.getNodeParameters(
		description.properties,
		values,
		true,
		false,
		{ typeVersion },
		description,
	) as INodeParameters;
}

/** The top-level properties the editor shows for `values`. */
function shown(values: INodeParameters, typeVersion: number): INodeProperties[] {
	const full = completed(values, typeVersion);
	return description.properties.filter((property) =>
		NodeHelpers.displayParameter(full, property, { typeVersion }, description),
	);
}

/** The options a shown collection offers, by name. */
function collectionOptions(values: INodeParameters, typeVersion: number, name: string): string[] {
	const collections = shown(values, typeVersion).filter((property) => property.name === name);
	expect(collections).toHaveLength(1);
	return (collections[0].options as INodeProperties[]).map((option) => option.name);
}

/** The credential types the node asks for with these parameters. */
function credentialsFor(values: INodeParameters, typeVersion: number): string[] {
	const full = completed(values, typeVersion);
	return (description.credentials ?? [])
		.filter((credential) =>
			NodeHelpers.displayParameter(full, credential, { typeVersion }, description),
		)
		.map((credential) => credential.name);
}

const register = { resource: 'call', operation: 'register' };
const finish = { resource: 'call', operation: 'finish' };
const logCompletedCall = { resource: 'call', operation: 'logCompletedCall' };

describe('authentication by version', () => {
	test.each([
		[1, 'webhook', 'bitrix24WebhookApi'],
		[1.1, 'webhook', 'bitrix24WebhookApi'],
		[1.2, 'oAuth2', 'bitrix24OAuth2Api'],
	])('version %s defaults to %s (credential %s)', (version, mode, credential) => {
		expect(completed(register, version).authentication).toBe(mode);
		expect(credentialsFor(register, version)).toEqual([credential]);
	});

	test('a 1.2 node set to the webhook keeps it, and gets the notice naming the Credential field', () => {
		const values = { authentication: 'webhook', ...register };
		expect(credentialsFor(values, 1.2)).toEqual(['bitrix24WebhookApi']);
		const notices = shown(values, 1.2).filter((property) => property.type === 'notice');
		expect(notices.map((notice) => notice.displayName)).toEqual([
			expect.stringContaining('in the Credential field'),
		]);
	});

	test('a new 1.2 node shows no webhook notice', () => {
		expect(shown(register, 1.2).filter((property) => property.type === 'notice')).toEqual([]);
	});

	test('exactly one Authentication property is shown in each version', () => {
		for (const version of description.version as number[])
			expect(shown(register, version).filter((p) => p.name === 'authentication')).toHaveLength(1);
	});
});

describe('legacy fields only where saved workflows may use them', () => {
	test.each([1, 1.1])(
		'version %s still offers External Call ID (Legacy) and Record URL',
		(version) => {
			expect(collectionOptions(register, version, 'additionalFields')).toContain('externalCallId');
			expect(collectionOptions(finish, version, 'additionalFields')).toContain('recordUrl');
			expect(collectionOptions(logCompletedCall, version, 'finishFields')).toContain('recordUrl');
		},
	);

	test('version 1.2 offers neither, and keeps every other option', () => {
		const registerOptions = collectionOptions(register, 1.2, 'additionalFields');
		expect(registerOptions).not.toContain('externalCallId');
		expect(registerOptions).toEqual(
			collectionOptions(register, 1.1, 'additionalFields').filter((n) => n !== 'externalCallId'),
		);
		expect(collectionOptions(finish, 1.2, 'additionalFields')).not.toContain('recordUrl');
		expect(collectionOptions(logCompletedCall, 1.2, 'finishFields')).not.toContain('recordUrl');
		expect(collectionOptions(logCompletedCall, 1.2, 'additionalFields')).not.toContain(
			'externalCallId',
		);
	});

	test('External Call ID at the top is shown in 1.1 and 1.2', () => {
		for (const version of [1.1, 1.2])
			expect(shown(register, version).map((p) => p.name)).toContain('externalCallId');
	});
});

describe('what the editor shows in the fields', () => {
	const registerOption = (name: string) =>
		(
			shown(register, 1.2).find((p) => p.name === 'additionalFields')?.options as INodeProperties[]
		).find((option) => option.name === name) as INodeProperties;

	test('Finish → Status: every label is different, the values unchanged', () => {
		const status = shown(finish, 1.2).find((p) => p.name === 'statusCode') as INodeProperties;
		const options = status.options as INodePropertyOptions[];
		const labels = options.map((option) => option.name);
		expect(new Set(labels).size).toBe(labels.length);
		expect(options.map((option) => option.value)).toEqual([
			'auto',
			'200',
			'304',
			'603',
			'603-S',
			'403',
			'404',
			'486',
			'484',
			'503',
			'480',
			'402',
			'423',
			'OTHER',
		]);
		// Shown without the code too (the dropdown can be narrow): still different.
		const words = labels.map((label) => label.replace(/\s*\([^)]*\)\s*$/, ''));
		expect(new Set(words).size).toBe(words.length);
	});

	test('Line Number: the mode label fits the 92 px selector, and the field says why the list may be empty', () => {
		const line = registerOption('lineNumber');
		expect(line.modes?.map((mode) => [mode.name, mode.displayName])).toEqual([
			['list', 'From List'],
			['number', 'By No.'],
		]);
		expect(line.hint).toContain('only the lines this credential');
		expect(line.hint).toContain('By No.');
	});

	test('CRM Entity ID says that 0 means not set', () => {
		expect(registerOption('crmEntityId').description).toContain('0 means not set');
	});
});
