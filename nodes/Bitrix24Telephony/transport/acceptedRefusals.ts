/**
 * Refusals that mean success: a command may say that one of Bitrix24's refusals shows its effect is
 * already in place (Attach Record: "File with this name already exists." for the recording's own
 * name, stored by an attempt whose answer was lost; docs/bitrix24-fidelity.md row 51). Such a
 * refusal becomes the command's result. Inside a `batch` with halt=1 Bitrix24 still stopped at it,
 * so the groups behind it, which came back without a result, are found here to be sent again.
 */
import { Bitrix24Failure } from './errors';

/** The result to report for a refusal that means "already done", or `undefined` to keep it. */
export type AcceptRefusal = (failure: Bitrix24Failure) => unknown;

/** A refusal the command accepts as done, else undefined. */
export function acceptedRefusal(
	command: { acceptRefusal?: AcceptRefusal },
	failure: unknown,
): unknown {
	if (!command.acceptRefusal || !(failure instanceof Bitrix24Failure)) return undefined;
	return failure.kind === 'rejected' ? command.acceptRefusal(failure) : undefined;
}

type Outcome =
	| { results: Record<string, unknown> }
	| { failure: Error; done: Record<string, unknown> };

/**
 * The groups (in batch order) that Bitrix24 did not run because halt=1 stopped it at a refusal a
 * command then accepted: those after the first accepted group that came back untouched (NO_RESULT).
 */
export function haltedBehindAccepted(
	groups: Array<{ key: string }>,
	answer: Map<string, Outcome>,
	accepted: Set<string>,
	halt: boolean,
): Set<string> {
	const keys = new Set<string>();
	if (!halt || accepted.size === 0) return keys;
	let behind = false;
	for (const { key } of groups) {
		const outcome = answer.get(key)!;
		if (accepted.has(key)) behind = true;
		else if (behind && 'failure' in outcome && isUntouched(outcome)) keys.add(key);
		else if ('failure' in outcome) break;
	}
	return keys;
}

function isUntouched(outcome: { failure: Error; done: Record<string, unknown> }): boolean {
	return (
		Object.keys(outcome.done).length === 0 &&
		outcome.failure instanceof Bitrix24Failure &&
		outcome.failure.details.code === 'NO_RESULT'
	);
}
