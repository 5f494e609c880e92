/**
 * Recognising the sandbox's shell prompt in a stream of terminal output. Pure.
 *
 * The prompt is `[<hostname>] <cwd> # ` once ANSI escapes are removed (sandbox/README.md), and it
 * is the last thing the shell writes before waiting for input.
 */

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), charset selection (ESC ( B) and the
// two-character escapes (ESC =, ESC >, ESC 7, ...).
const ANSI_PATTERN = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMc]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** True when the output so far ends with a prompt (`... # ` after removing escapes). */
export function endsWithPrompt(text: string): boolean {
  return /# $/.test(stripAnsi(text));
}

/** Bytes of recent output kept to look for the prompt: more than any prompt with its escapes. */
export const PROMPT_TAIL_CHARS = 512;

/**
 * Follows a terminal's output chunk by chunk (chunks may split escapes and UTF-8 characters) and
 * says whether it currently ends with a prompt.
 */
export class PromptWatcher {
  #decoder = new TextDecoder('utf-8');
  #tail = '';

  /** Feeds the next chunk; returns true when the output now ends with a prompt. */
  push(chunk: Uint8Array): boolean {
    this.#tail = (this.#tail + this.#decoder.decode(chunk, { stream: true })).slice(-PROMPT_TAIL_CHARS);
    return endsWithPrompt(this.#tail);
  }

  get atPrompt(): boolean {
    return endsWithPrompt(this.#tail);
  }
}
