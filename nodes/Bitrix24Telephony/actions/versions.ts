/**
 * The node's versions and what depends on them. 1.1 turned Simplify on and moved External Call
 * ID to the top; 1.2 defaults to the OAuth2 credential (Bitrix24's current documentation allows
 * register, finish and the line methods only in an application's context) and drops the fields
 * kept only for workflows saved before (the legacy External Call ID, Finish's deprecated Record
 * URL). Saved workflows keep their version and its defaults.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { AuthenticationMode } from '../transport/auth/connection';

/** `displayOptions.show` of an operation's fields, e.g. `{ resource: ['call'], operation: ['register'] }`. */
export type ShowWhen = NonNullable<IDisplayOptions['show']>;

/** Version ranges, for `displayOptions.show['@version']`. */
export const VERSIONS = {
	/** Versions that still offer the legacy fields: workflows saved in them may have set them. */
	withLegacyFields: { '@version': [1, 1.1] },
	/** 1.1 and later. */
	from11: { '@version': [{ _cnd: { gte: 1.1 } }] },
	/** 1.2 and later. */
	from12: { '@version': [{ _cnd: { gte: 1.2 } }] },
} satisfies Record<string, ShowWhen>;

/**
 * The `authentication` parameter for a range of versions, with that range's default. n8n's editor
 * shows no field for it when a node offers several credential types: the Credential field lists
 * both, and picking one sets it.
 */
export function authenticationProperty(
	defaultMode: AuthenticationMode,
	versions: ShowWhen,
): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Inbound Webhook',
				value: 'webhook',
				description:
					'A webhook URL from Bitrix24. Enough for Show/Hide Card, Search, Get Call History and the attach operations; newer portals require OAuth2 for Register, Finish, Log Completed Call and lines.',
			},
			{
				name: 'OAuth2 (Local Application)',
				value: 'oAuth2',
				description: 'A Bitrix24 local application. Works for every method on every portal.',
			},
		],
		default: defaultMode,
		displayOptions: { show: versions },
	};
}

/** Options of Additional Fields (and Finish Fields) that only versions 1 and 1.1 offer. */
export const LEGACY_FIELDS = {
	/** External Call ID moved to the top in 1.1. */
	register: ['externalCallId'],
	/** Bitrix24 deprecated RECORD_URL; Attach Record replaces it. */
	finish: ['recordUrl'],
};

/**
 * An "Additional Fields" collection per node version: versions 1 and 1.1 offer every option
 * (workflows saved in them may have set the legacy ones), 1.2 and later leave `legacy` out. A
 * value saved in a legacy option keeps being read: only what the editor offers changes.
 */
export function additionalFieldsByVersion(
	show: ShowWhen,
	options: INodeProperties[],
	legacy: string[],
	collection: { name: string; displayName: string } = {
		name: 'additionalFields',
		displayName: 'Additional Fields',
	},
): INodeProperties[] {
	const current = options.filter((option) => !legacy.includes(option.name));
	return [
		{ ...VERSIONS.withLegacyFields, options },
		{ ...VERSIONS.from12, options: current },
	].map(({ options: offered, ...versions }) => ({
		...collection,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { ...show, ...versions } },
		options: offered,
	}));
}
