/**
 * The node and credential types test workflows can use, looked up the way n8n's node-types and
 * credentials services do, and a credentials helper holding the test's credentials in memory
 * (the credential's `authenticate` is applied, as n8n does).
 */
import {
	ICredentialsHelper,
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INodeCredentials,
	type INodeCredentialsDetails,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';
import { Bitrix24Telephony } from '../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { ManualTrigger, Source } from './testNodes';

const NODE_TYPES: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	'test.source': new Source(),
	'n8n-nodes-bitrix24-telephony.bitrix24Telephony': new Bitrix24Telephony(),
};

const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	bitrix24WebhookApi: new Bitrix24WebhookApi(),
};

/** Lets other test helpers register more node or credential types (trigger, OAuth2). */
export function registerTypes(
	nodes: Record<string, INodeType>,
	credentials: Record<string, ICredentialType>,
): void {
	Object.assign(NODE_TYPES, nodes);
	Object.assign(CREDENTIAL_TYPES, credentials);
}

/** Every node type registered so far, as n8n's node-types service hands them to a Workflow. */
export const testNodeTypes: INodeTypes = {
	getByName: (type: string) => NODE_TYPES[type] as INodeType | IVersionedNodeType,
	getByNameAndVersion: (type: string, version?: number) =>
		NodeHelpers.getVersionedNodeType(NODE_TYPES[type], version),
	getKnownTypes: () => ({}),
};

/** Credentials by type name, as the test gives them; every credential update is recorded. */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly updates: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];

	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(name: string): string[] {
		const type = CREDENTIAL_TYPES[name];
		return (type?.extends ?? []).flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	/**
	 * n8n-core 2.41 asks before it hands a credential to a node (2.11 never did). As n8n's own
	 * CredentialsHelper: only a credential type with `restrictToSupportedNodes` limits which nodes
	 * may use it (ours set neither, so every node may).
	 */
	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = CREDENTIAL_TYPES[credentialType] as
			| (ICredentialType & { restrictToSupportedNodes?: boolean; supportedNodes?: string[] })
			| undefined;
		if (!type?.restrictToSupportedNodes) return true;
		return (type.supportedNodes ?? []).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = CREDENTIAL_TYPES[typeName];
		if (typeof type?.authenticate === 'function')
			return await type.authenticate(credentials, requestOptions);
		return requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	/**
	 * n8n-core 2.41 calls it on the OAuth2 path (2.11 never did). As n8n's own CredentialsHelper:
	 * only a credential type with a `preAuthentication` function does anything; ours have none.
	 */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<IDataObject | undefined> {
		const preAuthentication = CREDENTIAL_TYPES[typeName]?.preAuthentication;
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(helpers, credentials)) ?? undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credential of type ${type}`);
		return { ...data };
	}

	async updateCredentials(
		_details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.store(type, data);
	}

	async updateCredentialsOauthTokenData(
		_details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store(type, data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return CREDENTIAL_TYPES[type]?.properties ?? [];
	}

	/** n8n saves a refreshed OAuth token and an updated credential alike; both are recorded. */
	private store(type: string, data: ICredentialDataDecryptedObject): void {
		this.data[type] = { ...data };
		this.updates.push({ type, data: { ...data } });
	}
}

/** A node's `credentials` entry naming each test credential by its type. */
export function credentialRefs(
	credentials: Record<string, ICredentialDataDecryptedObject>,
): INodeCredentials {
	return Object.fromEntries(
		Object.keys(credentials).map((type) => [type, { id: `cred-${type}`, name: type }]),
	);
}
