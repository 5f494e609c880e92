import { describe, expect, it } from 'vitest';
import { classifyApt, classifyBuild, classifyDebootstrap, createCondenser, messageText, shorten } from './condense';

function feed(lines: string[], classify: Parameters<typeof createCondenser>[0], msPerLine = 10): string[] {
  const c = createCondenser(classify, 5000);
  return lines.flatMap((l, i) => c.push(l, i * msPerLine));
}

describe('condensing tool output', () => {
  it('turns a debootstrap run into a handful of lines', () => {
    const lines = [
      'I: Retrieving InRelease',
      'I: Checking Release signature',
      'I: Resolving dependencies of required packages...',
      ...Array.from({ length: 300 }, (_, i) => [`I: Retrieving pkg${i} 1.0`, `I: Validating pkg${i} 1.0`]).flat(),
      ...Array.from({ length: 100 }, (_, i) => `I: Extracting pkg${i}...`),
      'I: Installing core packages...',
      ...Array.from({ length: 100 }, (_, i) => [`I: Unpacking pkg${i}...`, `I: Configuring pkg${i}...`]).flat(),
      'I: Base system installed successfully.',
    ];
    const out = feed(lines, classifyDebootstrap);
    expect(out.length).toBeLessThan(20);
    expect(out).toContain('downloading packages...');
    expect(out).toContain('extracting packages...');
    expect(out).toContain('I: Base system installed successfully.');
    expect(out.some((l) => /downloading packages\.\.\. \(\d+ so far\)/.test(l))).toBe(true);
  });

  it('always shows warnings and errors', () => {
    const out = feed(['I: Retrieving a 1', 'W: Failure trying to run: chroot', 'E: Couldn\'t find these debs: x'], classifyDebootstrap);
    expect(out).toEqual(['downloading packages...', 'W: Failure trying to run: chroot', "E: Couldn't find these debs: x"]);
  });

  it('keeps build steps and counts apt lines', () => {
    const lines = [
      'Step 1/5 : ARG BASE_IMAGE',
      ' ---> Running in abc',
      'Step 2/5 : RUN apt-get update && apt-get install -y docker.io',
      ...Array.from({ length: 200 }, (_, i) => `Get:${i + 1} http://deb.debian.org/debian trixie/main amd64 pkg${i} 1.0 [10 kB]`),
      ...Array.from({ length: 200 }, (_, i) => `Setting up pkg${i} (1.0) ...`),
      'Removing intermediate container abc',
      'Step 3/5 : COPY rootfs/ /',
      'Successfully built 123',
    ];
    const out = feed(lines, classifyBuild);
    expect(out.filter((l) => l.startsWith('Step '))).toHaveLength(3);
    expect(out).toContain('downloading packages...');
    expect(out).toContain('setting up packages...');
    expect(out.length).toBeLessThan(15);
  });

  it('prints an unknown line only as a heartbeat when nothing was printed for a while', () => {
    const c = createCondenser(classifyApt, 5000);
    expect(c.push('some compiler output', 0)).toEqual(['some compiler output']);
    expect(c.push('more output', 1000)).toEqual([]);
    expect(c.push('later output', 6000)).toEqual(['later output']);
  });

  it('shortens long lines and reads API stream messages', () => {
    expect(shorten('x'.repeat(500))).toHaveLength(110);
    expect(messageText({ stream: 'Step 1/2 : FROM x\n' })).toBe('Step 1/2 : FROM x\n');
    expect(messageText({ error: 'boom', errorDetail: { message: 'boom!' } })).toBe('ERROR: boom!\n');
    expect(messageText({ id: 'abc', status: 'Pushed' })).toBe('abc: Pushed\n');
  });
});
