import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlockList } from 'node:net';
import { clientKey } from '../admission/client-key';
import type { ExecRequest, HealthBody } from '../protocol/api-types';
import type { Admission } from '../admission/admission';
import type { FileService } from '../files/file-service';
import type { TerminalRegistry } from '../terminal/terminal-registry';
import type { WorkshopService } from '../workshops/workshop-service';
import type { SessionService } from '../sessions/session-service';
import { RouteError } from './error-response';
import { healthRoutes, type HealthCheck } from './health';
import { readJsonObject, sendJson } from './json-body';
import { BadRequestError } from '../errors';
import { findTemplate, instanceCount, TEMPLATES, type SwarmTemplate } from '../templates/templates';
import { fileRoutes } from './file-routes';
import { instanceRoutes } from './instance-routes';
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
      const body = await readJsonObject(request, context.maxBodyBytes);
      const template = templateOf(body);
      const workshop = typeof body.workshop === 'string' ? await context.workshops.get(body.workshop) : undefined;
      if (body.workshop !== undefined && !workshop) throw new BadRequestError('"workshop" must be the name of an installed workshop.');
      if (template && instanceCount(template) > context.sessions.maxInstances) {
        throw new BadRequestError(`The template ${template.name} needs ${instanceCount(template)} instances, but MAX_INSTANCES is ${context.sessions.maxInstances}.`);
      }
      const client = clientKey(request.socket.remoteAddress, request.headers['x-forwarded-for'], context.trustedProxies);
      const reservation = context.admission.admitSession(client, template ? instanceCount(template) : (workshop?.instances ?? 1));
      let created;
      try {
        created = await context.sessions.create(reservation);
      } catch (error) {
        reservation.release();
        throw error;
      }
      const { id, session } = created;
      if (template) context.sessions.startTemplate(id, template);
      if (workshop) context.workshops.start(id, workshop);
      sendJson(response, 201, session.toInfo(id, (name) => context.sessions.terminalNumbers(session.key, name)));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}$`),
    handler: async (context, _request, response, [id]) => {
      sendJson(response, 200, context.sessions.info(id!));
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
      const session = await context.sessions.extend(id!);
      sendJson(response, 200, session.toInfo(id!, (name) => context.sessions.terminalNumbers(session.key, name)));
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
const routes: Route[] = [...sessionRoutes, ...healthRoutes, ...instanceRoutes, ...fileRoutes, ...workshopRoutes];

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

/** The template a create request names, or undefined; a name we do not know is a 400 listing ours. */
function templateOf(body: Record<string, unknown>): SwarmTemplate | undefined {
  if (body.template === undefined) return undefined;
  const template = typeof body.template === 'string' ? findTemplate(body.template) : undefined;
  if (!template) {
    throw new BadRequestError(`Unknown template ${JSON.stringify(body.template)}: use one of ${TEMPLATES.map((known) => known.name).join(', ')}.`);
  }
  return template;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not a valid id or name either way: the lookup answers 404
  }
}
