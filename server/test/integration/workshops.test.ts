import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { api, execIn, startTestPlayground, waitFor } from './harness';

describe('workshops', () => {
  let playground: Playground;
  let fixtures: Playground;
  beforeAll(async () => {
    playground = await startTestPlayground();
    // A folder with one good and one malformed workshop.
    const dir = await mkdtemp(path.join(tmpdir(), 'workshops-'));
    await mkdir(path.join(dir, 'good'));
    await writeFile(path.join(dir, 'good', 'workshop.json'), '{"title":"Good"}');
    await writeFile(path.join(dir, 'good', '01-only.md'), '---\ntitle: Only step\ncheck: test -e /root/done\n---\nTouch it.\n');
    await mkdir(path.join(dir, 'broken'));
    await writeFile(path.join(dir, 'broken', 'workshop.json'), '{"title": "Broken", }');
    await writeFile(path.join(dir, 'broken', '01-a.md'), '---\ntitle: A\n---\n');
    fixtures = await startTestPlayground({ WORKSHOPS_DIR: dir });
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
    await fixtures?.close({ removeSessions: true });
  });

  it('lists the built-in Docker 101 with its steps', async () => {
    const { status, json } = await api(playground, 'GET', '/api/workshops');
    expect(status).toBe(200);
    expect(json.problems).toEqual([]);
    expect(json.workshops).toContainEqual(expect.objectContaining({ name: 'docker-101', title: 'Docker 101', steps: 17 }));
    const workshop = await api(playground, 'GET', '/api/workshops/docker-101');
    expect(workshop.json.steps[0]).toMatchObject({ number: 1, title: 'Run a container in the background', instance: 'node1' });
    expect(workshop.json.steps[0].markdown).toContain('```sh run\ndocker run -d --name web nginx\n```');
    expect((await api(playground, 'GET', '/api/workshops/nope')).status).toBe(404);
  });

  it('reports a malformed workshop, naming the file, and still loads the others', async () => {
    const { json } = await api(fixtures, 'GET', '/api/workshops');
    expect(json.workshops.map((workshop: { name: string }) => workshop.name)).toEqual(['good']);
    expect(json.problems).toHaveLength(1);
    expect(json.problems[0]).toMatch(/^broken\/workshop.json: not valid JSON/);
  });

  it('starts a session with its workshop and instances; a check fails with its message, then passes', async () => {
    const created = await api(playground, 'POST', '/api/sessions', { workshop: 'docker-101' });
    expect(created.status).toBe(201);
    expect(created.json.workshop).toEqual({ name: 'docker-101' });
    const id: string = created.json.id;
    await waitFor('node2', async () => (await api(playground, 'GET', `/api/sessions/${id}`)).json.instances.length === 2, 60_000);

    const before = await api(playground, 'POST', `/api/sessions/${id}/workshop/steps/1/check`);
    expect(before.json).toEqual({ passed: false, message: 'There is no running container named web yet.' });
    await execIn(playground, id, 'docker run -d --name web nginx');
    const after = await api(playground, 'POST', `/api/sessions/${id}/workshop/steps/1/check`);
    expect(after.json).toEqual({ passed: true, message: 'web is running.' });

    // A step that runs on node2 checks there.
    const node2 = await api(playground, 'POST', `/api/sessions/${id}/workshop/steps/15/check`);
    expect(node2.json).toEqual({ passed: false, message: 'node2 has not pulled busybox yet.' });
    expect((await api(playground, 'POST', `/api/sessions/${id}/workshop/steps/99/check`)).status).toBe(404);
    expect((await api(playground, 'POST', '/api/sessions', { workshop: 'nope' })).status).toBe(404);
  });
});
