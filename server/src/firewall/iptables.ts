import { execFile } from 'node:child_process';

export interface IptablesResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<IptablesResult> {
  return new Promise((resolve) => {
    execFile(command, ['-w', '5', ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr || (error as Error | null)?.message || '').trim() });
    });
  });
}

/** Runs one iptables command; `-w` waits for the lock that Docker also takes. */
export function iptables(args: string[]): Promise<IptablesResult> {
  return run('iptables', args);
}

/** The same for IPv6. */
export function ip6tables(args: string[]): Promise<IptablesResult> {
  return run('ip6tables', args);
}

/** Runs an iptables command that must succeed. */
export async function iptablesOrThrow(args: string[]): Promise<void> {
  const { ok, stderr } = await iptables(args);
  if (!ok) throw new Error(`iptables ${args.join(' ')} failed: ${stderr}`);
}
