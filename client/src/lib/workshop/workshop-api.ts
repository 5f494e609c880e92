// The workshops API (README: "Workshops").
import { apiPaths } from '../../../../server/src/protocol/api-paths';
import type { CheckResult, WorkshopProgressInfo, WorkshopProgressRequest, WorkshopSummary } from '../../../../server/src/protocol/api-types';
import type { Workshop } from '../../../../server/src/workshops/workshop-format';
import { requestJson } from '../api';

/** A step's check or setup runs commands in the instances (the server gives them a minute). */
const STEP_TIMEOUT_MS = 90_000;

export async function listWorkshops(): Promise<WorkshopSummary[]> {
  return (await requestJson<{ workshops: WorkshopSummary[] }>('GET', apiPaths.workshops)).workshops;
}

export async function getWorkshop(name: string, signal?: AbortSignal): Promise<Workshop> {
  return requestJson<Workshop>('GET', apiPaths.workshop(name), { signal });
}

export async function checkStep(sessionId: string, step: number): Promise<CheckResult> {
  return requestJson<CheckResult>('POST', apiPaths.workshopStep(sessionId, step, 'check'), { timeoutMs: STEP_TIMEOUT_MS });
}

export async function setupStep(sessionId: string, step: number): Promise<CheckResult> {
  return requestJson<CheckResult>('POST', apiPaths.workshopStep(sessionId, step, 'setup'), { timeoutMs: STEP_TIMEOUT_MS });
}

/** PUT .../workshop/progress: the step the page now shows, kept with the session on the server. */
export async function reportStep(sessionId: string, current: number): Promise<WorkshopProgressInfo> {
  const body: WorkshopProgressRequest = { current };
  // Sent even when the page is left (or reloaded) right after moving on.
  return requestJson<WorkshopProgressInfo>('PUT', apiPaths.workshopProgress(sessionId), { json: body, keepalive: true });
}
