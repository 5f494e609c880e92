import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlockList } from 'node:net';
import { clientKey } from '../admission/client-key';
import type { ExecRequest, HealthBody, WaitingRoomStatus } from '../protocol/api-types';
import type { Admission } from '../admission/admission';
import type { EventService } from '../events/event-service';
import type { StackLinkPolicy } from '../stacks/stack-source';
import type { SwarmMember } from '../docker/swarm-members';
import type { FileService } from '../files/file-service';
import type { TerminalRegistry } from '../terminal/terminal-registry';
import type { WorkshopService } from '../workshops/workshop-service';
import type { SessionService } from '../sessions/session-service';
import { RouteError } from './error-response';
import { healthRoutes, type HealthCheck } from './health';
import { readJsonObject, sendJson } from './json-body';
import { readStartRequest, startAdmitted, type StartRequest } from './session-start';
import type { TicketStatus, WaitingRoom } from '../admission/waiting-room';
import { fileRoutes } from './file-routes';
import { instanceRoutes } from './instance-routes';
import { eventRoutes } from './event-routes';
import { savedRoutes } from './saved-routes';
import type { SessionSaving } from '../saved/session-saving';
import { nodeRoutes } from './node-routes';
import { workshopRoutes } from './workshop-routes';
import { SEGMENT, type Route } from './route';

export interface ApiContext {
  sessions: SessionService;
  /** Caps and per-client limits of new sessions and instances. */
  admission: Admission;
  /** Proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES). */
  trustedProxies: BlockList;
  /** Files in and out of instances. */
  files: FileService;
  /** The open shells. */
  terminals: TerminalRegistry;
  /** Installed workshops and their checks. */
  workshops: WorkshopService;
  health: HealthCheck;
  maxBodyBytes: number;
  /** Classes: trainers' events and their learners. */
  events: EventService;
  /** Where stack links may fetch compose files from (STACK_LINKS). */
  stackLinks: StackLinkPolicy;
  /** Saved sessions: save, and start from one (resume, fork). */
  saving: SessionSaving;
  /** The line of visitors waiting for room (POST /api/waiting-room). */
  waitingRoom: WaitingRoom<StartRequest>;
  /** The swarm's members from this node's engine (GET /api/node/swarm); absent: that route is 404. */
  swarmMembers?: () => Promise<SwarmMember[]>;
}

/** The HTTP API, documented in the README. Path parameters are URL-decoded segments. */
const sessionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/health$/,
    handler: async (context, _request, response) => {
      const problem = await context.health.problem();
      const sessionTtlSeconds = Math.round(context.sessions.sessionTtlMs / 1000);
      const body: HealthBody = problem ? { status: 'unavailable', reason: problem, sessionTtlSeconds } : { status: 'ok', sessionTtlSeconds };
      sendJson(response, problem ? 503 : 200, body);
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/sessions$/,
    handler: async (context, request, response) => {
      const wanted = await readStartRequest(context, request);
      const client = clientKey(request.socket.remoteAddress, request.headers['x-forwarded-for'], context.trustedProxies);
      const reservation = context.admission.admitSession(client, wanted.instances);
      const id = await startAdmitted(context, reservation, wanted);
      await context.sessions.handedOver(id);
      sendJson(response, 201, context.sessions.info(id));
    },
  },
  {
    // The waiting room: joins the line (or finds this client's place in it); 202 with the ticket.
    method: 'POST',
    pattern: /^\/api\/waiting-room$/,
    handler: async (context, request, response) => {
      const wanted = await readStartRequest(context, request);
      const client = clientKey(request.socket.remoteAddress, request.headers['x-forwarded-for'], context.trustedProxies);
      const { ticket, status } = context.waitingRoom.join(client, wanted);
      sendJson(response, 202, waitingBody(context, ticket, status));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/waiting-room/${SEGMENT}$`),
    handler: async (context, _request, response, [ticket]) => {
      const status = context.waitingRoom.status(ticket!);
      if (status.sessionId) await context.sessions.handedOver(status.sessionId);
      sendJson(response, 200, waitingBody(context, ticket!, status));
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/waiting-room/${SEGMENT}$`),
    handler: async (context, _request, response, [ticket]) => {
      context.waitingRoom.leave(ticket!);
      response.writeHead(204).end();
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}$`),
    handler: async (context, _request, response, [id]) => {
      const event = context.events.eventOfSession(id!);
      sendJson(response, 200, { ...context.sessions.info(id!), ...(event ? { event } : {}) });
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}$`),
    handler: async (context, _request, response, [id]) => {
      await context.sessions.close(id!);
      response.writeHead(204).end();
    },
  },
  {
    // Moves the end later by SESSION_EXTEND (409 extend_limit at SESSION_MAX_TTL): the session's info.
    method: 'POST',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/extend$`),
    handler: async (context, _request, response, [id]) => {
      await context.sessions.extend(id!);
      sendJson(response, 200, context.sessions.info(id!));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}/exec$`),
    handler: async (context, request, response, [id, name]) => {
      context.sessions.instance(id!, name!); // 404 before reading a body for nobody
      const body = (await readJsonObject(request, context.maxBodyBytes)) as unknown as ExecRequest;
      sendJson(response, 200, await context.sessions.exec(id!, name!, body));
    },
  },
];

/** Every endpoint; each area's routes live in their own file. */
const routes: Route[] = [...sessionRoutes, ...healthRoutes, ...nodeRoutes, ...instanceRoutes, ...fileRoutes, ...workshopRoutes, ...eventRoutes, ...savedRoutes];

/** Finds and runs the route for an /api request; throws RouteError for no route or a wrong method. */
export async function handleApi(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
): Promise<void> {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    pathMatched = true;
    if (route.method !== request.method) continue;
    const params = match.slice(1).map((segment) => decodeSegment(segment));
    await route.handler(context, request, response, params);
    return;
  }
  if (pathMatched) throw new RouteError(405, 'method_not_allowed', `${request.method} is not allowed here.`);
  throw new RouteError(404, 'not_found', `No API endpoint at ${pathname}.`);
}

/** A ticket's answer: its place, or, once admitted, the session (whose id only the ticket's holder gets). */
function waitingBody(context: ApiContext, ticket: string, status: TicketStatus): WaitingRoomStatus {
  const { sessionId, ...rest } = status;
  return { ticket, ...rest, ...(sessionId ? { session: context.sessions.info(sessionId) } : {}) };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not a valid id or name either way: the lookup answers 404
  }
}
