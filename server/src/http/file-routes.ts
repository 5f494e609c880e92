import { sendJson } from './json-body';
import { SEGMENT, type Route } from './route';

/** ?path=... of a request, or undefined. */
function pathParam(url: string | undefined): string | undefined {
  return new URL(url ?? '/', 'http://localhost').searchParams.get('path') ?? undefined;
}

/** Files of an instance: list, download, upload (README: "Files"). */
export const fileRoutes: Route[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}/files/list$`),
    handler: async (context, request, response, [id, name]) => {
      sendJson(response, 200, await context.files.list(id!, name!, pathParam(request.url) ?? '/root'));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}/files$`),
    handler: async (context, request, response, [id, name]) => {
      await context.files.download(id!, name!, pathParam(request.url), response);
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}/files$`),
    handler: async (context, request, response, [id, name]) => {
      context.sessions.instance(id!, name!); // 404 before reading a body for nobody
      try {
        sendJson(response, 201, await context.files.upload(id!, name!, pathParam(request.url), request));
      } catch (error) {
        // Whatever of the body is still coming is not wanted: close rather than read it all.
        response.setHeader('connection', 'close');
        throw error;
      }
    },
  },
];
