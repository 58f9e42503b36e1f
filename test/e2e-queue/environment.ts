/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Jest on Node, never inside n8n, and is not published */
/** What globalSetup hands to the queue-mode test file, beside the e2e suite's own variables. */
import type { QueuePrerequisites } from '../../scripts/n8n-runtime/queue/prerequisites';
import { readE2eEnvironment, type E2eEnvironment } from '../e2e/environment';

export const QUEUE_ENV = { prerequisites: 'B24_QUEUE_PREREQUISITES' } as const;

export interface QueueEnvironment extends E2eEnvironment {
	prerequisites: QueuePrerequisites;
}

export function readQueueEnvironment(): QueueEnvironment {
	const prerequisites = process.env[QUEUE_ENV.prerequisites];
	if (!prerequisites)
		throw new Error(
			'The queue-mode environment is missing: run the suite with `npm run test:e2e:queue`',
		);
	return {
		...readE2eEnvironment(),
		prerequisites: JSON.parse(prerequisites) as QueuePrerequisites,
	};
}
