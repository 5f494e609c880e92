import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { type BuiltImageDefinition } from '../../server/src/sandbox/image-definitions';
import { baseImageRef, builtImageHash, builtImageRef } from '../../server/src/sandbox/image-refs';
import { DEFINITION_HASH_LABEL, managedLabels } from '../../server/src/sandbox/labels';
import { classifyBuild } from './condense';
import { followStream, imageExists } from './docker-stream';
import { SetupError } from './errors';
import type { StepProgress, StepResult } from './reporter';
import { TailBuffer } from './tail-buffer';

/**
 * Builds `<repository>:<definition hash>` from its directory unless that tag exists. The build
 * context holds exactly the files the hash covers; BASE_IMAGE is the locally made base image.
 */
export async function ensureBuiltImage(
  docker: Dockerode,
  repoRoot: string,
  def: BuiltImageDefinition,
  progress: StepProgress,
): Promise<StepResult> {
  const ref = builtImageRef(repoRoot, def);
  if (await imageExists(docker, ref)) return 'up to date';
  const base = baseImageRef(repoRoot, def.base);
  if (!(await imageExists(docker, base))) throw new SetupError(`base image ${base} is missing (its step should have made it)`);

  const tarTail = new TailBuffer(10);
  const tar = spawn('tar', ['--owner=0', '--group=0', '--numeric-owner', '-C', join(repoRoot, def.contextDir), '-c', ...def.include], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  tar.stderr.setEncoding('utf8').on('data', (d: string) => d.split('\n').filter(Boolean).forEach((l) => tarTail.push(l)));
  const tarDone = new Promise<number>((resolve, reject) => {
    tar.on('error', reject);
    tar.on('close', (code) => resolve(code ?? 1));
  });

  const stream = (await docker.buildImage(tar.stdout, {
    t: ref,
    buildargs: { BASE_IMAGE: base },
    labels: managedLabels(def.role, { [DEFINITION_HASH_LABEL]: builtImageHash(repoRoot, def) }),
    rm: true,
    forcerm: true,
    pull: false,
  })) as NodeJS.ReadableStream;
  await followStream(docker, stream, `building ${ref}`, { onLine: progress.feed(classifyBuild), tailLines: 40 });
  const code = await tarDone;
  if (code !== 0) {
    await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
    throw new SetupError(`tar of the build context ${def.contextDir} failed (exit code ${code})`, tarTail.get());
  }
  if (!(await imageExists(docker, ref))) throw new SetupError(`the build finished but ${ref} does not exist`);
  return 'done';
}
