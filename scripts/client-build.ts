import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What the built client depends on: a change to any of these rebuilds it. */
const CLIENT_INPUTS = ['client', 'server/src/protocol', 'vite.config.ts', 'package-lock.json'];
const STAMP_FILE = '.build-hash';

async function filesUnder(root: string, relative: string): Promise<string[]> {
  const full = path.join(root, relative);
  const entries = await readdir(full, { withFileTypes: true }).catch(() => null);
  if (!entries) return [relative]; // a file, or missing (hashed as such)
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name === 'node_modules') continue;
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(root, child)));
    else files.push(child);
  }
  return files;
}

/** A digest of the client's sources: paths relative to the repo and contents, never mtimes. */
export async function clientSourceHash(repoRoot: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await Promise.all(CLIENT_INPUTS.map((input) => filesUnder(repoRoot, input)))).flat().sort();
  for (const file of files) {
    hash.update(file.split(path.sep).join('/'));
    hash.update('\0');
    hash.update(await readFile(path.join(repoRoot, file)).catch(() => Buffer.from('<missing>')));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Builds the client with Vite unless dist/client was built from the same sources. */
export async function buildClientIfChanged(repoRoot: string, log: (line: string) => void): Promise<void> {
  const outDir = path.join(repoRoot, 'dist', 'client');
  const wanted = await clientSourceHash(repoRoot);
  const built = await readFile(path.join(outDir, STAMP_FILE), 'utf8').catch(() => '');
  if (built.trim() === wanted) {
    log('client up to date');
    return;
  }
  const started = Date.now();
  const { build } = await import('vite');
  await build({ root: path.join(repoRoot, 'client'), configFile: path.join(repoRoot, 'vite.config.ts'), logLevel: 'warn' });
  await writeFile(path.join(outDir, STAMP_FILE), wanted);
  log(`client built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
