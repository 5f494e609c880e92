import type { SessionInfo } from '../../server/src/protocol/api-types';
import { sessionKey } from '../../server/src/sessions/session-key';
import { resourceNames } from '../../server/src/sandbox/labels';
import type { ApiClient } from './api-client';
import { TerminalClient } from './terminal-client';
import { now } from './time';

export interface OpenSession {
  session: SessionInfo;
  terminal: TerminalClient;
  /** The sandbox container of node1 (for docker exec and stats). */
  container: string;
  /** Milliseconds from POST /api/sessions until its answer. */
  postMs: number;
  /** Milliseconds from POST /api/sessions until the prompt had arrived on the terminal socket. */
  promptMs: number;
}

/** The Docker name of a session's instance container (the server names it after the session key). */
export function instanceContainerName(sessionId: string, instance = 'node1'): string {
  return resourceNames.container(sessionKey(sessionId), instance);
}

/**
 * Creates a session and opens node1's terminal as soon as the POST answers, as a browser would
 * (with a resize to a wide terminal), and waits for the prompt.
 */
export async function openSession(api: ApiClient, options: { promptTimeoutMs?: number; cols?: number; rows?: number; wanted?: Record<string, unknown> } = {}): Promise<OpenSession> {
  const started = now();
  const session = await api.createSession(options.wanted);
  const answered = now();
  const terminal = await TerminalClient.connect(api.terminalUrl(session.id));
  terminal.resize(options.cols ?? 200, options.rows ?? 50);
  try {
    const prompted = await terminal.waitForPrompt(options.promptTimeoutMs ?? 90_000);
    return {
      session,
      terminal,
      container: instanceContainerName(session.id),
      postMs: answered - started,
      promptMs: prompted - started,
    };
  } catch (error) {
    terminal.close();
    throw error;
  }
}
