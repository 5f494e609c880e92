// Counting the API requests a page sends: how a loop would show.
import type { Page } from '@playwright/test';

/** Starts counting the page's /api requests; returns how many of one kind ("POST /api/sessions") so far. */
export function countApiRequests(page: Page): (kind: string) => number {
  const counts = new Map<string, number>();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/api/')) return;
    const kind = `${request.method()} ${url.pathname}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  });
  return (kind) => counts.get(kind) ?? 0;
}

/** The page's path and query, e.g. "/" or "/?workshop=docker-101". */
export function pathAndQuery(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}
