import { instanceInfo } from '../sessions/session';
import { sendJson } from './json-body';
import { SEGMENT, type Route } from './route';

/** Instances of a session: add the next nodeN, delete one, restart one, its live stats. */
export const instanceRoutes: Route[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances$`),
    handler: async (context, _request, response, [id]) => {
      context.sessions.get(id!); // 404 for an unknown session before admission counts anything
      context.admission.admitInstances(1);
      const instance = await context.sessions.addInstance(id!);
      sendJson(response, 201, instanceInfo(instance));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}/stats$`),
    handler: async (context, _request, response, [id, name]) => {
      sendJson(response, 200, await context.sessions.stats(id!, name!));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}/restart$`),
    handler: async (context, _request, response, [id, name]) => {
      sendJson(response, 200, instanceInfo(await context.sessions.restartInstance(id!, name!)));
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}$`),
    handler: async (context, _request, response, [id, name]) => {
      await context.sessions.removeInstance(id!, name!);
      response.writeHead(204).end();
    },
  },
];
