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
import { simplifiedFinish, simplifyFields, SIMPLIFY_FIELD } from './simplify';

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
		...simplifyFields(show),
	],
	prepare(itemIndex, { portalUrl }) {
		const params: IDataObject = {
			CALL_ID: readCallId(this, itemIndex),
			...readUserIdentification(this, itemIndex),
			...readFinishParams(this, itemIndex),
		};
		const simplify = this.getNodeParameter(SIMPLIFY_FIELD.name, itemIndex, false) === true;
		return {
			// Not idempotent: a repeated finish fails ("call is not found"), and a lost answer must
			// not be papered over by sending it again.
			commands: { finish: { method: 'telephony.externalcall.finish', params, idempotent: false } },
			output: ({ finish: result }) => {
				const json = finishedCallOutput(portalUrl, result as IDataObject);
				return simplify ? simplifiedFinish(json) : json;
			},
		};
	},
};
