/**
 * The REST methods the sandbox portal knows (each one checked in docs/bitrix24-fidelity.md). Anything else is ERROR_METHOD_NOT_FOUND.
 */
import { batchMethod } from './batch';
import { attachTranscriptionMethod } from './call-attachtranscription';
import type { MethodDefinition } from './context';
import { duplicateFindByCommMethod } from './crm-duplicate';
import { crmStatusListMethod } from './crm-status';
import { eventBindMethod, eventGetMethod, eventUnbindMethod } from './event';
import { attachRecordMethod, uploadMethod } from './externalcall-attachrecord';
import { finishMethod } from './externalcall-finish';
import { registerMethod } from './externalcall-register';
import { searchCrmEntitiesMethod } from './externalcall-searchcrmentities';
import { hideMethod, showMethod } from './externalcall-show-hide';
import { lineAddMethod, lineDeleteMethod, lineGetMethod, lineUpdateMethod } from './externalline';
import { appInfoMethod, profileMethod } from './profile';
import { userGetMethod, userSearchMethod } from './user';
import { statisticGetMethod } from './voximplant-statistic';

const METHODS: MethodDefinition[] = [
	registerMethod,
	finishMethod,
	showMethod,
	hideMethod,
	attachRecordMethod,
	uploadMethod,
	searchCrmEntitiesMethod,
	attachTranscriptionMethod,
	lineAddMethod,
	lineUpdateMethod,
	lineDeleteMethod,
	lineGetMethod,
	batchMethod,
	userGetMethod,
	userSearchMethod,
	crmStatusListMethod,
	duplicateFindByCommMethod,
	profileMethod,
	appInfoMethod,
	eventBindMethod,
	eventGetMethod,
	eventUnbindMethod,
	statisticGetMethod,
];

const BY_NAME = new Map(METHODS.map((method) => [method.name, method]));

/** Method names are case-insensitive (the server lowercases them). */
export function findMethod(name: string): MethodDefinition | undefined {
	return BY_NAME.get(name.toLowerCase());
}
