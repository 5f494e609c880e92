import { readFile, writeFile } from 'node:fs/promises';

// Every container (and every container nested in a sandbox) gets a kernel session keyring, charged
// to its owner's uid. With user namespaces all sandboxes run as one remapped uid, whose default
// quota (kernel.keys.maxkeys 200, maxbytes 20000) ran out at about 54 sessions: runc then fails
// with "unable to create session key: disk quota exceeded". The quota is raised for a class.

/** What a few hundred sandboxes with nested containers need (LXD recommends the same for density). */
export const KERNEL_KEY_LIMITS = { maxkeys: 200_000, maxbytes: 20_000_000 } as const;

/** The limit to write, or null when the kernel's is already at least that. */
export function raisedLimit(current: string, wanted: number): number | null {
  const value = Number(current.trim());
  return Number.isFinite(value) && value >= wanted ? null : wanted;
}

/** Raises kernel.keys.maxkeys and maxbytes where lower; a line for the progress report. */
export async function raiseKernelKeyLimits(): Promise<string> {
  const raised: string[] = [];
  for (const [name, wanted] of Object.entries(KERNEL_KEY_LIMITS)) {
    const file = `/proc/sys/kernel/keys/${name}`;
    const current = await readFile(file, 'utf8').catch(() => null);
    if (current === null) continue; // no such knob on this kernel
    const value = raisedLimit(current, wanted);
    if (value === null) continue;
    await writeFile(file, String(value));
    raised.push(`kernel.keys.${name} ${current.trim()} → ${value}`);
  }
  return raised.length ? `raised ${raised.join(', ')} (one keyring per container, all sandboxes under one remapped uid)` : '';
}
