import { existsSync } from 'node:fs';
import { aptInstall } from './apt';
import { SetupError } from './errors';
import { isDebianLike, isRoot, readOsRelease } from './os-release';
import { Reporter, type Output } from './reporter';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * For the browser tests only: makes sure Debian's chromium (/usr/bin/chromium, which drives
 * Playwright through launchOptions.executablePath) is installed, installing it with apt-get when we
 * are root on Debian/Ubuntu. Returns its path. Idempotent; quick when it is already there.
 */
export async function ensureChromium(options: { output?: Output } = {}): Promise<string> {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const os = await readOsRelease();
  if (!isRoot() || !os || !isDebianLike(os)) {
    throw new SetupError(
      `${CHROMIUM_PATH} is missing. Install Chromium (Debian/Ubuntu: \`sudo apt-get install -y chromium\`) and run the tests again.`,
    );
  }
  const reporter = new Reporter(options.output ?? process.stdout, 1);
  await reporter.step(`Installing chromium for the browser tests (${CHROMIUM_PATH})`, async (progress) => {
    await aptInstall(['chromium'], progress);
    if (!existsSync(CHROMIUM_PATH)) throw new SetupError(`chromium was installed but ${CHROMIUM_PATH} does not exist`);
    return 'done';
  });
  return CHROMIUM_PATH;
}
