import { describe, expect, it } from 'vitest';
import { convertMarkers, parseKillercodaScenario } from './killercoda-scenario';

function folder(files: Record<string, string>) {
  return async (relative: string) => files[relative];
}

const INDEX = {
  title: 'Volumes',
  description: 'Keep data',
  details: {
    intro: { text: 'intro.md' },
    steps: [
      { title: 'Make one', text: 'step1/text.md', verify: 'step1/verify.sh', background: 'step1/background.sh', foreground: 'step1/foreground.sh' },
      { text: 'step2/text.md' },
    ],
    finish: { text: 'finish.md' },
  },
  backend: { imageid: 'ubuntu' },
};

describe('Killercoda scenarios', () => {
  it('turn intro, steps and finish into steps; verify is the check, background runs detached, foreground is typed', async () => {
    const { workshop, ignored } = await parseKillercodaScenario(
      'volumes',
      folder({
        'index.json': JSON.stringify(INDEX),
        'intro.md': 'Hello',
        'step1/text.md': '`docker volume create notes`{{exec}}',
        'step1/verify.sh': '#!/bin/bash\ndocker volume inspect notes\n',
        'step1/background.sh': 'docker pull -q busybox\ntouch /tmp/ready\n',
        'step1/foreground.sh': 'echo waiting\n',
        'step2/text.md': 'Two',
        'finish.md': 'Done',
      }),
    );
    expect(ignored).toEqual([]);
    expect(workshop).toMatchObject({ name: 'volumes', title: 'Volumes', description: 'Keep data', instances: 1 });
    expect(workshop.steps.map((step) => [step.number, step.title])).toEqual([
      [1, 'Introduction'],
      [2, 'Make one'],
      [3, 'Step 2'],
      [4, 'Finish'],
    ]);
    const step = workshop.steps[1]!;
    expect(step.markdown).toBe('```sh run\ndocker volume create notes\n```');
    expect(step.check).toBe("bash -s <<'PLAYGROUND_SCENARIO_SCRIPT_END'\n#!/bin/bash\ndocker volume inspect notes\nPLAYGROUND_SCENARIO_SCRIPT_END");
    expect(step.setup).toMatch(/^\[ -e \/tmp\/playground-scenario\/step1-background\.sh \] && exit 0\n/); // once per instance
    expect(step.setup).toContain("cat > /tmp/playground-scenario/step1-background.sh <<'PLAYGROUND_SCENARIO_SCRIPT_END'\ndocker pull -q busybox\ntouch /tmp/ready\n");
    expect(step.setup).toMatch(/setsid nohup bash \/tmp\/playground-scenario\/step1-background\.sh > \/tmp\/playground-scenario\/step1-background\.log 2>&1 < \/dev\/null &$/);
    expect(step.foreground).toBe('echo waiting');
    expect(workshop.steps[0]!.check).toBeUndefined();
  });

  it('convert the code markers: exec runs, copy copies, {{}} is plain; <br> lines go', () => {
    expect(convertMarkers('<br>\n\nRun `ls -l`{{exec}} now')).toBe('Run \n\n```sh run\nls -l\n```\n\n now');
    expect(convertMarkers('```\nuname -r\npwd\n```{{exec}}')).toBe('```sh run\nuname -r\npwd\n```');
    expect(convertMarkers('```\nuname -r\n```{{execute interrupt}}')).toBe('```sh run\nuname -r\n```');
    expect(convertMarkers('`cat x`{{copy}}')).toBe('```sh\ncat x\n```');
    expect(convertMarkers('`no copy`{{}} and `plain`')).toBe('`no copy` and `plain`');
  });

  it('refuse, in words, what cannot run here: clusters, missing files, paths out of the folder, bad JSON', async () => {
    const index = (change: object) => JSON.stringify({ ...INDEX, ...change });
    const files = { 'intro.md': 'x', 'step1/text.md': 'x', 'step1/verify.sh': 'x', 'step1/background.sh': 'x', 'step1/foreground.sh': 'x', 'step2/text.md': 'x', 'finish.md': 'x' };
    await expect(parseKillercodaScenario('k8s', folder({ ...files, 'index.json': index({ backend: { imageid: 'kubernetes-kubeadm-2nodes' } }) }))).rejects.toThrow(
      /k8s\/index.json: backend "kubernetes-kubeadm-2nodes" is not supported: .*not Kubernetes clusters/,
    );
    await expect(parseKillercodaScenario('gap', folder({ ...files, 'step2/text.md': undefined as never, 'index.json': index({}) }))).rejects.toThrow('gap/step2/text.md is missing (step2\'s "text")');
    await expect(parseKillercodaScenario('out', folder({ ...files, 'index.json': index({ details: { steps: [{ text: '../../etc/passwd' }] } }) }))).rejects.toThrow(/step1's "text" must be a file of the scenario's folder/);
    await expect(parseKillercodaScenario('bad', folder({ 'index.json': '{ nope' }))).rejects.toThrow(/bad\/index.json: not valid JSON/);
    await expect(parseKillercodaScenario('untitled', folder({ 'index.json': '{}' }))).rejects.toThrow(/"title" is required/);
    await expect(parseKillercodaScenario('empty', folder({ 'index.json': '{"title":"t","details":{}}' }))).rejects.toThrow(/no intro, steps or finish/);
  });

  it('say which fields are left out', async () => {
    const { ignored } = await parseKillercodaScenario('ide', folder({ 'index.json': JSON.stringify({ title: 't', details: { intro: { text: 'i.md' }, assets: { host01: [] } }, interface: { layout: 'ide' } }), 'i.md': 'x' }));
    expect(ignored).toEqual([expect.stringContaining('"details.assets"'), expect.stringContaining('"interface"')]);
  });
});
