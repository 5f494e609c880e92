import { spawn, type IPty } from 'node-pty';
import { PromptWatcher } from './prompt';
import { now, withTimeout } from './time';

/**
 * `docker exec -it <container> /bin/bash -l` in a local pseudo-terminal (node-pty): the
 * keystroke-echo baseline, the same shell with no web in between.
 */
export class PtyShell {
  #pty: IPty;
  #prompt = new PromptWatcher();
  #encoder = new TextEncoder();
  #listeners = new Set<(data: string, at: number) => void>();
  #exited = false;

  constructor(container: string, size = { cols: 200, rows: 50 }) {
    this.#pty = spawn('docker', ['exec', '-it', '-e', 'TERM=xterm-256color', '-e', 'LANG=C.UTF-8', container, '/bin/bash', '-l'], {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      env: process.env as Record<string, string>,
    });
    this.#pty.onData((data) => {
      const at = now();
      this.#prompt.push(this.#encoder.encode(data));
      for (const listener of this.#listeners) listener(data, at);
    });
    this.#pty.onExit(() => (this.#exited = true));
  }

  waitForPrompt(timeoutMs: number): Promise<number> {
    if (this.#prompt.atPrompt) return Promise.resolve(now());
    return this.#waitFor(() => this.#prompt.atPrompt, timeoutMs, 'waiting for the prompt in docker exec');
  }

  #waitFor(test: (data: string) => boolean, timeoutMs: number, what: string): Promise<number> {
    if (this.#exited) return Promise.reject(new Error('docker exec exited'));
    let listener: ((data: string, at: number) => void) | undefined;
    const promise = new Promise<number>((resolve) => {
      listener = (data, at) => {
        if (test(data)) resolve(at);
      };
      this.#listeners.add(listener);
    });
    return withTimeout(promise, timeoutMs, what).finally(() => this.#listeners.delete(listener!));
  }

  input(data: string): void {
    this.#pty.write(data);
  }

  /** Types one character; resolves with the milliseconds until output carrying it arrived. */
  async echo(char: string, timeoutMs = 5_000): Promise<number> {
    const arrived = this.#waitFor((data) => data.includes(char), timeoutMs, `echo of ${JSON.stringify(char)} in docker exec`);
    const sent = now();
    this.input(char);
    return (await arrived) - sent;
  }

  close(): void {
    if (this.#exited) return;
    try {
      this.#pty.kill();
    } catch {
      // already gone
    }
  }
}
