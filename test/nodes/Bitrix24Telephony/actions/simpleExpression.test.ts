/* eslint-disable @n8n/community-nodes/node-usable-as-tool -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * A simple `$json` expression resolved without n8n's expression engine must give exactly what
 * n8n's own `getNodeParameter` gives. A probe node carrying the Bitrix24 Telephony node's real
 * fields runs in a real workflow (n8n-core's WorkflowExecute); for every expression × item value
 * × parameter type it reads the parameter both ways and compares. Whatever the fast path does
 * not resolve falls back to n8n, so it is equivalent by construction; the table also pins which
 * cases are resolved directly, so that the test cannot pass by always falling back.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { Bitrix24Telephony } from '../../../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { withConstantParameters } from '../../../../nodes/Bitrix24Telephony/actions/constantParameters';
import {
	NOT_SIMPLE,
	readJsonPath,
	resolveSimply,
	simplePath,
} from '../../../../nodes/Bitrix24Telephony/actions/simpleExpression';
import { registerTypes, runNode } from '../../../helpers/workflowRunner';

type Read = [name: string, fallback: unknown, options?: IDataObject];

/** What each parameter read returned, both ways. */
interface Comparison {
	expression: string;
	read: Read;
	item: IDataObject;
	engine: { value: unknown } | { error: string };
	fast: { value: unknown } | { error: string };
	direct: boolean;
}

const comparisons: Comparison[] = [];
const probe: { reads: Read[]; expression: string; raw: (p: INodeParameters) => unknown } = {
	reads: [],
	expression: '',
	raw: () => undefined,
};

function outcome(read: () => unknown): { value: unknown } | { error: string } {
	try {
		return { value: read() };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

class Probe implements INodeType {
	description: INodeTypeDescription = {
		...new Bitrix24Telephony().description,
		name: 'probe',
		displayName: 'Probe',
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const parameters = this.getNode().parameters;
		for (let i = 0; i < items.length; i++) {
			// A fresh wrapper per item, so the constant cache cannot answer for the engine.
			const fast = withConstantParameters(this);
			for (const read of probe.reads) {
				const [name, fallback, options] = read;
				const raw = name.split('.').reduce<unknown>((v, k) => (v as IDataObject)?.[k], parameters);
				comparisons.push({
					expression: probe.expression,
					read,
					item: items[i].json,
					engine: outcome(() => this.getNodeParameter(name, i, fallback, options)),
					fast: outcome(() => fast.getNodeParameter(name, i, fallback, options)),
					direct:
						options === undefined &&
						resolveSimply(raw === undefined ? fallback : raw, () => items[i].json) !== NOT_SIMPLE,
				});
			}
		}
		return [items];
	}
}

registerTypes({ 'test.probe': new Probe() }, {});

/** Item values: every JSON type, and an item without the field. */
const VALUES: unknown[] = [
	'+4930123',
	'  padded  ',
	'',
	'={{ not evaluated again }}',
	42,
	0,
	-1.5,
	true,
	false,
	null,
	{ a: 1, b: [1, 'x', null], c: { d: true } },
	[1, 'two', { three: 3 }],
	[],
	{},
];
/** JSON with an own "__proto__" key (JSON.parse makes one): always left to n8n. */
const PROTO_VALUES: unknown[] = [
	JSON.parse('{"__proto__":{"side":"User"},"a":1}'),
	JSON.parse('[{"__proto__":{"polluted":1},"b":2}]'),
];

function itemsFor(values: unknown[]): IDataObject[] {
	return [
		...values.map((v) => ({ v, o: { v, 'a b': v }, arr: [v] }) as IDataObject),
		{ other: 1 },
		{ v: 'x', o: 'not an object' },
	];
}

/** [expression, resolved directly (for items that have the field)] */
const EXPRESSIONS: Array<[string, boolean]> = [
	['={{ $json.v }}', true],
	['={{$json.v}}', true],
	['={{   $json.v\n}}', true],
	['={{ $json["v"] }}', true],
	["={{ $json['v'] }}", true],
	['={{ $json.o.v }}', true],
	['={{ $json["o"].v }}', true],
	['={{ $json.o["a b"] }}', true],
	['={{ $json.arr[0] }}', true],
	['={{ $json.missing }}', false],
	['={{ $json.missing.deeper }}', false],
	['={{ $json.v.length }}', false],
	['={{ $json.constructor }}', false],
	['={{ $json.v }} ', false],
	['= {{ $json.v }}', false],
	['={{ $json.v }}{{ $json.v }}', false],
	['={{ $json.v + "" }}', false],
	['={{ $json.v ?? "none" }}', false],
	['=text {{ $json.v }}', false],
	['={{ $item(0).$json.v }}', false],
];

/** The Register fields in every parameter type the operations read, each mapped to the expression. */
function parametersFor(expression: string): INodeParameters {
	return {
		resource: 'call',
		operation: 'register',
		userIdentification: 'userId',
		userId: { __rl: true, mode: 'id', value: expression },
		userPhoneInner: expression,
		phoneNumber: expression,
		type: expression,
		additionalFields: {
			externalCallId: expression,
			callStartDate: expression,
			show: expression,
			callListId: expression,
			crmEntityType: 'CONTACT',
		},
	};
}

const READS: Read[] = [
	['phoneNumber', ''], // string
	['type', 2], // options
	['additionalFields', {}], // collection, as the operations read it
	['additionalFields.externalCallId', ''], // a collection's field on its own
	['additionalFields.callStartDate', ''], // dateTime
	['additionalFields.show', true], // boolean
	['additionalFields.callListId', 0], // number
	['userId', ''], // resourceLocator, whole
	['userId', '', { extractValue: true }], // resourceLocator, its value
	['notAParameter', undefined], // n8n's own error
];

beforeAll(async () => {
	for (const [expression] of EXPRESSIONS) {
		probe.reads = READS;
		probe.expression = expression;
		const result = await runNode({
			nodeType: 'test.probe',
			credentials: {},
			parameters: parametersFor(expression),
			items: itemsFor([...VALUES, ...PROTO_VALUES]),
		});
		expect(result.status).toBe('success');
	}
});

test('every read resolved directly is exactly what n8n returns (value and type)', () => {
	const direct = comparisons.filter((c) => c.direct);
	expect(direct.length).toBeGreaterThan(500);
	for (const c of direct) {
		expect({ ...c, fast: c.engine }).toStrictEqual(c);
	}
});

test('every other read is n8n’s own answer, errors included', () => {
	const others = comparisons.filter((c) => !c.direct);
	expect(others.some((c) => 'error' in c.engine)).toBe(true);
	for (const c of others) expect({ ...c, fast: c.engine }).toStrictEqual(c);
});

test('the table pins which expressions are resolved directly', () => {
	for (const [expression, simple] of EXPRESSIONS) {
		const rows = comparisons.filter(
			(c) => c.expression === expression && c.read[2] === undefined && 'v' in c.item,
		);
		const resolvedByValue = rows.filter((c) => c.read[0] === 'phoneNumber').map((c) => c.direct);
		if (simple) {
			// Items whose `v` exists resolve directly; a missing path is left to n8n.
			expect(resolvedByValue.slice(0, VALUES.length + PROTO_VALUES.length)).toEqual([
				...VALUES.map(() => true),
				...PROTO_VALUES.map(() => false),
			]);
		} else {
			expect(resolvedByValue.every((d) => !d)).toBe(true);
		}
	}
});

test('no field of the node asks n8n for type validation (the fast path would skip it)', () => {
	const declares = (value: unknown): boolean =>
		value !== null &&
		typeof value === 'object' &&
		Object.entries(value).some(
			([key, v]) => key === 'validateType' || key === 'resourceMapper' || declares(v),
		);
	expect(declares(new Bitrix24Telephony().description.properties)).toBe(false);
});

test('a value read from the item is a copy: changing it does not change the item', () => {
	const json = { o: { list: [1, 2] } };
	const value = readJsonPath(json, ['o']) as { list: number[] };
	value.list.push(3);
	expect(json.o.list).toEqual([1, 2]);
});

test('anything that is not JSON data is left to n8n', () => {
	expect(readJsonPath({ d: new Date(0) }, ['d'])).toBe(NOT_SIMPLE);
	expect(readJsonPath({ d: { when: new Date(0) } }, ['d'])).toBe(NOT_SIMPLE);
	expect(readJsonPath({ f: () => 1 }, ['f'])).toBe(NOT_SIMPLE);
	expect(readJsonPath({ u: undefined }, ['u'])).toBe(NOT_SIMPLE);
	// An own "__proto__" key (JSON.parse makes one) cannot be copied by assignment.
	expect(readJsonPath(JSON.parse('{"o":{"__proto__":{"side":"User"}}}'), ['o'])).toBe(NOT_SIMPLE);
	expect(readJsonPath(Object.create({ inherited: 1 }), ['inherited'])).toBe(NOT_SIMPLE);
	expect(simplePath('={{ $json.__proto__ }}')).toBeUndefined();
	expect(simplePath('={{ $json.a["b\\"c"] }}')).toBeUndefined();
	expect(simplePath('={{ $json.a.b }}')).toEqual(['a', 'b']);
});
