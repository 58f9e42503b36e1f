/**
 * The part of JSON Schema our output schemas use (`type`, one or a list; `properties`;
 * `required`; `items`), checked the standard way, plus one stricter rule: every key a real output
 * has must be described, so a schema cannot silently fall behind the node's output.
 */
export interface OutputSchema {
	type: string | string[];
	properties?: Record<string, OutputSchema>;
	required?: string[];
	items?: OutputSchema;
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

/** The problems of `value` against `schema`, each with its path; empty when it fits. */
export function schemaProblems(schema: OutputSchema, value: unknown, path = '$'): string[] {
	const types = Array.isArray(schema.type) ? schema.type : [schema.type];
	const actual = typeOf(value);
	if (!types.includes(actual))
		return [`${path}: is ${actual}, the schema says ${types.join(' or ')}`];
	const problems: string[] = [];
	if (actual === 'object') {
		const object = value as Record<string, unknown>;
		for (const key of schema.required ?? [])
			if (!(key in object)) problems.push(`${path}.${key}: required, but missing`);
		for (const [key, child] of Object.entries(object)) {
			const described = schema.properties?.[key];
			if (!described) problems.push(`${path}.${key}: not described by the schema`);
			else problems.push(...schemaProblems(described, child, `${path}.${key}`));
		}
	}
	if (actual === 'array' && schema.items && Object.keys(schema.items).length > 0) {
		(value as unknown[]).forEach((element, index) =>
			problems.push(...schemaProblems(schema.items as OutputSchema, element, `${path}[${index}]`)),
		);
	}
	return problems;
}
