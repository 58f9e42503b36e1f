/**
 * n8n resolves a node parameter anew for every item, even one that holds no expression (reading
 * it, walking it for expressions, cleaning it, checking it against its property type). Such a
 * parameter has the same value for every item, so for a run of 1,000 items the operations read it
 * once: the context handed to `prepare` answers repeated reads of an expression-free parameter
 * from the first one. A parameter whose expressions are all simple `$json` reads is resolved
 * against the item directly (see simpleExpression.ts); any other is read from n8n per item.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { NOT_SIMPLE, resolveSimply } from './simpleExpression';

type GetNodeParameter = (
	name: string,
	itemIndex: number,
	fallback?: unknown,
	options?: Record<string, unknown>,
) => unknown;

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/** `a.b.c` in the node's raw parameters (n8n accepts such paths too). */
function rawParameter(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return value;
}

/** A copy, so that an operation changing what it read cannot change what the next item reads. */
function copy<T>(value: T): T {
	return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}

export function withConstantParameters(ctx: IExecuteFunctions): IExecuteFunctions {
	const parameters = ctx.getNode().parameters;
	const read = ctx.getNodeParameter.bind(ctx) as GetNodeParameter;
	const constants = new Map<string, unknown>();
	let items: INodeExecutionData[] | undefined;
	const getNodeParameter: GetNodeParameter = (name, itemIndex, fallback, options) => {
		// Options (value extraction, type checks…) and indexed paths are n8n's to interpret.
		if (options !== undefined || name.includes('['))
			return read(name, itemIndex, fallback, options);
		const key = `${name}\u0000${JSON.stringify(fallback) ?? ''}`;
		if (constants.has(key)) return copy(constants.get(key));
		const stored = rawParameter(parameters, name);
		const raw = stored === undefined ? fallback : stored;
		if (hasExpression(raw)) {
			const json = () => (items ??= ctx.getInputData())[itemIndex]?.json ?? NOT_SIMPLE;
			const resolved = resolveSimply(raw, json);
			return resolved === NOT_SIMPLE ? read(name, itemIndex, fallback) : resolved;
		}
		const value = read(name, itemIndex, fallback);
		if (raw !== undefined) constants.set(key, copy(value));
		return value;
	};
	const bound = new Map<PropertyKey, unknown>();
	return new Proxy(ctx, {
		get(target, property) {
			if (property === 'getNodeParameter') return getNodeParameter;
			const value: unknown = Reflect.get(target, property, target);
			if (typeof value !== 'function') return value;
			let method = bound.get(property);
			if (!method) {
				method = (value as (...args: unknown[]) => unknown).bind(target);
				bound.set(property, method);
			}
			return method;
		},
	});
}
