import { sendJson } from './json-body';
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
];
