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
    expect(created.json.workshop).toEqual({ name: 'docker-101', passed: [], current: 1 });
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

    // The passed check is kept with the session, beside the step the page reports.
    const moved = await api(playground, 'PUT', `/api/sessions/${id}/workshop/progress`, { current: 15 });
    expect(moved.json).toEqual({ name: 'docker-101', passed: [1], current: 15 });
    expect((await api(playground, 'GET', `/api/sessions/${id}`)).json.workshop).toEqual({ name: 'docker-101', passed: [1], current: 15 });
    expect((await api(playground, 'POST', '/api/sessions', { workshop: 'nope' })).status).toBe(404);
  });

  it('keeps the progress with the session: passed checks and the step the page reports', async () => {
    const { json: created } = await api(fixtures, 'POST', '/api/sessions', { workshop: 'good' });
    const id: string = created.id;
    expect(created.workshop).toEqual({ name: 'good', passed: [], current: 1 });

    // A failing check records nothing; a passing one records its step, once.
    expect((await api(fixtures, 'POST', `/api/sessions/${id}/workshop/steps/1/check`)).json.passed).toBe(false);
    expect((await api(fixtures, 'GET', `/api/sessions/${id}`)).json.workshop.passed).toEqual([]);
    await execIn(fixtures, id, 'touch /root/done');
    for (let i = 0; i < 2; i++) expect((await api(fixtures, 'POST', `/api/sessions/${id}/workshop/steps/1/check`)).json.passed).toBe(true);

    const moved = await api(fixtures, 'PUT', `/api/sessions/${id}/workshop/progress`, { current: 1 });
    expect(moved.status).toBe(200);
    expect(moved.json).toEqual({ name: 'good', passed: [1], current: 1 });
    expect((await api(fixtures, 'GET', `/api/sessions/${id}`)).json.workshop).toEqual({ name: 'good', passed: [1], current: 1 });

    // The workshop has one step: anything else is refused and changes nothing.
    for (const current of [0, 2, '1', null]) {
      const refused = await api(fixtures, 'PUT', `/api/sessions/${id}/workshop/progress`, { current });
      expect(refused.status).toBe(400);
      expect(refused.json.error.message).toMatch(/"current" must be a step of the workshop good: a whole number from 1 to 1/);
    }
    expect((await api(fixtures, 'GET', `/api/sessions/${id}`)).json.workshop.current).toBe(1);

    // A session without a workshop, or no session at all, is refused.
    const plain = await api(playground, 'POST', '/api/sessions');
    expect((await api(playground, 'PUT', `/api/sessions/${plain.json.id}/workshop/progress`, { current: 1 })).status).toBe(400);
    expect((await api(playground, 'PUT', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/workshop/progress', { current: 1 })).status).toBe(404);
    expect((await api(playground, 'POST', `/api/sessions/${id}/workshop/progress`, { current: 1 })).status).toBe(405);
  });
});
