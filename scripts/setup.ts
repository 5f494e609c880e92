/**
 * `npx tsx scripts/setup.ts`: prepares this host for the playground (Docker engine, images, the
 * registry mirror). Idempotent: a second run only checks. Exits non-zero when a step fails.
 */
import { runSetup } from './setup/run-setup';
import { errorMessage, SetupError } from './setup/errors';
import { StepFailedError } from './setup/reporter';

try {
  await runSetup();
} catch (err) {
  if (!(err instanceof StepFailedError)) {
    process.stderr.write(`[setup] failed: ${errorMessage(err)}\n`);
    if (err instanceof SetupError) for (const l of err.tail) process.stderr.write(`    | ${l}\n`);
    else if (err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  }
  process.exitCode = 1;
}
