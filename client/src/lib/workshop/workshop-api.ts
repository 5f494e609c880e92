// The workshops API (README: "Workshops").
import type { CheckResult, WorkshopSummary } from '../../../../server/src/protocol/api-types';
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

export async function getWorkshop(name: string): Promise<Workshop> {
  return json<Workshop>(await fetch(`/api/workshops/${encodeURIComponent(name)}`, { cache: 'no-store' }));
}

export async function checkStep(sessionId: string, step: number): Promise<CheckResult> {
  return json<CheckResult>(await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/workshop/steps/${step}/check`, { method: 'POST' }));
}

export async function setupStep(sessionId: string, step: number): Promise<CheckResult> {
  return json<CheckResult>(await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/workshop/steps/${step}/setup`, { method: 'POST' }));
}
