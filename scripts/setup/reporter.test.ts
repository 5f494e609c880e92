import { describe, expect, it } from 'vitest';
import { SetupError } from './errors';
import { Reporter, StepFailedError } from './reporter';

function capture() {
  let text = '';
  return { out: { write: (s: string) => (text += s) }, text: () => text };
}

describe('the step reporter', () => {
  it('puts a quiet step on one line', async () => {
    const c = capture();
    let t = 0;
    const r = new Reporter(c.out, 2, () => t);
    await r.step('Building x', async () => 'up to date');
    await r.step('Building y', async () => {
      t = 41_234;
      return 'done';
    });
    expect(c.text()).toBe('[setup 1/2] Building x ... up to date\n[setup 2/2] Building y ... done in 41.2s\n');
  });

  it('closes a step with sub-progress on its own line', async () => {
    const c = capture();
    const r = new Reporter(c.out, 1, () => 0);
    await r.step('Building z', async (p) => {
      p.line('Step 1/2 : FROM base');
      return 'done';
    });
    expect(c.text()).toBe('[setup 1/1] Building z ... \n    Step 1/2 : FROM base\n[setup 1/1] done in 0.0s\n');
  });

  it('prints what failed with the output tail and rethrows', async () => {
    const c = capture();
    const r = new Reporter(c.out, 1, () => 0);
    await expect(
      r.step('Building w', async () => {
        throw new SetupError('build failed', ['E: Unable to locate package nope']);
      }),
    ).rejects.toBeInstanceOf(StepFailedError);
    expect(c.text()).toContain('[setup 1/1] FAILED after 0.0s: Building w');
    expect(c.text()).toContain('    | E: Unable to locate package nope');
  });
});
