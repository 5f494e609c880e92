/**
 * One cluster command at a time: two `up`s at once would both see "nothing there" and collide on
 * every name. The lock file holds the owner's pid; one whose owner is gone is taken over.
 */
import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { SetupError } from '../setup/errors';
import { LOCK_PATH } from './cluster-plan';
import { processAlive } from './commands';


/** Takes the lock or throws naming who holds it; returns the release function. */
export function takeLock(path = LOCK_PATH): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) {
        throw new SetupError(`another cluster command (pid ${owner}) is running; ${path} is its lock`);
      }
      unlinkSync(path);
    }
  }
  throw new SetupError(`cannot take the lock ${path}`);
}
