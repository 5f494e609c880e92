import { readJsonObject, sendJson } from './json-body';
import { SEGMENT, type Route } from './route';

/** Installed workshops and a session's workshop steps (docs/workshops.md). */
export const workshopRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/workshops$/,
    handler: async (context, _request, response) => {
      sendJson(response, 200, await context.workshops.list());
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/workshops/${SEGMENT}$`),
    handler: async (context, _request, response, [name]) => {
      sendJson(response, 200, await context.workshops.get(name!));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/workshop/steps/(\\d{1,3})/check$`),
    handler: async (context, _request, response, [id, step]) => {
      sendJson(response, 200, await context.workshops.check(id!, Number(step)));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/workshop/steps/(\\d{1,3})/setup$`),
    handler: async (context, _request, response, [id, step]) => {
      sendJson(response, 200, await context.workshops.setup(id!, Number(step)));
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/workshop/progress$`),
    handler: async (context, request, response, [id]) => {
      context.sessions.get(id!); // 404 before reading a body for nobody
      const body = await readJsonObject(request, context.maxBodyBytes);
      sendJson(response, 200, context.workshops.moveTo(id!, body.current));
    },
  },
];
