import { clientKey } from '../admission/client-key';
import { readJsonObject, sendJson } from './json-body';
import { SEGMENT, type Route } from './route';

/** Classes: a trainer's event, learners joining it, the trainer's cockpit (README "Classes"). */
export const eventRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/events$/,
    handler: async (context, request, response) => {
      const body = await readJsonObject(request, context.maxBodyBytes);
      sendJson(response, 201, await context.events.create(body));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/events/${SEGMENT}$`),
    handler: async (context, _request, response, [code]) => {
      sendJson(response, 200, context.events.publicInfo(code!));
    },
  },
  {
    // A learner takes a seat: 201 with the session, counted against the learner's address as POST /api/sessions is.
    method: 'POST',
    pattern: new RegExp(`^/api/events/${SEGMENT}/learners$`),
    handler: async (context, request, response, [code]) => {
      const body = await readJsonObject(request, context.maxBodyBytes);
      const client = clientKey(request.socket.remoteAddress, request.headers['x-forwarded-for'], context.trustedProxies);
      const id = await context.events.join(code!, body.name, client);
      sendJson(response, 201, { ...context.sessions.info(id), event: context.events.eventOfSession(id) });
    },
  },
  {
    // The learner (their session id is the capability) lets a watching trainer type, or stops it.
    method: 'PUT',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/event/sharing$`),
    handler: async (context, request, response, [id]) => {
      context.sessions.get(id!); // 404 before reading a body for nobody
      const body = await readJsonObject(request, context.maxBodyBytes);
      context.events.setSharing(id!, body.on);
      response.writeHead(204).end();
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/trainer/${SEGMENT}$`),
    handler: async (context, _request, response, [key]) => {
      sendJson(response, 200, await context.events.cockpit(key!));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/trainer/${SEGMENT}/messages$`),
    handler: async (context, request, response, [key]) => {
      const body = await readJsonObject(request, context.maxBodyBytes);
      await context.events.broadcast(key!, body.text);
      response.writeHead(204).end();
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/trainer/${SEGMENT}/extend$`),
    handler: async (context, _request, response, [key]) => {
      sendJson(response, 200, await context.events.extendAll(key!));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/trainer/${SEGMENT}/end$`),
    handler: async (context, _request, response, [key]) => {
      sendJson(response, 200, await context.events.endAll(key!));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/trainer/${SEGMENT}/results\\.csv$`),
    handler: async (context, _request, response, [key]) => {
      const { csv, code } = await context.events.resultsCsv(key!);
      response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="class-${code}-results.csv"`, 'cache-control': 'no-store' });
      response.end(csv);
    },
  },
];
