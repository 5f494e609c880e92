/** Instance names are node1, node2, ...: the hostname and DNS alias people type (`ping node2`). */
const NAME = /^node([1-9]\d{0,2})$/;

export function isInstanceName(name: string): boolean {
  return NAME.test(name);
}

/** The lowest nodeN not in use (node1 again after node1 was deleted), or undefined when all `max` are. */
export function nextInstanceName(inUse: Iterable<string>, max: number): string | undefined {
  const taken = new Set(inUse);
  for (let n = 1; n <= max; n++) {
    if (!taken.has(`node${n}`)) return `node${n}`;
  }
  return undefined;
}
