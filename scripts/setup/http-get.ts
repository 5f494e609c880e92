import { request } from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
}

/**
 * A bounded HTTP GET to the project's own loopback services (the registry on 127.0.0.1). Uses
 * node:http with its own (referenced) timer: with fetch and AbortSignal.timeout, a connection that a
 * docker-proxy accepts and then drops while the container is still starting could leave a promise
 * pending with nothing keeping the process alive (Node exits with code 13).
 */
export function httpGet(url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = request(url, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })));
      res.on('error', (e) => finish(() => reject(e)));
      res.on('aborted', () => finish(() => reject(new Error('response aborted'))));
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
      finish(() => reject(new Error(`no answer within ${timeoutMs} ms`)));
    }, timeoutMs);
    req.on('error', (e) => finish(() => reject(e)));
    req.on('close', () => finish(() => reject(new Error('connection closed before a response'))));
    req.end();
  });
}
