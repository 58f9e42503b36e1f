/**
 * Call → Finish: `telephony.externalcall.finish`. Ends the call, hides the card, writes the
 * statistics and creates the CRM activity. A call can be finished once.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	optionalAdditionalFields,
	readUserIdentification,
	userIdentificationFields,
} from '../common';
import type { OperationDefinition } from '../types';
import { callIdField, readCallId } from './callId';
import { durationAndStatusFields, finishAdditionalOptions, readFinishParams } from './finishParams';
import { finishedCallOutput } from './output';

const show = { resource: ['call'], operation: ['finish'] };

export const finish: OperationDefinition = {
	description: [
		callIdField(
			show,
			'The CALL_ID returned by Register, or received by the click-to-call trigger. Bitrix24 needs the employee too (below); on some portals Finish works only with the OAuth2 credential.',
		),
		...userIdentificationFields(
			show,
			'took the call (they become responsible for a lead created during it)',
		),
		...durationAndStatusFields(show),
		optionalAdditionalFields(show, finishAdditionalOptions),
	],
	prepare(itemIndex, { portalUrl }) {
		const params: IDataObject = {
			CALL_ID: readCallId(this, itemIndex),
			...readUserIdentification(this, itemIndex),
			...readFinishParams(this, itemIndex),
		};
		return {
			// Not idempotent: a repeated finish fails ("call is not found"), and a lost answer must
			// not be papered over by sending it again.
			commands: { finish: { method: 'telephony.externalcall.finish', params, idempotent: false } },
			output: ({ finish: result }) => finishedCallOutput(portalUrl, result as IDataObject),
		};
	},
};
