import type Dockerode from 'dockerode';
import { MIRROR_IMAGES, REGISTRY_IMAGE, type MirrorImageDefinition } from '../../server/src/sandbox/image-definitions';
import { mirrorImageLocalRef, mirrorPushRef, builtImageHash, registryImageRef } from '../../server/src/sandbox/image-refs';
import { DEFINITION_HASH_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, managedLabels, REGISTRY_MIRROR_ROLE, REGISTRY_WRITER_ROLE } from '../../server/src/sandbox/labels';
import { REGISTRY_CONTAINER_NAME, REGISTRY_HOST_ADDRESS, REGISTRY_NETWORK_ALIAS, REGISTRY_PORT, REGISTRY_STORAGE_PATH, REGISTRY_VOLUME_NAME, REGISTRY_WRITABLE_CONFIG, REGISTRY_WRITER_CONTAINER_NAME, REGISTRY_WRITER_HOST_PORT } from '../../server/src/sandbox/registry-names';
import { containerLogTail } from '../../server/src/docker/docker-log';
import { ensureHostContainer, ensureVolume, inspectIfExists } from '../../server/src/docker/host-container';
import { forwardingDifference, NO_FORWARDING_SYSCTLS } from '../../server/src/docker/no-forwarding';
import { splitRef } from './base-images';
import { followStream, imageExists } from './docker-stream';
import { errorMessage, SetupError } from './errors';
import { httpGet } from './http-get';
import type { StepProgress, StepResult } from './reporter';

const READY_TIMEOUT_MS = 30_000;
const PROGRESS_INTERVAL_MS = 5000;

/**
 * Makes sure the mirror container `playground-registry` runs the current registry image: creates
 * it (and its volume) when missing, recreates it when its image tag changed (reconnecting it to the
 * networks it was on, with the `registry-mirror` alias), starts it when stopped, and waits until it
 * answers on 127.0.0.1:5000.
 */
export async function ensureRegistryContainer(docker: Dockerode, repoRoot: string, progress: StepProgress): Promise<StepResult> {
  const image = registryImageRef(repoRoot);
  if (!(await imageExists(docker, image))) throw new SetupError(`registry image ${image} is missing (its step should have made it)`);

  const createdVolume = await ensureVolume(docker, REGISTRY_VOLUME_NAME, managedLabels(REGISTRY_MIRROR_ROLE));
  if (createdVolume) progress.line(`created volume ${REGISTRY_VOLUME_NAME}`);

  const existing = await inspectIfExists(docker, REGISTRY_CONTAINER_NAME);
  if (existing && existing.Config.Labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
    throw new SetupError(
      `A container named ${REGISTRY_CONTAINER_NAME} exists but was not made by this set-up (it lacks the ${MANAGED_BY_LABEL} label). Remove or rename it, then run the set-up again.`,
    );
  }
  const { id, changed } = await ensureHostContainer(docker, {
    options: {
      name: REGISTRY_CONTAINER_NAME,
      Image: image,
      Labels: managedLabels(REGISTRY_MIRROR_ROLE, { [DEFINITION_HASH_LABEL]: builtImageHash(repoRoot, REGISTRY_IMAGE) }),
      ExposedPorts: { [`${REGISTRY_PORT}/tcp`]: {} },
      HostConfig: registryHostConfig(REGISTRY_PORT, { RestartPolicy: { Name: 'unless-stopped' } }),
    },
    outdated: (info) => (info.Config.Image === image ? forwardingDifference(info) : `its image changed (${info.Config.Image} -> ${image})`),
    networkAlias: REGISTRY_NETWORK_ALIAS,
    note: (text) => progress.line(text),
  });
  await waitForRegistry(REGISTRY_PORT, docker, id);
  return createdVolume || changed ? 'done' : 'up to date';
}

/** HostConfig shared by the mirror and the writer: hardened, storage on the shared volume. */
function registryHostConfig(hostPort: number, extra: Partial<Dockerode.HostConfig>): Dockerode.HostConfig {
  return {
    // Published on loopback only: the host's set-up step talks to it; sandboxes reach the mirror
    // over their session network (the server connects it there with the alias registry-mirror).
    PortBindings: { [`${REGISTRY_PORT}/tcp`]: [{ HostIp: REGISTRY_HOST_ADDRESS, HostPort: String(hostPort) }] },
    Mounts: [{ Type: 'volume', Source: REGISTRY_VOLUME_NAME, Target: REGISTRY_STORAGE_PATH }],
    // The registry runs as an unprivileged user on port 5000 and writes only to its volume.
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    ReadonlyRootfs: true,
    Tmpfs: { '/tmp': 'rw,noexec,nosuid,size=64m' },
    // It joins every session network: it must not route a sandbox's packets anywhere else.
    Sysctls: { ...NO_FORWARDING_SYSCTLS },
    LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } },
    ...extra,
  };
}

/** Waits (bounded) until GET /v2/ answers 200 on 127.0.0.1:<port>. */
async function waitForRegistry(port: number, docker: Dockerode, containerId: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await httpGet(`http://${REGISTRY_HOST_ADDRESS}:${port}/v2/`, {}, 2000);
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = errorMessage(err);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new SetupError(
    `the registry on ${REGISTRY_HOST_ADDRESS}:${port} did not answer within ${READY_TIMEOUT_MS / 1000} s (${last})`,
    await containerLogTail(docker, containerId),
  );
}

/**
 * The image ID (config digest) the registry on 127.0.0.1:<port> holds for repository:tag, or
 * undefined when it has none. For images made on this host, that is the local image ID.
 */
export async function registryConfigDigest(port: number, repository: string, tag: string): Promise<string | undefined> {
  const res = await httpGet(
    `http://${REGISTRY_HOST_ADDRESS}:${port}/v2/${repository}/manifests/${tag}`,
    { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    5000,
  );
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new SetupError(`the registry answered HTTP ${res.status} for ${repository}:${tag}`);
  const manifest = JSON.parse(res.body) as { config?: { digest?: string } };
  return manifest.config?.digest;
}

interface PushItem {
  def: MirrorImageDefinition;
  tag: string;
  localRef: string;
  localId: string;
}

/**
 * Makes the mirror serve every MIRROR_IMAGES tag as the current local image. Tags the mirror
 * already has (same image ID) are skipped; the rest are pushed through a short-lived writable
 * registry container on 127.0.0.1:5001 (same image, same volume), which is removed afterwards.
 */
export async function ensureMirrorPushed(docker: Dockerode, repoRoot: string, progress: StepProgress): Promise<StepResult> {
  const stale: PushItem[] = [];
  for (const def of MIRROR_IMAGES) {
    const localRef = mirrorImageLocalRef(repoRoot, def);
    if (!(await imageExists(docker, localRef))) throw new SetupError(`mirror image ${localRef} is missing (its step should have made it)`);
    const localId = (await docker.getImage(localRef).inspect()).Id;
    for (const tag of def.tags) {
      const remote = await registryConfigDigest(REGISTRY_PORT, def.repository, tag);
      if (remote !== localId) stale.push({ def, tag, localRef, localId });
    }
  }
  if (stale.length === 0) return 'up to date';

  const writer = await startWriter(docker, repoRoot, progress);
  try {
    for (const item of stale) await pushOne(docker, item, progress);
  } finally {
    await docker.getContainer(writer).remove({ force: true }).catch(() => undefined);
  }

  for (const item of stale) {
    const served = await registryConfigDigest(REGISTRY_PORT, item.def.repository, item.tag);
    if (served !== item.localId) {
      throw new SetupError(`after the push the mirror serves ${item.def.repository}:${item.tag} as ${served ?? 'nothing'}, not ${item.localId}`);
    }
  }
  return 'done';
}

async function startWriter(docker: Dockerode, repoRoot: string, progress: StepProgress): Promise<string> {
  const old = await inspectIfExists(docker, REGISTRY_WRITER_CONTAINER_NAME);
  if (old) await docker.getContainer(old.Id).remove({ force: true });
  const c = await docker.createContainer({
    name: REGISTRY_WRITER_CONTAINER_NAME,
    Image: registryImageRef(repoRoot),
    Cmd: [REGISTRY_WRITABLE_CONFIG],
    Labels: managedLabels(REGISTRY_WRITER_ROLE),
    ExposedPorts: { [`${REGISTRY_PORT}/tcp`]: {} },
    HostConfig: registryHostConfig(REGISTRY_WRITER_HOST_PORT, {}),
  });
  await c.start();
  progress.line(`started the writable registry ${REGISTRY_WRITER_CONTAINER_NAME} on ${REGISTRY_HOST_ADDRESS}:${REGISTRY_WRITER_HOST_PORT}`);
  try {
    await waitForRegistry(REGISTRY_WRITER_HOST_PORT, docker, c.id);
  } catch (err) {
    await c.remove({ force: true }).catch(() => undefined);
    throw err;
  }
  return c.id;
}

async function pushOne(docker: Dockerode, item: PushItem, progress: StepProgress): Promise<void> {
  const pushRef = mirrorPushRef(item.def, item.tag);
  const [repo, tag] = splitRef(pushRef);
  await docker.getImage(item.localRef).tag({ repo, tag });
  try {
    const layers = new Map<string, { current: number; total: number }>();
    let lastPrint = Date.now();
    let digest: string | undefined;
    const stream = (await docker.getImage(repo).push({
      tag,
      authconfig: { serveraddress: `${REGISTRY_HOST_ADDRESS}:${REGISTRY_WRITER_HOST_PORT}` },
    })) as NodeJS.ReadableStream;
    await followStream(docker, stream, `pushing ${pushRef}`, {
      onMessage: (msg) => {
        if (msg.aux?.Digest) digest = msg.aux.Digest;
        if (msg.id && msg.status === 'Pushing' && msg.progressDetail?.total) {
          layers.set(msg.id, { current: msg.progressDetail.current ?? 0, total: msg.progressDetail.total });
          if (Date.now() - lastPrint >= PROGRESS_INTERVAL_MS) {
            lastPrint = Date.now();
            const cur = [...layers.values()].reduce((a, l) => a + l.current, 0);
            const tot = [...layers.values()].reduce((a, l) => a + l.total, 0);
            progress.line(`pushing ${pushRef}: ${mb(cur)} of ${mb(tot)}`);
          }
        }
      },
    });
    progress.line(`pushed ${item.def.repository}:${item.tag}${digest ? ` (${digest.slice(0, 19)}...)` : ''}`);
  } finally {
    // The push tag was only a means to address the writer.
    await docker.getImage(pushRef).remove({ noprune: true }).catch(() => undefined);
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}
