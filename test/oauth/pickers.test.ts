/**
 * The node's pickers with the OAuth2 credential, through n8n-core's own LoadOptionsContext (the
 * context the editor uses): the token is sent and refreshed exactly as for operations.
 */
import { LoadOptionsContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type INode,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { Bitrix24Telephony } from '../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { restMethods, usePortal } from '../helpers/portal';
import { TestCredentialsHelper } from '../helpers/workflowRunner';
import { APP, oauthCredentials } from './oauthHarness';

const { portal } = usePortal({ authTypeMode: 'doc' });

const nodeType = new Bitrix24Telephony();

function loadOptionsContext(credentialsHelper: TestCredentialsHelper): LoadOptionsContext {
	const node: INode = {
		id: 'n1',
		name: 'Bitrix24',
		type: 'n8n-nodes-bitrix24-telephony.bitrix24Telephony',
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'oAuth2', resource: 'call', operation: 'register' },
		credentials: { bitrix24OAuth2Api: { id: 'cred-1', name: 'Bitrix24 app' } },
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: (_type, version) => NodeHelpers.getVersionedNodeType(nodeType, version),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'wf',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const additionalData = {
		credentialsHelper,
		restApiUrl: '',
		instanceBaseUrl: '',
		webhookBaseUrl: '',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(
		workflow,
		node,
		additionalData,
		'parameters.additionalFields.lineNumber',
	);
}

test('the line picker works over OAuth2 and refreshes an expired token once', async () => {
	portal().oauth.registerApp({ ...APP, scopes: ['telephony', 'crm', 'user'] });
	const tokens = portal().oauth.issueTokens(APP.clientId);
	portal().state.lines.push({
		id: 900,
		appId: portal().state.apps[0].id,
		number: '+4930999000',
		name: 'Picker line',
		crmAutoCreate: 'Y',
	});
	portal().oauth.expireAccessTokens();
	portal().clearRequests();
	const credentialsHelper = new TestCredentialsHelper({
		...oauthCredentials(portal(), { tokens }),
	});

	const options = await nodeType.methods.loadOptions.getLines.call(
		loadOptionsContext(credentialsHelper),
	);

	expect(options).toEqual(
		expect.arrayContaining([{ name: 'Picker line (+4930999000)', value: '+4930999000' }]),
	);
	expect(restMethods(portal())).toEqual([
		'telephony.externalline.get',
		'oauth.token',
		'telephony.externalline.get',
	]);
	expect(credentialsHelper.updates).toHaveLength(1);
});
