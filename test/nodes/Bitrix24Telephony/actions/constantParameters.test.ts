/**
 * The context handed to `prepare` reads a parameter without expressions once per run; one with an
 * expression anywhere inside is read for every item, and what an operation does to a value it
 * read never reaches the next item.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { withConstantParameters } from '../../../../nodes/Bitrix24Telephony/actions/constantParameters';

function countingContext(parameters: INode['parameters']) {
	const reads: string[] = [];
	const ctx = {
		getNode: () => ({ parameters }) as INode,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			reads.push(`${name}#${itemIndex}`);
			const value = parameters[name];
			if (value === undefined) return fallback;
			// Stands in for n8n resolving an expression against the item.
			if (typeof value === 'string' && value.startsWith('='))
				return `${value.slice(1)}-${itemIndex}`;
			return typeof value === 'object' ? structuredClone(value) : value;
		},
		getTimezone: () => 'Europe/Berlin',
	};
	return { ctx: withConstantParameters(ctx as unknown as IExecuteFunctions), reads };
}

test('an expression-free parameter is read once; one with an expression per item', () => {
	const { ctx, reads } = countingContext({
		type: 2,
		phoneNumber: '=phone',
		additionalFields: { show: false, externalCallId: '=id' },
	});
	for (let item = 0; item < 3; item++) {
		expect(ctx.getNodeParameter('type', item, 1)).toBe(2);
		expect(ctx.getNodeParameter('phoneNumber', item, '')).toBe(`phone-${item}`);
		expect(ctx.getNodeParameter('additionalFields', item, {})).toEqual({
			show: false,
			externalCallId: '=id',
		});
	}
	expect(reads.filter((r) => r.startsWith('type#'))).toEqual(['type#0']);
	expect(reads.filter((r) => r.startsWith('phoneNumber#'))).toHaveLength(3);
	expect(reads.filter((r) => r.startsWith('additionalFields#'))).toHaveLength(3);
});

test('a fallback is part of what was read: another fallback is another read', () => {
	const { ctx, reads } = countingContext({});
	expect(ctx.getNodeParameter('crmSource', 0, 'a')).toBe('a');
	expect(ctx.getNodeParameter('crmSource', 1, 'b')).toBe('b');
	expect(ctx.getNodeParameter('crmSource', 2, 'a')).toBe('a');
	expect(reads).toEqual(['crmSource#0', 'crmSource#1']);
});

test('changing a value read for one item does not change it for the next', () => {
	const { ctx } = countingContext({ options: { batching: true } });
	const first = ctx.getNodeParameter('options', 0, {}) as { batching: boolean };
	first.batching = false;
	expect(ctx.getNodeParameter('options', 1, {})).toEqual({ batching: true });
});

test('everything else is the context itself', () => {
	const { ctx } = countingContext({});
	expect(ctx.getTimezone()).toBe('Europe/Berlin');
});
