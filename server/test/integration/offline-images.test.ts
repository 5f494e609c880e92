import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../src/main';
import { createSession, execIn, startTestPlayground } from './harness';

// The stand-ins the mirror serves with no Docker Hub: they behave as the official images do where
// workshops rely on it.
describe('offline images', () => {
  let playground: Playground;
  let id: string;
  beforeAll(async () => {
    playground = await startTestPlayground();
    id = (await createSession(playground)).id;
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('nginx serves its welcome page on port 80, published', async () => {
    const out = await execIn(playground, id, 'docker run -d -p 8080:80 nginx >/dev/null && sleep 1 && wget -qO- http://localhost:8080');
    expect(out.stdout).toContain('Welcome to nginx!');
  });

  it('python:3 runs python and its http.server', async () => {
    const out = await execIn(
      playground,
      id,
      'docker run --rm python:3 python -c "import sys; print(sys.version_info[0])" && docker run -d -p 8000:8000 python:3 python -m http.server 8000 >/dev/null && sleep 2 && wget -qO- http://localhost:8000 | grep -q "Directory listing" && echo listing',
    );
    expect(out.stdout.trim().split('\n')).toEqual(['3', 'listing']);
  });

  it('redis answers PING on 6379 from another container', async () => {
    const out = await execIn(
      playground,
      id,
      'docker network create rnet >/dev/null && docker run -d --name cache --network rnet redis >/dev/null && sleep 1 && docker run --rm --network rnet redis redis-cli -h cache ping',
    );
    expect(out.stdout.trim()).toBe('PONG');
    // docker exec into a container that runs as another user (redis) works.
    expect((await execIn(playground, id, 'docker exec cache redis-cli ping')).stdout.trim()).toBe('PONG');
  });
});

describe('the postgres stand-in', () => {
  let playground: Playground;
  let id: string;
  beforeAll(async () => {
    playground = await startTestPlayground();
    id = (await createSession(playground)).id;
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('requires a password, runs init scripts once, and keeps its data in a volume across containers', async () => {
    const refused = await execIn(playground, id, 'docker run --rm postgres 2>&1; echo "exit=$?"');
    expect(refused.stdout).toMatch(/Set POSTGRES_PASSWORD/);
    expect(refused.stdout).toMatch(/exit=1/);

    // A client container asks over the network, retrying while the server starts (bounded).
    const ask = (container: string, sql: string) =>
      `for i in $(seq 1 40); do out=$(docker run --rm --link ${container}:db -e PGPASSWORD=secret postgres psql -h db -U postgres -d shop -tAc "${sql}" 2>/dev/null) && { echo "$out"; exit 0; }; sleep 1; done; exit 1`;
    const setup = await execIn(
      playground,
      id,
      [
        'mkdir -p /root/init && echo "CREATE TABLE visits (n int); INSERT INTO visits VALUES (42);" > /root/init/init.sql',
        'docker run -d --name pg1 -e POSTGRES_PASSWORD=secret -e POSTGRES_DB=shop -v pgdata:/var/lib/postgresql/data -v /root/init:/docker-entrypoint-initdb.d postgres >/dev/null',
        'echo started',
      ].join(' && '),
    );
    expect(setup.stdout.trim()).toBe('started');
    expect((await execIn(playground, id, ask('pg1', 'SELECT n FROM visits'), 120_000)).stdout.trim()).toBe('42');

    await execIn(playground, id, 'docker rm -f pg1 >/dev/null && docker run -d --name pg2 -e POSTGRES_PASSWORD=secret -v pgdata:/var/lib/postgresql/data -v /root/init:/docker-entrypoint-initdb.d postgres >/dev/null');
    // The row is still there, once: the init script did not run again on the kept data.
    expect((await execIn(playground, id, ask('pg2', 'SELECT count(*) FROM visits'), 120_000)).stdout.trim()).toBe('1');
    expect((await execIn(playground, id, 'docker logs pg2 2>&1 | grep -c "docker-entrypoint-initdb.d" || true')).stdout.trim()).toBe('0');
  });
});
