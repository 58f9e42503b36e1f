/**
 * What the editor shows, decided by n8n-workflow's own display rules (the ones the editor and the
 * engine use): the webhook notices, the fields of each version, and the defaults a saved
 * workflow is completed with.
 */
import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { Bitrix24Telephony } from '../../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';

const description = new Bitrix24Telephony().description;

/** The parameters the editor shows for `values`, by name, after n8n filled in the defaults. */
function shown(values: INodeParameters, typeVersion = 1.1): INodeProperties[] {
	const node = { typeVersion };
	const full = NodeHelpers.getNodeParameters(
		description.properties,
		values,
		true,
		false,
		node,
		description,
	) as INodeParameters;
	return description.properties.filter((property) =>
		NodeHelpers.displayParameter(full, property, node, description),
	);
}

const noticeOf = (values: INodeParameters) =>
	shown(values).filter((property) => property.type === 'notice');

describe('the webhook notice: which operations may need OAuth2', () => {
	test.each([
		['call', 'register'],
		['call', 'finish'],
		['call', 'logCompletedCall'],
		['line', 'create'],
		['line', 'update'],
		['line', 'delete'],
		['line', 'getAll'],
	])('shown on %s → %s with the webhook', (resource, operation) => {
		const notices = noticeOf({ authentication: 'webhook', resource, operation });
		expect(notices).toHaveLength(1);
		expect(notices[0].displayName).toContain('WRONG_AUTH_TYPE');
		// n8n's editor shows no Authentication field here: the user switches in the Credential field.
		expect(notices[0].displayName).toContain(
			'choose or create a Bitrix24 OAuth2 API credential in the Credential field',
		);
		expect(notices[0].displayName).not.toContain('set Authentication');
	});

	test.each([['show'], ['hide'], ['searchCrmEntities'], ['attachRecord'], ['attachTranscription']])(
		'not shown on call → %s, which webhooks may call',
		(operation) => {
			expect(noticeOf({ authentication: 'webhook', resource: 'call', operation })).toEqual([]);
		},
	);

	test('not shown with OAuth2', () => {
		expect(noticeOf({ authentication: 'oAuth2', resource: 'call', operation: 'register' })).toEqual(
			[],
		);
	});
});

describe('versions', () => {
	test('new nodes are version 1.2; versions 1 and 1.1 stay loadable for saved workflows', () => {
		expect(description.version).toEqual([1, 1.1, 1.2]);
		expect(description.defaultVersion).toBe(1.2);
	});

	test.each([
		[1, false],
		[1.1, true],
		[1.2, true],
	])('version %s: Simplify defaults to %s', (version, on) => {
		const full = NodeHelpers.getNodeParameters(
			description.properties,
			{ resource: 'call', operation: 'register' },
			true,
			false,
			{ typeVersion: version },
			description,
		) as INodeParameters;
		expect(full.simplify).toBe(on);
	});

	test.each([
		[1, 'string'],
		[1.1, 'multiOptions'],
		[1.2, 'multiOptions'],
	])('version %s: Show Card users are a %s field', (version, type) => {
		const users = shown({ resource: 'call', operation: 'show' }, version).filter(
			(property) => property.name === 'userIds',
		);
		expect(users.map((property) => property.type)).toEqual([type]);
	});

	test('External Call ID is the first field of Register', () => {
		const fields = shown({ authentication: 'oAuth2', resource: 'call', operation: 'register' });
		const afterOperation = fields.filter(
			(property) => !['authentication', 'resource', 'operation'].includes(property.name),
		);
		expect(afterOperation[0].name).toBe('externalCallId');
	});
});

describe('placeholders', () => {
	function placeholders(properties: INodeProperties[]): string[] {
		return properties.flatMap((property) => [
			...(property.placeholder && property.type !== 'collection' ? [property.placeholder] : []),
			...(property.modes ?? []).flatMap((mode) => (mode.placeholder ? [mode.placeholder] : [])),
			...placeholders((property.options ?? []) as INodeProperties[]),
		]);
	}

	test('every field placeholder begins with "e.g."', () => {
		const all = placeholders(description.properties);
		expect(all.length).toBeGreaterThan(10);
		expect(all.filter((text) => !text.startsWith('e.g. '))).toEqual([]);
	});
});
