import { execFile } from 'node:child_process';

/** Runs one iptables command; `-w` waits for the lock that Docker also takes. */
export function iptables(args: string[]): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => {
    execFile('iptables', ['-w', '5', ...args], { timeout: 15_000 }, (error, _stdout, stderr) => {
      resolve({ ok: !error, stderr: String(stderr || (error as Error | null)?.message || '').trim() });
    });
  });
}

/** Runs an iptables command that must succeed. */
export async function iptablesOrThrow(args: string[]): Promise<void> {
  const { ok, stderr } = await iptables(args);
  if (!ok) throw new Error(`iptables ${args.join(' ')} failed: ${stderr}`);
}
