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
  });
});
