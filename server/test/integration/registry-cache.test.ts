import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_DISK_DIR, InstanceDisks } from '../../src/sandbox/instance-disks';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followStream } from '../../../scripts/setup/docker-stream';
import type { Playground } from '../../src/main';
import { loadConfig } from '../../src/config';
import { MIRROR_IMAGES } from '../../src/sandbox/image-definitions';
import { mirrorImageLocalRef, registryImageRef } from '../../src/sandbox/image-refs';
import { managedLabels } from '../../src/sandbox/labels';
import { REGISTRY_WRITABLE_CONFIG } from '../../src/sandbox/registry-names';
import { registryCacheNames } from '../../src/docker/registry-cache';
import { sessionKey } from '../../src/sessions/session-key';
import { resourceNames } from '../../src/sandbox/labels';
import { api, createSession, docker, execIn, labelledResources, startTestPlayground, waitFor } from './harness';
import { addressOn, connects, LAN_ADDRESS, LAN_PORT, LanStandIn, routeLanVia } from './lan-stand-in';

// The pull-through cache, with an upstream of our own on this machine standing in for Docker Hub
// (tests never reach beyond it): a writable registry container holding an image the mirror lacks
// (cache-demo) and a busybox of its own that must never win over the mirror's.

const repoRoot = loadConfig({}).repoRoot;
const suffix = randomBytes(4).toString('hex');
const upstreamName = `playground-test-upstream-${suffix}`;

/** Pushes a local image to the upstream registry through the host engine (127.0.0.1 is insecure by default). */
async function pushToUpstream(localRef: string, hostPort: string, repository: string, tag: string): Promise<void> {
  const repo = `127.0.0.1:${hostPort}/${repository}`;
  await docker.getImage(localRef).tag({ repo, tag });
  const stream = (await docker.getImage(repo).push({ tag, authconfig: { serveraddress: `127.0.0.1:${hostPort}` } })) as NodeJS.ReadableStream;
  await followStream(docker, stream, `pushing ${repo}:${tag}`);
  await docker.getImage(`${repo}:${tag}`).remove({ noprune: true });
}

/** A copy of the mirror's busybox with /marker added: what the upstream serves as library/busybox. */
async function markedBusybox(busybox: string): Promise<string> {
  const container = await docker.createContainer({ Image: busybox, Cmd: ['sh', '-c', 'echo upstream > /marker'], Labels: managedLabels('test') });
  try {
    await container.start();
    await container.wait();
    const image = await container.commit({ repo: `playground-test-marked-${suffix}`, tag: 'latest' });
    return (image as { Id: string }).Id;
  } finally {
    await container.remove({ force: true });
  }
}

describe('the pull-through cache', () => {
  let playground: Playground;
  /** Holds the upstream's network namespace, so a stopped upstream refuses at once (as a down host would). */
  let upstreamAddress: Docker.Container;
  let upstream: Docker.Container;
  let upstreamUrl: string;
  let markedImage: string | undefined;

  beforeAll(async () => {
    const busybox = mirrorImageLocalRef(repoRoot, MIRROR_IMAGES.find((image) => image.repository === 'library/busybox')!);
    upstreamAddress = await docker.createContainer({
      name: `${upstreamName}-address`,
      Image: busybox,
      Cmd: ['sleep', '3600'],
      Labels: managedLabels('test-upstream'),
      ExposedPorts: { '5000/tcp': {} },
      HostConfig: { PortBindings: { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    await upstreamAddress.start();
    upstream = await docker.createContainer({
      name: upstreamName,
      Image: registryImageRef(repoRoot),
      Cmd: [REGISTRY_WRITABLE_CONFIG],
      Labels: managedLabels('test-upstream'),
      HostConfig: { NetworkMode: `container:${upstreamAddress.id}` },
    });
    await upstream.start();
    const info = await upstreamAddress.inspect();
    const hostPort = info.NetworkSettings.Ports['5000/tcp']![0]!.HostPort;
    // Each try bounded: a connection the proxy accepts before the registry listens must not hang the wait.
    await waitFor('the upstream registry', async () => (await fetch(`http://127.0.0.1:${hostPort}/v2/`, { signal: AbortSignal.timeout(2_000) })).ok);

    await pushToUpstream(busybox, hostPort, 'library/cache-demo', '1');
    // Stands for an account's private repository (the upstream here has no accounts).
    await pushToUpstream(busybox, hostPort, 'someone/private', '1');
    markedImage = await markedBusybox(busybox);
    await pushToUpstream(markedImage, hostPort, 'library/busybox', 'latest');

    // The cache reaches the upstream on the engine's default bridge, as it would reach Docker Hub.
    upstreamUrl = `http://${info.NetworkSettings.Networks.bridge!.IPAddress}:5000`;
    playground = await startTestPlayground({ REGISTRY_CACHE: upstreamUrl });
  });

  afterAll(async () => {
    await playground?.close({ removeSessions: true });
    await upstream?.remove({ force: true, v: true }).catch(() => undefined);
    await upstreamAddress?.remove({ force: true }).catch(() => undefined);
    if (upstreamUrl) {
      const names = registryCacheNames(upstreamUrl);
      await docker.getContainer(names.container).remove({ force: true }).catch(() => undefined);
      await docker.getVolume(names.volume).remove().catch(() => undefined);
      await new InstanceDisks(DEFAULT_DISK_DIR, 0).release(names.volume);
    }
    if (markedImage) await docker.getImage(markedImage).remove({ force: true }).catch(() => undefined);
  });

  it('is the second mirror of every sandbox: what the mirror lacks comes through it, what the mirror has does not', async () => {
    const session = await createSession(playground);
    const mirrors = await execIn(playground, session.id, `docker info --format '{{json .RegistryConfig.Mirrors}}'`);
    expect(JSON.parse(mirrors.stdout)).toEqual(['http://registry-mirror:5000/', 'http://registry-cache:5000/']);

    const cached = await execIn(playground, session.id, 'docker pull -q cache-demo:1 && docker run --rm cache-demo:1 echo served-by-the-cache');
    expect(cached.stderr).toBe('');
    expect(cached.stdout).toContain('served-by-the-cache');

    // The upstream's busybox carries /marker; the mirror's does not, and the mirror is asked first.
    const mirrored = await execIn(playground, session.id, `docker run --rm busybox sh -c 'test -e /marker && echo from-upstream || echo from-mirror'`);
    expect(mirrored.stdout.trim()).toBe('from-mirror');
  });

  it('refuses pushes and deletes from sandboxes, so no session can change what another pulls', async () => {
    const session = await createSession(playground);
    const push = await execIn(
      playground,
      session.id,
      'docker pull -q busybox >/dev/null && docker tag busybox registry-cache:5000/library/cache-demo:1 && docker push registry-cache:5000/library/cache-demo:1 2>&1; echo "exit=$?"',
    );
    expect(push.stdout).toMatch(/exit=1/);
    expect(push.stdout).toMatch(/unsupported|denied|not (allowed|supported)/i);

    const manifest = "http://registry-cache:5000/v2/library/cache-demo/manifests";
    const accept = "-H 'Accept: application/vnd.docker.distribution.manifest.v2+json'";
    const remove = await execIn(
      playground,
      session.id,
      `digest=$(curl -fsI ${accept} ${manifest}/1 | tr -d '\\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p'); ` +
        `echo "digest=$digest"; curl -s -o /dev/null -w 'status=%{http_code}\\n' -X DELETE ${manifest}/$digest`,
    );
    expect(remove.stdout).toMatch(/digest=sha256:[0-9a-f]{64}/);
    const status = Number(/status=(\d+)/.exec(remove.stdout)?.[1]);
    expect(status).toBeGreaterThanOrEqual(400);
  });

  it('lists nothing, takes no writes, and keeps what it fetched on a size-limited disk of its own', async () => {
    const session = await createSession(playground);
    const answers = await execIn(
      playground,
      session.id,
      [
        `curl -s -w ' status=%{http_code}\n' http://registry-cache:5000/v2/_catalog`,
        `curl -s -o /dev/null -w 'upload=%{http_code}\n' -X POST http://registry-cache:5000/v2/library/cache-demo/blobs/uploads/`,
        // Without an upstream account, any repository the upstream serves anonymously comes through.
        `curl -s -o /dev/null -w 'other=%{http_code}\n' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' http://registry-cache:5000/v2/someone/private/manifests/1`,
      ].join('; '),
    );
    expect(answers.stdout).toMatch(/does not list its repositories.* status=404/);
    expect(answers.stdout).toContain('upload=403');
    expect(answers.stdout).toContain('other=200');

    const volume = await docker.getVolume(registryCacheNames(upstreamUrl).volume).inspect();
    expect(volume.Options?.device).toMatch(/^\/dev\/loop\d+$/);
    const image = await stat(path.join(DEFAULT_DISK_DIR, `${volume.Name}.img`));
    expect(image.size).toBe(20 * 1024 ** 3);
  });

  it('does not route: what a sandbox sends through it reaches no LAN stand-in, even with the firewall off', async () => {
    const lan = new LanStandIn();
    await lan.start();
    const open = await startTestPlayground({ REGISTRY_CACHE: upstreamUrl, EGRESS_POLICY: 'off' });
    try {
      const { id } = await createSession(open);
      // With the firewall off the stand-in is reachable directly: the path is real.
      expect(await connects(open, id, LAN_ADDRESS, LAN_PORT)).toBe(true);
      const reached = lan.connections;
      await routeLanVia(open, id, await addressOn(open, id, 'registry-cache'));
      expect(await connects(open, id, LAN_ADDRESS, LAN_PORT)).toBe(false);
      expect(lan.connections).toBe(reached);
    } finally {
      await open.close({ removeSessions: true });
      await lan.stop();
    }
  });

  it('is recreated when its settings change, back on the session networks it was on, its volume kept', async () => {
    const names = registryCacheNames(upstreamUrl);
    const session = await createSession(playground);
    const before = await docker.getContainer(names.container).inspect();
    // Another server with the same upstream and new credentials brings the cache up to date.
    const other = await startTestPlayground({ REGISTRY_CACHE: upstreamUrl, REGISTRY_CACHE_USERNAME: 'trainer', REGISTRY_CACHE_PASSWORD: 'not-used-here' });
    try {
      const after = await docker.getContainer(names.container).inspect();
      expect(after.Id).not.toBe(before.Id);
      expect(after.Config.Env).toContain('REGISTRY_PROXY_USERNAME=trainer');
      expect(after.Mounts.map((mount) => mount.Name)).toEqual([names.volume]);
      expect(Object.keys(after.NetworkSettings.Networks)).toContain(resourceNames.network(sessionKey(session.id)));
      const reached = await execIn(playground, session.id, 'curl -fsS -o /dev/null -w "%{http_code}" http://registry-cache:5000/v2/');
      expect(reached.stdout).toBe('200');
      // With an account, only official images: its private repositories are nobody else's.
      const accept = `-H 'Accept: application/vnd.docker.distribution.manifest.v2+json'`;
      const scoped = await execIn(
        playground,
        session.id,
        `curl -s -w ' private=%{http_code}\n' ${accept} http://registry-cache:5000/v2/someone/private/manifests/1; ` +
          `curl -s -o /dev/null -w 'official=%{http_code}\n' ${accept} http://registry-cache:5000/v2/library/cache-demo/manifests/1; ` +
          `curl -s -o /dev/null -w 'sneaky=%{http_code}\n' ${accept} 'http://registry-cache:5000/v2/library/..%2Fsomeone/private/manifests/1'`,
      );
      expect(scoped.stdout).toMatch(/official images \(library\/\.\.\.\) only.* private=403/);
      expect(scoped.stdout).toContain('official=200');
      expect(scoped.stdout).not.toContain('sneaky=200');
    } finally {
      await other.close({ removeSessions: true });
    }
  });

  // Also shows the recreated cache kept what the first one fetched: only its volume holds cache-demo now.
  it('keeps serving what it fetched once the upstream is gone, to docker pull and to docker build, in a new session', async () => {
    await upstream.stop({ t: 1 });
    const session = await createSession(playground);
    const built = await execIn(
      playground,
      session.id,
      `printf 'FROM cache-demo:1\\nRUN echo built-on-the-cache > /built\\n' | docker build -q -t demo - >/dev/null && docker run --rm demo cat /built`,
    );
    expect(built.stdout.trim()).toBe('built-on-the-cache');
    const pulled = await execIn(playground, session.id, 'docker pull cache-demo:1 2>&1; echo "exit=$?"');
    expect(pulled.stdout).toMatch(/exit=0/);

    // The cache belongs to the host, not to a session: removing the session leaves it serving.
    expect((await api(playground, 'DELETE', `/api/sessions/${session.id}`)).status).toBe(204);
    expect(await labelledResources(session.id)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    const cache = await docker.getContainer(registryCacheNames(upstreamUrl).container).inspect();
    expect(cache.State.Running).toBe(true);
  });

  it('is left out when its upstream does not answer at start: sandboxes then have the mirror alone', async () => {
    // Nothing listens on port 5001 of the upstream's address: distribution 2.8 gives up at start.
    const unreachable = upstreamUrl.replace(/:5000$/, ':5001');
    const names = registryCacheNames(unreachable);
    const other = await startTestPlayground({ REGISTRY_CACHE: unreachable });
    try {
      const session = await createSession(other);
      const mirrors = await execIn(other, session.id, `docker info --format '{{json .RegistryConfig.Mirrors}}'`);
      expect(JSON.parse(mirrors.stdout)).toEqual(['http://registry-mirror:5000/']);
      const cache = await docker.getContainer(names.container).inspect();
      expect(cache.State.Running).toBe(false);
      expect(cache.HostConfig.RestartPolicy?.Name).toBe('no');
      const network = await docker.getNetwork(resourceNames.network(sessionKey(session.id))).inspect();
      expect(Object.values(network.Containers ?? {}).map((container) => container.Name)).not.toContain(names.container);
    } finally {
      await other.close({ removeSessions: true });
      await docker.getContainer(names.container).remove({ force: true }).catch(() => undefined);
      await docker.getVolume(names.volume).remove().catch(() => undefined);
      await new InstanceDisks(DEFAULT_DISK_DIR, 0).release(names.volume);
    }
  });
});
