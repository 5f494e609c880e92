import type { ServerResponse } from 'node:http';

/** GET /metrics: the Prometheus text format, never cached (every scrape reads the live values). */
export async function sendMetrics(metrics: { text(): Promise<string>; contentType: string }, response: ServerResponse): Promise<void> {
  const text = await metrics.text();
  response.writeHead(200, {
    'content-type': metrics.contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}
