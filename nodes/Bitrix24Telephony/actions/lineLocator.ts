/**
 * An external line picked from the portal's list or typed by number: Register's Line Number and
 * the line to update or delete. Bitrix24 identifies lines by NUMBER. A plain string (what older
 * workflows saved, or an expression) is read as the number.
 */
import type { INodeProperties } from 'n8n-workflow';

import { isBlank, toIdentifier } from './checks';

export function lineLocatorProperty(
	field: { name: string; displayName: string },
	description: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'e.g. Main line (+493012345678)',
				typeOptions: { searchListMethod: 'searchLines', searchable: true },
			},
			{
				displayName: 'By Number',
				name: 'number',
				type: 'string',
				placeholder: 'e.g. +493012345678',
			},
		],
		...extra,
	};
}

/** The number inside a locator value `{ __rl, mode, value }`, or the value itself. */
export function locatorValue(raw: unknown): unknown {
	if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'value' in raw)
		return (raw as { value: unknown }).value;
	return raw;
}

/** LINE_NUMBER / NUMBER: Bitrix24 trims it and cuts it to 50 characters; refuse rather than cut. */
export function toLineNumber(raw: unknown): string | undefined {
	const value = locatorValue(raw);
	if (isBlank(value)) return undefined;
	return toIdentifier(value, { maxLength: 50 });
}
