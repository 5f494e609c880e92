// `npm start`: prepare everything (engine, images, mirror, client), then serve the playground.
import { loadConfig } from '../server/src/config';
import { startPlayground } from '../server/src/main';
import { consoleLogger } from '../server/src/log';
import { buildClientIfChanged } from './client-build';
import { DEFAULT_REPO_ROOT, runSetup } from './setup/run-setup';

async function main(): Promise<void> {
  const config = loadConfig();
  const setup = await runSetup({ repoRoot: DEFAULT_REPO_ROOT });
  await buildClientIfChanged(DEFAULT_REPO_ROOT, (line) => console.log(`[start] ${line}`));
  const playground = await startPlayground({ ...config, sandboxImage: config.sandboxImage ?? setup.sandboxImage });
  console.log(`\n  Docker Playground is ready: http://localhost:${playground.port}/\n`);
  const stop = () => {
    // Sessions stay on the engine; the next start adopts them (or removes them once expired).
    playground.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  consoleLogger.error('the playground could not start', { error: error.message });
  process.exit(1);
});
