import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Paths the single-page app renders itself: the landing page and every session URL. */
function isAppRoute(pathname: string): boolean {
  // The page's own routes: a session (/s/<id>), a class to join (/e/<code>), a cockpit (/t/<key>), making a class (/trainer).
  return pathname === '/' || pathname === '/index.html' || pathname === '/trainer' || /^\/[set]\/[^/]*\/?$/.test(pathname);
}

/**
 * Serves the built client from staticDir. Only files inside staticDir are ever read: the resolved
 * path must stay under it. Returns false when nothing matched (the caller answers 404).
 */
export async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  staticDir: string,
): Promise<boolean> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const root = path.resolve(staticDir);
  let relative: string;
  try {
    relative = isAppRoute(pathname) ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    return false; // malformed %-escapes: nothing of ours has such a name
  }
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return false;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    if (isAppRoute(pathname)) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('The client is not built yet: run "npm run build" (npm start does it for you).\n');
      return true;
    }
    return false;
  }
  const immutable = relative.startsWith('assets/');
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  createReadStream(file).pipe(response);
  return true;
}
