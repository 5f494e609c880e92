/**
 * Splices benchmark results into docs/performance.md. Each benchmark's section sits between its
 * own markers, so a run of one benchmark (--only) replaces that section and keeps the others. Pure.
 */
const RESULTS_HEADING = '## Latest results';

export function startMarker(name: string): string {
  return `<!-- bench:${name}:start -->`;
}

export function endMarker(name: string): string {
  return `<!-- bench:${name}:end -->`;
}

/**
 * Returns the document with each named section replaced (or added at the end, in the order given,
 * after the results heading, which is added when missing). `order` lists every benchmark name so
 * new sections land in a stable place.
 */
export function spliceResults(doc: string, sections: ReadonlyMap<string, string>, order: readonly string[]): string {
  let out = doc.includes(RESULTS_HEADING) ? doc : `${doc.trimEnd()}\n\n${RESULTS_HEADING}\n`;
  for (const name of order) {
    const body = sections.get(name);
    if (body === undefined) continue;
    const block = `${startMarker(name)}\n${body.trim()}\n${endMarker(name)}`;
    const start = out.indexOf(startMarker(name));
    const end = out.indexOf(endMarker(name));
    if (start >= 0 && end > start) {
      out = out.slice(0, start) + block + out.slice(end + endMarker(name).length);
      continue;
    }
    // Not there yet: put it after the last section of a benchmark that comes before it, else right
    // after the results heading.
    const before = order.slice(0, order.indexOf(name)).reverse().find((other) => out.includes(endMarker(other)));
    const anchor = before ? out.indexOf(endMarker(before)) + endMarker(before).length : out.indexOf(RESULTS_HEADING) + RESULTS_HEADING.length;
    out = `${out.slice(0, anchor)}\n\n${block}${out.slice(anchor)}`;
  }
  return `${out.trimEnd().replace(/\n{3,}/g, '\n\n')}\n`;
}
