import { classifyApt } from './condense';
import { run } from './proc';
import type { StepProgress } from './reporter';

const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C.UTF-8' };

/**
 * `apt-get update` then `apt-get install -y <packages>` (with Debian's default of installing
 * recommended packages unless told otherwise), as root, with condensed progress.
 * Bounded: 15 minutes each.
 */
export async function aptInstall(
  packages: readonly string[],
  progress: StepProgress,
  opts: { noRecommends?: boolean } = {},
): Promise<void> {
  const feed = progress.feed(classifyApt);
  progress.line(`apt-get update`);
  await run('apt-get', ['update'], { env: APT_ENV, onLine: feed, timeoutMs: 15 * 60_000 });
  progress.line(`apt-get install -y ${packages.join(' ')}`);
  const extra = opts.noRecommends ? ['--no-install-recommends'] : [];
  await run('apt-get', ['install', '-y', ...extra, ...packages], {
    env: APT_ENV,
    onLine: feed,
    timeoutMs: 15 * 60_000,
  });
}
