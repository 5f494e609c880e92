import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkshopCatalog } from './workshop-catalog';

const SHIPPED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'workshops');
const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the workshop catalog', () => {
  it('loads the shipped workshops, the Killercoda-format one among them, with nothing to report', async () => {
    const { workshops, problems, notes } = await new WorkshopCatalog(SHIPPED).load();
    expect(problems).toEqual([]);
    expect(notes).toEqual([]);
    const volumes = workshops.find((workshop) => workshop.name === 'docker-volumes')!;
    expect(volumes.title).toBe('Keep data in volumes');
    expect(volumes.steps.map((step) => step.title)).toEqual(['Introduction', 'Make a volume', 'Write into it', 'Read it from another container', 'Finish']);
    expect(volumes.steps[2]!.foreground).toContain('busybox is ready');
    expect(workshops.map((workshop) => workshop.name)).toContain('docker-101');
  });

  it('reports a malformed scenario like a malformed workshop, and loads the others', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'catalog-'));
    made.push(dir);
    await mkdir(path.join(dir, 'cluster-course'));
    await writeFile(path.join(dir, 'cluster-course', 'index.json'), JSON.stringify({ title: 'K8s', details: { intro: { text: 'intro.md' } }, backend: { imageid: 'kubernetes-kubeadm-1node' } }));
    await mkdir(path.join(dir, 'broken'));
    await writeFile(path.join(dir, 'broken', 'index.json'), JSON.stringify({ title: 'Broken', details: { steps: [{ text: 'step1/text.md' }] } }));
    await mkdir(path.join(dir, 'fine'));
    await writeFile(path.join(dir, 'fine', 'index.json'), JSON.stringify({ title: 'Fine', details: { intro: { text: 'intro.md' } }, interface: { layout: 'ide' } }));
    await writeFile(path.join(dir, 'fine', 'intro.md'), 'Hello `ls`{{exec}}');
    await mkdir(path.join(dir, 'empty'));
    const { workshops, problems, notes } = await new WorkshopCatalog(dir).load();
    expect(workshops.map((workshop) => workshop.name)).toEqual(['fine']);
    expect(problems).toEqual([
      'broken/step1/text.md is missing (step1\'s "text")',
      expect.stringMatching(/^cluster-course\/index.json: backend "kubernetes-kubeadm-1node" is not supported/),
      'empty: workshop.json is missing (or index.json, for a Killercoda scenario)',
    ]);
    expect(notes).toEqual([expect.stringMatching(/^fine: "interface"/)]);
  });
});
