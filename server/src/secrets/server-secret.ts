import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where the server keeps its secret unless SECRET_FILE says otherwise (root-only, like the disks). */
export const DEFAULT_SECRET_FILE = '/var/lib/docker-playground/secret';

const SECRET_BYTES = 32;

/**
 * The server's secret: random bytes made once and kept in a file readable by root only, so that
 * what is derived from it (session registry passwords) stays the same across restarts, for
 * adopted sessions too, and cannot be computed from anything a visitor sees (such as the session
 * key in every preview link). Two servers starting at once agree: the file is created exclusively,
 * and the loser reads the winner's.
 */
export async function loadOrCreateServerSecret(file: string): Promise<Buffer> {
  const existing = await readSecret(file);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, randomBytes(SECRET_BYTES).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create the server secret ${file} (set SECRET_FILE): ${(error as Error).message}`);
  }
  const made = await readSecret(file);
  if (!made) throw new Error(`the server secret ${file} is empty or unreadable`);
  return made;
}

async function readSecret(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the server secret ${file} (set SECRET_FILE): ${(error as Error).message}`);
  }
  if (!/^[0-9a-f]{64,}$/.test(text)) {
    if (text === '') return undefined; // a competitor created it and has not written yet
    throw new Error(`the server secret ${file} is not what this server wrote (64 or more hex digits): remove it to make a new one`);
  }
  return Buffer.from(text, 'hex');
}
