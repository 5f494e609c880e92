// `npm test`: brings up everything the tests need (as `npm start` does), then runs every layer:
// unit tests, integration tests against the real engine, Playwright in Chromium, a quick bench run.
import { spawn } from 'node:child_process';
import { buildClientIfChanged } from './client-build';
import { ensureChromium } from './setup/chromium';
import { DEFAULT_REPO_ROOT, runSetup } from './setup/run-setup';

interface Layer {
  name: string;
  command: string[];
}

const LAYERS: Layer[] = [
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'unit', command: ['npx', 'vitest', 'run', '--project', 'unit'] },
  { name: 'integration', command: ['npx', 'vitest', 'run', '--project', 'integration'] },
  // Three engines in network namespaces, a Swarm, a node server on each and a front (docs/cluster.md).
  { name: 'cluster', command: ['npx', 'vitest', 'run', '--project', 'cluster'] },
  { name: 'e2e', command: ['npx', 'playwright', 'test'] },
  // A few iterations of every benchmark, so they never rot; figures are printed, never asserted.
  { name: 'bench', command: ['npm', 'run', '--silent', 'bench', '--', '--quick'] },
];

function run(command: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: DEFAULT_REPO_ROOT, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const layers = only.length ? LAYERS.filter((layer) => only.includes(layer.name)) : LAYERS;
  if (layers.some((layer) => ['integration', 'cluster', 'e2e', 'bench'].includes(layer.name))) {
    await runSetup({ repoRoot: DEFAULT_REPO_ROOT });
    await buildClientIfChanged(DEFAULT_REPO_ROOT, (line) => console.log(`[test] ${line}`));
  }
  if (layers.some((layer) => layer.name === 'e2e' || layer.name === 'bench')) await ensureChromium();

  const failed: string[] = [];
  for (const layer of layers) {
    const started = Date.now();
    console.log(`\n[test] ${layer.name}: ${layer.command.join(' ')}`);
    const code = await run(layer.command);
    console.log(`[test] ${layer.name} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(0)}s`);
    if (code !== 0) failed.push(layer.name);
  }
  console.log(`\n[test] layers: ${layers.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((error: Error) => {
  console.error(`[test] set-up failed: ${error.message}`);
  process.exit(1);
});
