// Where a person is in a session's workshop. The server keeps it with the session (README:
// "Workshops"), so every browser on the session, and a trainer, sees the same; these are the pure
// rules the page applies to what it reads.

/** The step to open at: the one the server last heard of, when the workshop has it; else step 1. */
export function startingStep(reported: number | undefined, steps: number): number {
  return reported !== undefined && Number.isInteger(reported) && reported >= 1 && reported <= steps ? reported : 1;
}

/** Steps passed, as the server last said and as checked in this page since: each once, ascending. */
export function passedSteps(onServer: readonly number[] | undefined, here: readonly number[]): number[] {
  return [...new Set([...(onServer ?? []), ...here])].sort((a, b) => a - b);
}

/**
 * Done when every step that has a check has passed it (a step without one cannot be failed, and the
 * server records no pass for it). A workshop with no checks at all is never "complete".
 */
export function workshopComplete(steps: ReadonlyArray<{ number: number; check?: string }>, passed: readonly number[]): boolean {
  const checked = steps.filter((step) => step.check);
  return checked.length > 0 && checked.every((step) => passed.includes(step.number));
}
