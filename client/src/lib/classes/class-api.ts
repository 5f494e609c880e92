// The class endpoints (README "Classes"), for the trainer's pages and the learner's join page.
import { apiPaths } from '../../../../server/src/protocol/api-paths';
import type { Cockpit, EventCreated, EventPublic, SessionInfo } from '../../../../server/src/protocol/api-types';
import { request, requestJson } from '../api';

export function createEvent(settings: { workshop: string; seats: number; minutes: number; title?: string }): Promise<EventCreated> {
  return requestJson<EventCreated>('POST', apiPaths.events, { json: settings });
}

export function getEvent(code: string, signal?: AbortSignal): Promise<EventPublic> {
  return requestJson<EventPublic>('GET', apiPaths.event(code), { signal });
}

/** Takes a seat: the learner's new session (starting a sandbox: as long as a session start may take). */
export function joinEvent(code: string, name: string): Promise<SessionInfo> {
  return requestJson<SessionInfo>('POST', apiPaths.eventLearners(code), { json: { name }, timeoutMs: 120_000 });
}

/** The learner lets the watching trainer type in their terminal, or takes it back. */
export async function shareTyping(sessionId: string, on: boolean): Promise<void> {
  await request('PUT', apiPaths.eventSharing(sessionId), { json: { on } });
}

export function getCockpit(key: string, signal?: AbortSignal): Promise<Cockpit> {
  return requestJson<Cockpit>('GET', apiPaths.cockpit(key), { signal });
}

export async function sendMessage(key: string, text: string): Promise<void> {
  await request('POST', apiPaths.cockpitMessages(key), { json: { text } });
}

export function endEveryone(key: string): Promise<{ ended: number }> {
  return requestJson('POST', apiPaths.cockpitEnd(key), { timeoutMs: 120_000 });
}

export function extendEveryone(key: string): Promise<{ extended: number; atLimit: number }> {
  return requestJson('POST', apiPaths.cockpitExtend(key), { timeoutMs: 60_000 });
}
