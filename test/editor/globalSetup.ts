/**
 * Once per `npm run test:editor`: the same preparation as the e2e suite (build, pack, install the
 * runtime), for the newest supported n8n only: the editor a new user sees is the newest one.
 */
import { ensureChromium } from '../../scripts/n8n-runtime/chromium';
import { prepareE2e } from '../e2e/globalSetup';

export default async function globalSetup(): Promise<void> {
	await ensureChromium();
	await prepareE2e(['latest']);
}
