/**
 * Reading one field of one item: a check from `checks.ts` on the value n8n gives
 * (`this.getNodeParameter`, through `nodeParameter`) and, when it fails, the error that names the
 * item and the field, before any request. Plus the readers of the fields in descriptions.ts.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeParameters,
	type INodeProperties,
} from 'n8n-workflow';

import { isBlank, toIdentifier, toPositiveInteger, ValueProblem } from './checks';
import { CALL_ID_FIELD, USER_FIELDS } from './descriptions';

/**
 * Per run (per execution context): the node's raw parameters, and for each parameter read either
 * the value n8n computed once (no expression in it) or PER_ITEM (it holds an expression).
 */
const runs = new WeakMap<object, { raw: INodeParameters; values: Map<string, unknown> }>();
const PER_ITEM = Symbol('per item');

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/**
 * `ctx.getNodeParameter(name, itemIndex, fallback)`. n8n computes a parameter anew for every item
 * (reads it, walks it for expressions, cleans it, checks its type), even one without any
 * expression, whose value is then the same for every item: such a parameter is computed by n8n
 * once per run (for the first item that reads it) and that value reused, as a copy. Anything holding an expression is
 * n8n's own per-item answer. Measured in `npm run bench` (1,000 registers: see bench/README.md).
 */
export function nodeParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
): unknown {
	let run = runs.get(ctx);
	if (!run) runs.set(ctx, (run = { raw: ctx.getNode().parameters, values: new Map() }));
	const key = `${name}\u0000${JSON.stringify(fallback) ?? ''}`;
	if (!run.values.has(key)) {
		const raw = name
			.split('.')
			.reduce<unknown>((value, part) => (value as IDataObject)?.[part], run.raw);
		const perItem = raw === undefined || hasExpression(raw);
		run.values.set(key, perItem ? PER_ITEM : ctx.getNodeParameter(name, itemIndex, fallback));
	}
	const value = run.values.get(key);
	if (value === PER_ITEM) return ctx.getNodeParameter(name, itemIndex, fallback);
	return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}

export interface FieldRef {
	name: string;
	displayName: string;
}

/**
 * The error for bad input, in n8n's style: the parameter in single quotes, the item as
 * `[item N]`, so that a user with 500 items finds the one to fix.
 */
export function invalidField(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: FieldRef,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`'${field.displayName}' ${problem} [item ${itemIndex}]`,
		{ itemIndex, description, level: 'warning' },
	);
}

/**
 * Runs one of the checks in `checks.ts` on a field's value and, when it fails, raises the
 * item-and-field error. Keeps operations to one line per parameter.
 */
export function readField<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: FieldRef,
	value: unknown,
	check: (value: unknown) => T,
): T {
	let problem: ValueProblem | undefined;
	let result: T | undefined;
	try {
		result = check(value);
	} catch (error) {
		if (!(error instanceof ValueProblem))
			throw invalidField(ctx, itemIndex, field, `is invalid: ${(error as Error).message}`);
		problem = error;
	}
	if (problem) throw invalidField(ctx, itemIndex, field, problem.message, problem.hint);
	return result as T;
}

/** `{ USER_ID }` or `{ USER_PHONE_INNER }`, validated. */
export function readUserIdentification(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { USER_ID: number } | { USER_PHONE_INNER: string } {
	const mode = nodeParameter(
		ctx,
		USER_FIELDS.userIdentification.name,
		itemIndex,
		'extension',
	) as string;
	if (mode === 'userId') {
		const raw = ctx.getNodeParameter(USER_FIELDS.userId.name, itemIndex, '', {
			extractValue: true,
		});
		const check = (value: unknown) => {
			if (isBlank(value))
				throw new ValueProblem('is empty', 'Choose the employee, or map their Bitrix24 user ID.');
			return toPositiveInteger(value);
		};
		return { USER_ID: readField(ctx, itemIndex, USER_FIELDS.userId, raw, check) };
	}
	const raw = nodeParameter(ctx, USER_FIELDS.userPhoneInner.name, itemIndex, '');
	const extension = readField(ctx, itemIndex, USER_FIELDS.userPhoneInner, raw, (value) => {
		if (isBlank(value))
			throw new ValueProblem(
				'is empty',
				'Map the extension of the employee who took or made the call.',
			);
		return toIdentifier(value, { maxLength: 50 });
	});
	return { USER_PHONE_INNER: extension };
}

/** CALL_ID, always as a string: Bitrix24 refuses a number ("CALL_ID must be a string"). */
export function readCallId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readField(
		ctx,
		itemIndex,
		CALL_ID_FIELD,
		nodeParameter(ctx, CALL_ID_FIELD.name, itemIndex, ''),
		(value) => {
			if (isBlank(value)) {
				throw new ValueProblem(
					'is empty',
					'Map the CALL_ID that Register returned (or that the click-to-call trigger received).',
				);
			}
			return toIdentifier(value, { maxLength: 255 });
		},
	);
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

/** How many results the item asks for: Infinity with "Return All". */
export function readResultLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return Infinity;
	return Math.max(1, Number(ctx.getNodeParameter('limit', itemIndex, 50)) || 50);
}

/** A link to a CRM record, added to outputs beside Bitrix24's own keys. */
const CRM_PATHS: Record<string, string> = {
	CONTACT: 'contact',
	COMPANY: 'company',
	LEAD: 'lead',
	DEAL: 'deal',
};

export function crmEntityUrl(portalUrl: string, type: unknown, id: unknown): string | undefined {
	const path = CRM_PATHS[String(type ?? '').toUpperCase()];
	const numericId = Number(id);
	if (!path || !portalUrl || !Number.isInteger(numericId) || numericId <= 0) return undefined;
	return `${portalUrl}/crm/${path}/details/${numericId}/`;
}

/** Call types (TYPE, INCOMING) in words, for outputs. */
export const DIRECTIONS: Record<number, string> = {
	1: 'outgoing',
	2: 'incoming',
	3: 'incoming (redirected)',
	4: 'callback',
	5: 'informational',
};

/**
 * The values of a collection ("Additional Fields") of item `itemIndex`, and `read(key, check)`
 * for one of them: undefined when blank, otherwise checked and named by its option's display name.
 */
export function readCollection(
	ctx: IExecuteFunctions,
	itemIndex: number,
	collection: string,
	options: INodeProperties[],
) {
	const values = nodeParameter(ctx, collection, itemIndex, {}) as IDataObject;
	const field = (key: string): FieldRef => ({
		name: `${collection}.${key}`,
		displayName: options.find((option) => option.name === key)?.displayName ?? key,
	});
	const read = <T>(key: string, check: (value: unknown) => T): T | undefined =>
		isBlank(values[key]) ? undefined : readField(ctx, itemIndex, field(key), values[key], check);
	return { values, field, read };
}

/**
 * CRM Entity Type and CRM Entity ID of a collection: Bitrix24 uses them only together and
 * silently searches by number otherwise, so half a pair is an error. The ID field starts at 0
 * when added (a number field needs a number), so the error calls 0 "not set", not "missing".
 */
export function crmPairError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: (key: string) => FieldRef,
	pair: { id?: number; type?: string },
): NodeOperationError | undefined {
	if ((pair.id === undefined) === (pair.type === undefined)) return undefined;
	const hint =
		'CRM Entity Type and CRM Entity ID only work together: set both (the ID of the contact, company or lead, a whole number above 0), or remove both to let Bitrix24 find the client by the phone number.';
	return pair.id === undefined
		? invalidField(
				ctx,
				itemIndex,
				field('crmEntityId'),
				`is not set (0 means none), but CRM Entity Type is ${pair.type}`,
				hint,
			)
		: invalidField(
				ctx,
				itemIndex,
				field('crmEntityType'),
				'is not set, but CRM Entity ID is',
				hint,
			);
}

/** The parameter `field` of item `itemIndex` from n8n, through `check` (see readField). */
export function readParameter<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: FieldRef,
	fallback: unknown,
	check: (value: unknown) => T,
): T {
	return readField(
		ctx,
		itemIndex,
		field,
		nodeParameter(ctx, field.name, itemIndex, fallback),
		check,
	);
}
