// What the page says while a session template (a swarm) is assembled. The server adds the nodes in
// the background, so the session may list fewer instances than the template will have: the node
// count comes from the template's name (swarm-<managers>m<workers>w), not from the list.
import type { InstanceInfo, TemplateProgress } from '../../../server/src/protocol/api-types';

/** Nodes a template makes: 5 for "swarm-3m2w", 2 for "swarm-1m1w"; undefined for a name of another shape. */
export function templateNodeCount(name: string): number | undefined {
  const match = /^swarm-(\d+)m(\d+)w$/.exec(name);
  return match ? Number(match[1]) + Number(match[2]) : undefined;
}

/** "2 of 5 nodes running": the running instances, out of the template's nodes (or the listed ones). */
export function nodesRunning(template: TemplateProgress, instances: readonly InstanceInfo[]): string {
  const running = instances.filter((instance) => instance.state === 'running').length;
  const total = Math.max(templateNodeCount(template.name) ?? 0, instances.length);
  return `${running} of ${total} node${total === 1 ? '' : 's'} running`;
}
