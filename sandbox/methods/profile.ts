/**
 * profile and app.info, the usual credential tests (CRestProvider::getProfile / appInfo).
 */
import { findUser } from '../state';
import { MethodContext, MethodDefinition, ok } from './context';

const LICENSE = 'en_project';

export const profileMethod: MethodDefinition = {
	name: 'profile',
	scope: null,
	handler(ctx: MethodContext) {
		const user = findUser(ctx.runtime.state, ctx.auth.userId);
		if (!user || !user.active) return ok([]);
		return ok({
			ID: String(user.id),
			ADMIN: user.admin,
			NAME: user.name,
			LAST_NAME: user.lastName,
			PERSONAL_GENDER: '',
			TIME_ZONE: '',
		});
	},
};

/** With an app token: the app's status; with a webhook: its scopes (no app context). */
export const appInfoMethod: MethodDefinition = {
	name: 'app.info',
	scope: null,
	handler(ctx: MethodContext) {
		const { auth, runtime } = ctx;
		const app =
			auth.appId === null
				? undefined
				: runtime.state.apps.find((candidate) => candidate.id === auth.appId);
		if (!app) return ok({ SCOPE: auth.scopes, LICENSE });
		return ok({
			ID: app.id,
			CODE: app.code,
			VERSION: 1,
			STATUS: 'L',
			INSTALLED: true,
			PAYMENT_EXPIRED: 'N',
			DAYS: null,
			LANGUAGE_ID: 'en',
			LICENSE,
			LICENSE_TYPE: 'project',
			LICENSE_FAMILY: 'project',
		});
	},
};
