import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { apiPaths } from '../protocol/api-paths';
import type { Cockpit, EventCreated, SessionInfo } from '../protocol/api-types';
import { MAX_CLASSES } from '../events/event-service';
import { sessionKey } from '../sessions/session-key';
import { callApi, startFakePlayground, type FakePlayground } from '../testing/fake-playground';

// Classes through the HTTP API, on the fake driver (its checks always pass): a trainer makes one,
// learners join with names, the cockpit shows who passed what, messages reach every learner's page,
// everyone's sessions are extended, the results come as CSV, and a restart keeps the class.

const running: FakePlayground[] = [];
afterEach(async () => {
  for (const fake of running.splice(0)) await fake.stop();
});

async function start(env: Record<string, string> = {}): Promise<FakePlayground> {
  const fake = await startFakePlayground({ MAX_SESSIONS_PER_CLIENT: '0', SESSION_RATE_LIMIT: '0', ...env });
  running.push(fake);
  return fake;
}

describe('classes', () => {
  it('a trainer makes a class; learners join by its code; the cockpit shows each one\'s steps; messages and extensions reach everyone', async () => {
    const { playground, advance } = await start();
    const call = (method: string, url: string, body?: unknown) => callApi(playground.url, method, url, body);
    const made = await call('POST', '/api/events', { workshop: 'docker-101', seats: 3, minutes: 90 });
    expect(made.status).toBe(201);
    const event = made.json as EventCreated;
    expect(event.learnerPath).toBe(`/e/${event.code}`);
    expect(event.trainerPath).toBe(`/t/${event.trainerKey}`);
    expect(event.code).toMatch(/^[a-z2-9]{8}$/);
    expect((await call('GET', `/api/events/${event.code}`)).json).toMatchObject({ title: 'Docker 101', workshop: 'docker-101', seatsLeft: 3, messages: [] });

    const learners: SessionInfo[] = [];
    for (const name of ['Ada', 'Grace', 'Ada']) {
      const joined = await call('POST', `/api/events/${event.code}/learners`, { name });
      expect(joined.status).toBe(201);
      learners.push(joined.json as SessionInfo);
    }
    expect(learners.map((learner) => learner.event?.learner)).toEqual(['Ada', 'Grace', 'Ada (2)']);
    expect(learners[0]!.workshop).toEqual({ name: 'docker-101', passed: [], current: 1 });
    const full = await call('POST', `/api/events/${event.code}/learners`, { name: 'Late' });
    expect([full.status, full.json.error.code]).toEqual([409, 'event_full']);
    expect((await call('POST', `/api/events/${event.code}/learners`, { name: '   ' })).status).toBe(400);

    // Different paces: Ada passes two steps, Grace one, the second Ada none.
    await call('POST', `/api/sessions/${learners[0]!.id}/workshop/steps/1/check`);
    advance(60_000);
    await call('POST', `/api/sessions/${learners[1]!.id}/workshop/steps/1/check`);
    await call('POST', `/api/sessions/${learners[0]!.id}/workshop/steps/2/check`);
    await call('PUT', `/api/sessions/${learners[0]!.id}/workshop/progress`, { current: 3 });
    advance(30_000);
    const cockpit = (await call('GET', `/api/trainer/${event.trainerKey}`)).json as Cockpit;
    expect(cockpit.steps).toHaveLength(17);
    expect(cockpit.event).toMatchObject({ code: event.code, seats: 3, seatsLeft: 0, learnerPath: `/e/${event.code}` });
    expect(cockpit.learners.map((row) => [row.name, row.passed, row.current, row.state])).toEqual([
      ['Ada', [1, 2], 3, 'live'],
      ['Grace', [1], 1, 'live'],
      ['Ada (2)', [], 1, 'live'],
    ]);
    // Nobody asked in between: progress counts from when the cockpit saw it; the second Ada has been stuck since she joined.
    expect(cockpit.learners[2]!.stuckSeconds).toBe(90);
    expect(JSON.stringify(cockpit)).not.toContain(learners[0]!.id); // a trainer never gets a learner's session

    expect((await call('POST', `/api/trainer/${event.trainerKey}/messages`, { text: 'Break until 11:00' })).status).toBe(204);
    for (const learner of learners) {
      const seen = (await call('GET', apiPaths.session(learner.id))).json as SessionInfo;
      expect(seen.event?.messages.map((message) => message.text)).toEqual(['Break until 11:00']);
    }
    expect((await call('POST', `/api/trainer/${event.trainerKey}/messages`, { text: '' })).status).toBe(400);

    const before = learners.map((learner) => Date.parse(learner.expiresAt));
    const extended = await call('POST', `/api/trainer/${event.trainerKey}/extend`);
    expect(extended.json).toEqual({ extended: 3, atLimit: 0 });
    for (const [i, learner] of learners.entries()) {
      expect(Date.parse(((await call('GET', apiPaths.session(learner.id))).json as SessionInfo).expiresAt)).toBeGreaterThan(before[i]!);
    }

    const csv = await call('GET', `/api/trainer/${event.trainerKey}/results.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="class-${event.code}-results.csv"`);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^name,joined,current step,steps passed,1\. Run a container in the background,/);
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 1).concat(line.split(',').slice(2, 6)))).toEqual([
      ['Ada', '3', '2', '1', '1'],
      ['Grace', '1', '1', '1', '0'],
      ['Ada (2)', '1', '0', '0', '0'],
    ]);

    // A closed session shows as ended; ending everyone ends the rest.
    await call('DELETE', apiPaths.session(learners[1]!.id));
    const after = (await call('GET', `/api/trainer/${event.trainerKey}`)).json as Cockpit;
    expect(after.learners[1]).toMatchObject({ name: 'Grace', state: 'ended', passed: [1] }); // her results stay
    expect((await call('POST', `/api/trainer/${event.trainerKey}/end`)).json).toEqual({ ended: 2 });
    const ended = ((await call('GET', `/api/trainer/${event.trainerKey}`)).json as Cockpit).learners;
    expect(ended.map((row) => [row.state, row.passed])).toEqual([['ended', [1, 2]], ['ended', [1]], ['ended', []]]);
    expect((await call('GET', apiPaths.session(learners[0]!.id))).status).toBe(404);
  });

  it('checks every learner\'s current step in the background: the grid follows those who never press Check', async () => {
    const { playground } = await start();
    const call = (method: string, url: string, body?: unknown) => callApi(playground.url, method, url, body);
    const event = (await call('POST', '/api/events', { workshop: 'docker-101', seats: 2 })).json as EventCreated;
    const quiet = (await call('POST', `/api/events/${event.code}/learners`, { name: 'Quiet' })).json as SessionInfo;
    expect(((await call('GET', `/api/trainer/${event.trainerKey}`)).json as Cockpit).learners[0]!.passed).toEqual([]);
    // The fake driver's checks all pass: one round passes the step each learner is on.
    expect(await playground.events.checkEveryone()).toBe(1);
    expect(((await call('GET', `/api/trainer/${event.trainerKey}`)).json as Cockpit).learners[0]!.passed).toEqual([1]);
    expect(((await call('GET', apiPaths.session(quiet.id))).json as SessionInfo).workshop?.passed).toEqual([1]);
    expect(await playground.events.checkEveryone()).toBe(0); // passed already: not checked again
  });

  it('a trainer watches a learner\'s terminal read-only; the learner\'s page is told; a learner not in the class is 4404', async () => {
    const { playground, driver } = await start();
    const call = (method: string, url: string, body?: unknown) => callApi(playground.url, method, url, body);
    const event = (await call('POST', '/api/events', { workshop: 'docker-101', seats: 2 })).json as EventCreated;
    const ada = (await call('POST', `/api/events/${event.code}/learners`, { name: 'Ada' })).json as SessionInfo;
    expect(ada.event?.watched).toBe(false);
    const watchUrl = (n: number) => `${playground.url.replace('http', 'ws')}/api/trainer/${event.trainerKey}/learners/${n}/terminal`;
    const watcher = new WebSocket(watchUrl(1), { headers: { origin: playground.url } });
    const seen: Buffer[] = [];
    watcher.on('message', (data, isBinary) => {
      if (isBinary) seen.push(data as Buffer);
    });
    await new Promise((resolve) => watcher.once('open', resolve));
    const until = async (what: string, check: () => boolean | Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await check()); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      if (!(await check())) throw new Error(`timed out waiting for ${what}`);
    };
    await until('the learner\'s shell', () => driver.shells.length === 1);
    driver.shells[0]!.shell.emit('[node1] ~ # docker ps\r\n');
    await until('the watcher to see it', () => Buffer.concat(seen).toString().includes('docker ps'));
    watcher.send(JSON.stringify({ type: 'input', data: 'rm -rf /\r' }));
    watcher.send(JSON.stringify({ type: 'resize', cols: 40, rows: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(driver.shells[0]!.shell.written.join('')).not.toContain('rm -rf');
    expect(driver.shells[0]!.shell.sizes).not.toContainEqual([40, 10]);
    expect(((await call('GET', apiPaths.session(ada.id))).json as SessionInfo).event?.watched).toBe(true);

    // Ada lets the trainer type; then takes it back.
    expect((await call('PUT', apiPaths.eventSharing(ada.id), { on: true })).status).toBe(204);
    expect(((await call('GET', apiPaths.session(ada.id))).json as SessionInfo).event?.sharing).toBe(true);
    expect(((await call('GET', `/api/trainer/${event.trainerKey}`)).json as Cockpit).learners[0]!.sharing).toBe(true);
    watcher.send(JSON.stringify({ type: 'input', data: 'echo shared\r' }));
    await until('the shared keys to reach the shell', () => driver.shells[0]!.shell.written.join('').includes('echo shared'));
    await call('PUT', apiPaths.eventSharing(ada.id), { on: false });
    watcher.send(JSON.stringify({ type: 'input', data: 'echo taken-back\r' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(driver.shells[0]!.shell.written.join('')).not.toContain('taken-back');
    expect((await call('PUT', apiPaths.eventSharing(ada.id), { on: 'yes' })).status).toBe(400);
    watcher.close();
    await until('the watch to end', async () => ((await call('GET', apiPaths.session(ada.id))).json as SessionInfo).event?.watched === false);

    const nobody = new WebSocket(watchUrl(2), { headers: { origin: playground.url } });
    const closed = await new Promise<number>((resolve) => nobody.once('close', (code) => resolve(code)));
    expect(closed).toBe(4404);
  });

  it('two learners joining at once for the last seat: one gets it, the other is told the class is full', async () => {
    const { playground } = await start();
    const event = (await callApi(playground.url, 'POST', '/api/events', { workshop: 'docker-101', seats: 1 })).json as EventCreated;
    const both = await Promise.all(['Ada', 'Grace'].map((name) => callApi(playground.url, 'POST', `/api/events/${event.code}/learners`, { name })));
    expect(both.map((answer) => answer.status).sort()).toEqual([201, 409]);
    // One session: the learner's (a seat still starting when they joined is not kept beside it).
    await until(() => playground.sessions.list().length === 1);
  });

  it('keeps at most MAX_CLASSES classes: one more is refused in words', async () => {
    const { playground } = await start();
    for (let i = 0; i < MAX_CLASSES; i += 1) await playground.events.create({ workshop: 'docker-101' });
    const refused = await callApi(playground.url, 'POST', '/api/events', { workshop: 'docker-101' });
    expect([refused.status, refused.json.error.code]).toEqual([503, 'at_capacity']);
    expect(refused.json.error.message).toContain(`already keeps ${MAX_CLASSES} classes`);
  }, 60_000);

  it('refuses unknown codes and keys, bad settings, and joining before the start or after the end, in words', async () => {
    const { playground, advance } = await start();
    const call = (method: string, url: string, body?: unknown) => callApi(playground.url, method, url, body);
    expect((await call('GET', '/api/events/nosuchcd')).json.error.code).toBe('event_not_found');
    expect((await call('GET', '/api/trainer/nosuchkey')).status).toBe(404);
    expect((await call('POST', '/api/events', { workshop: 'nope' })).json.error.message).toContain('"workshop" must be the name of an installed workshop');
    expect((await call('POST', '/api/events', { workshop: 'docker-101', seats: 0 })).status).toBe(400);
    const later = (await call('POST', '/api/events', { workshop: 'docker-101', startsAt: '2026-12-03T13:00:00Z', minutes: 30 })).json as EventCreated;
    const early = await call('POST', `/api/events/${later.code}/learners`, { name: 'Early' });
    expect([early.status, early.json.error.code]).toEqual([409, 'event_closed']);
    expect(early.json.error.message).toBe('This class opens at 2026-12-03T13:00:00.000Z: come back then.');
    advance(90 * 60_000);
    expect((await call('POST', `/api/events/${later.code}/learners`, { name: 'Late' })).json.error.message).toBe('This class ended at 2026-12-03T13:30:00.000Z.');
  });

  it('a restart keeps the class, its learners and its messages', async () => {
    const fake = await startFakePlayground({ MAX_SESSIONS_PER_CLIENT: '0' });
    running.push(fake);
    const call = (method: string, url: string, body?: unknown) => callApi(fake.playground.url, method, url, body);
    const event = (await call('POST', '/api/events', { workshop: 'docker-101', seats: 2 })).json as EventCreated;
    await call('POST', `/api/events/${event.code}/learners`, { name: 'Ada' });
    await call('POST', `/api/trainer/${event.trainerKey}/messages`, { text: 'Welcome' });
    const reopened = await fake.reopen();
    const cockpit = (await callApi(reopened.url, 'GET', `/api/trainer/${event.trainerKey}`)).json as Cockpit;
    expect(cockpit.event.messages.map((message) => message.text)).toEqual(['Welcome']);
    expect(cockpit.learners.map((row) => row.name)).toEqual(['Ada']);
  });

  it('a class\'s seats are started before it opens, and a learner joining takes one: no wait, and no "full"', async () => {
    const { playground, advance } = await start({ MAX_SESSIONS: '3' });
    const call = (method: string, url: string, body?: unknown) => callApi(playground.url, method, url, body);
    // Opens in 30 minutes: nothing started yet. 10 minutes before, its 2 seats are.
    const opensAt = new Date(Date.parse('2026-12-03T12:30:00Z')).toISOString();
    const event = (await call('POST', '/api/events', { workshop: 'docker-101', seats: 2, startsAt: opensAt })).json as EventCreated;
    expect(playground.events.readySeats(event.code)).toBe(0);
    advance(21 * 60_000);
    await playground.events.prepareSeatsNow();
    await until(() => playground.events.readySeats(event.code) === 2);
    const prepared = new Set(playground.sessions.list().map((session) => session.key));
    expect(prepared.size).toBe(2);

    // The room is the class's: a visitor gets the last session, then the playground is full for the next.
    expect((await call('POST', apiPaths.sessions)).status).toBe(201);
    expect((await call('POST', apiPaths.sessions)).status).toBe(503);
    advance(10 * 60_000);
    for (const name of ['Ada', 'Grace']) {
      const joined = await call('POST', `/api/events/${event.code}/learners`, { name });
      expect(joined.status).toBe(201);
      expect(prepared.has(sessionKey((joined.json as SessionInfo).id))).toBe(true);
      expect((joined.json as SessionInfo).workshop).toMatchObject({ name: 'docker-101' });
    }
    expect(playground.events.readySeats(event.code)).toBe(0);
  });

  it('the seats nobody took end with the class (by the trainer or at its end), and the room is free again', async () => {
    const { playground, advance } = await start();
    const call = (method: string, url: string, body?: unknown) => callApi(playground.url, method, url, body);
    const ended = (await call('POST', '/api/events', { workshop: 'docker-101', seats: 3 })).json as EventCreated;
    const later = (await call('POST', '/api/events', { workshop: 'docker-101', seats: 2, minutes: 10 })).json as EventCreated;
    await until(() => playground.events.readySeats(ended.code) === 3 && playground.events.readySeats(later.code) === 2);
    await call('POST', `/api/events/${ended.code}/learners`, { name: 'Ada' });
    expect(playground.sessions.list()).toHaveLength(5);

    expect((await call('POST', `/api/trainer/${ended.trainerKey}/end`)).json).toEqual({ ended: 1 });
    expect(playground.events.readySeats(ended.code)).toBe(0);
    expect(playground.sessions.list()).toHaveLength(2);
    advance(11 * 60_000);
    await playground.events.prepareSeatsNow();
    expect(playground.events.readySeats(later.code)).toBe(0);
    expect(playground.sessions.list()).toHaveLength(0);
  });
});

/** Polls `check` (every 10 ms, 5 s at most). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}
