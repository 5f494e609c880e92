import { sendJson } from './json-body';
import { SEGMENT, type Route } from './route';

/** Saving a session, and the saved sessions a link starts from (POST /api/sessions {"saved": id}). */
export const savedRoutes: Route[] = [
  {
    // Copies the session's instance disks and workshop progress; the session goes on. 201 the saved one.
    method: 'POST',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/save$`),
    handler: async (context, _request, response, [id]) => {
      sendJson(response, 201, await context.saving.save(id!));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/saved/${SEGMENT}$`),
    handler: async (context, _request, response, [savedId]) => {
      sendJson(response, 200, await context.saving.get(savedId!));
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/saved/${SEGMENT}$`),
    handler: async (context, _request, response, [savedId]) => {
      await context.saving.remove(savedId!);
      response.writeHead(204).end();
    },
  },
];
