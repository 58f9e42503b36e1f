/* eslint-disable @n8n/community-nodes/node-usable-as-tool -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * The plain nodes our test workflows use around the node under test: n8n's Manual Trigger
 * (re-implemented, as n8n-nodes-base is not a dependency), a Source node that emits the items a
 * test gives it, optionally with binary data, like a PBX webhook or a CSV reader would, and the
 * PBX step a click-to-call workflow runs between the trigger and Finish.
 */
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

export class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts the test workflow',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return {
			manualTriggerFunction: async () => {
				this.emit([this.helpers.returnJsonArray([{}])]);
			},
		};
	}
}

/** A binary attachment of a test item: its base64 content and file name. */
export interface TestBinary {
	base64: string;
	fileName: string;
	mimeType?: string;
}

export class Source implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Source',
		name: 'source',
		group: ['transform'],
		version: 1,
		description: 'Emits the items of its "items" parameter',
		defaults: { name: 'Source' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
			{ displayName: 'Binaries', name: 'binaries', type: 'json', default: '{}' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as Array<
			Record<string, unknown>
		>;
		const binaries = JSON.parse(this.getNodeParameter('binaries', 0) as string) as Record<
			string,
			Record<string, TestBinary>
		>;
		const out: INodeExecutionData[] = [];
		for (let index = 0; index < items.length; index++) {
			const item: INodeExecutionData = {
				json: items[index] as INodeExecutionData['json'],
				pairedItem: { item: 0 },
			};
			const attachments = binaries[String(index)];
			if (attachments) {
				item.binary = {};
				for (const [property, file] of Object.entries(attachments)) {
					item.binary[property] = await this.helpers.prepareBinaryData(
						Buffer.from(file.base64, 'base64'),
						file.fileName,
						file.mimeType,
					);
				}
			}
			out.push(item);
		}
		return [out];
	}
}

/** What the PBX stand-in "dialled" for each click-to-call. */
export interface DialledCall {
	callId: string;
	userId: string;
	phoneNumber: string;
}

/**
 * The PBX between the trigger and Finish: takes the click-to-call event, "originates" the call
 * (recorded in `dialled`) and reports how it ended, the way an Asterisk/FreePBX step would.
 */
export class PbxStandIn implements INodeType {
	static dialled: DialledCall[] = [];

	description: INodeTypeDescription = {
		displayName: 'PBX',
		name: 'pbx',
		group: ['transform'],
		version: 1,
		description: 'Dials the call Bitrix24 asked for and reports its end',
		defaults: { name: 'PBX' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Talk Seconds', name: 'talkSeconds', type: 'number', default: 42 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, index) => {
				const data = item.json.data as Record<string, string>;
				const call = {
					callId: data.CALL_ID,
					userId: data.USER_ID,
					phoneNumber: data.PHONE_NUMBER_INTERNATIONAL,
				};
				PbxStandIn.dialled.push(call);
				const talkSeconds = this.getNodeParameter('talkSeconds', index) as number;
				return {
					json: { ...call, duration: talkSeconds, statusCode: '200' },
					pairedItem: { item: index },
				};
			}),
		];
	}
}
