import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from './api-routes';

// One API endpoint: a method, a path pattern whose groups are the path parameters, and a handler.
// Each area of the API (sessions, instances, files, ports) keeps its routes in its own file;
// api-routes.ts joins them and dispatches.

export type Handler = (
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  params: string[],
) => Promise<void>;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** One path segment, captured (URL-decoded before it reaches the handler). */
export const SEGMENT = '([^/]+)';
