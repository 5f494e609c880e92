import type { Terminal } from '@xterm/xterm';

declare global {
  interface Window {
    /**
     * Every live terminal by instance name (node1, ...), for end-to-end tests that read the screen
     * through `buffer.active`. Harmless: it only exposes what the page already shows its visitor.
     */
    __playgroundTerminals?: Record<string, Terminal>;
  }
}

export {};
