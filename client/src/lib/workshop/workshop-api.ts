// The workshops API (README: "Workshops").
import type { CheckResult, WorkshopProgressInfo, WorkshopProgressRequest, WorkshopSummary } from '../../../../server/src/protocol/api-types';
import type { Workshop } from '../../../../server/src/workshops/workshop-format';
import { ApiError } from '../api';

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) {
    let message = `The server answered ${response.status}.`;
    try {
      message = ((await response.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, 'unexpected_response', message);
  }
  return (await response.json()) as T;
}

export async function listWorkshops(): Promise<WorkshopSummary[]> {
  return (await json<{ workshops: WorkshopSummary[] }>(await fetch('/api/workshops', { cache: 'no-store' }))).workshops;
}

export async function getWorkshop(name: string, signal?: AbortSignal): Promise<Workshop> {
  return json<Workshop>(await fetch(`/api/workshops/${encodeURIComponent(name)}`, { cache: 'no-store', signal }));
}

export async function checkStep(sessionId: string, step: number): Promise<CheckResult> {
  return json<CheckResult>(await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/workshop/steps/${step}/check`, { method: 'POST' }));
}

export async function setupStep(sessionId: string, step: number): Promise<CheckResult> {
  return json<CheckResult>(await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/workshop/steps/${step}/setup`, { method: 'POST' }));
}

/** PUT .../workshop/progress: the step the page now shows, kept with the session on the server. */
export async function reportStep(sessionId: string, current: number): Promise<WorkshopProgressInfo> {
  const body: WorkshopProgressRequest = { current };
  return json<WorkshopProgressInfo>(
    await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/workshop/progress`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      // Sent even when the page is left (or reloaded) right after moving on.
      keepalive: true,
    }),
  );
}
