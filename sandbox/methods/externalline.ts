/**
 * telephony.externalLine.add/update/delete/get (docs/bitrix24-fidelity.md rows 15–17). Lines are keyed by
 * (REST_APP_ID, NUMBER); webhook calls share the "no app" set. Result quirks: add returns an int ID,
 * update a string ID, delete [].
 */
import { coreError } from '../errors';
import { isSet, phpString } from '../php-values';
import { ExternalLine, nextId } from '../state';
import { MethodContext, MethodDefinition, ok, requireTelephonyAuthType } from './context';

function appLines(ctx: MethodContext): ExternalLine[] {
	return ctx.runtime.state.lines.filter((line) => line.appId === ctx.auth.appId);
}

function requireNumber(value: unknown): string {
	const number = phpString(value).trim();
	if (number === '') throw coreError('NUMBER should not be empty');
	return number;
}

function findLine(ctx: MethodContext, number: string): ExternalLine {
	const line = appLines(ctx).find((candidate) => candidate.number === number);
	if (!line) throw coreError(`Could not find line with number ${number}`);
	return line;
}

export const lineAddMethod: MethodDefinition = {
	name: 'telephony.externalline.add',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		requireTelephonyAuthType(ctx);
		const { params } = ctx;
		const number = requireNumber(params.NUMBER);
		if (appLines(ctx).some((line) => line.number === number))
			throw coreError('Line already exists');
		const line: ExternalLine = {
			id: nextId(ctx.runtime.state, 'line'),
			appId: ctx.auth.appId,
			number,
			name: phpString(params.NAME),
			// Strict comparison with 'Y': anything else, even 'y' or 1, stores 'N'.
			crmAutoCreate: (params.CRM_AUTO_CREATE ?? 'Y') === 'Y' ? 'Y' : 'N',
		};
		ctx.runtime.state.lines.push(line);
		return ok({ ID: line.id });
	},
};

export const lineUpdateMethod: MethodDefinition = {
	name: 'telephony.externalline.update',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		requireTelephonyAuthType(ctx);
		const { params } = ctx;
		const changes: Partial<Pick<ExternalLine, 'name' | 'crmAutoCreate'>> = {};
		if (isSet(params.NAME)) changes.name = phpString(params.NAME);
		if (isSet(params.CRM_AUTO_CREATE))
			changes.crmAutoCreate = params.CRM_AUTO_CREATE === 'Y' ? 'Y' : 'N';
		if (Object.keys(changes).length === 0) throw coreError('There are no fields to update');
		const line = findLine(ctx, requireNumber(params.NUMBER));
		Object.assign(line, changes);
		return ok({ ID: String(line.id) });
	},
};

export const lineDeleteMethod: MethodDefinition = {
	name: 'telephony.externalline.delete',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		requireTelephonyAuthType(ctx);
		const line = findLine(ctx, requireNumber(ctx.params.NUMBER));
		ctx.runtime.state.lines = ctx.runtime.state.lines.filter((candidate) => candidate !== line);
		return ok([]);
	},
};

export const lineGetMethod: MethodDefinition = {
	name: 'telephony.externalline.get',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		requireTelephonyAuthType(ctx);
		return ok(
			appLines(ctx).map((line) => ({
				NUMBER: line.number,
				NAME: line.name,
				CRM_AUTO_CREATE: line.crmAutoCreate,
			})),
		);
	},
};
