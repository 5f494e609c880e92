// Session templates: sessions that start as more than a single Docker host. Data only; the
// assembler (swarm-assembler.ts) builds them.

export interface SwarmTemplate {
  name: string;
  title: string;
  /** node1..nodeM are managers (node1 initialises the swarm), the rest workers. */
  managers: number;
  workers: number;
}

export const TEMPLATES: readonly SwarmTemplate[] = [
  { name: 'swarm-3m2w', title: 'Swarm: 3 managers, 2 workers', managers: 3, workers: 2 },
  { name: 'swarm-1m1w', title: 'Swarm: 1 manager, 1 worker', managers: 1, workers: 1 },
];

export function findTemplate(name: string): SwarmTemplate | undefined {
  return TEMPLATES.find((template) => template.name === name);
}

export function instanceCount(template: SwarmTemplate): number {
  return template.managers + template.workers;
}

/** The role of each node, in order: node1 first (it initialises the swarm). */
export function roles(template: SwarmTemplate): Array<{ name: string; role: 'manager' | 'worker' }> {
  return Array.from({ length: instanceCount(template) }, (_, index) => ({
    name: `node${index + 1}`,
    role: index < template.managers ? 'manager' : 'worker',
  }));
}
