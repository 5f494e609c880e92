// Typing into a terminal from elsewhere in the page (a workshop's Run buttons). Each live terminal
// registers under its key (terminalKey: "node1", "node1#2"); send() answers false while the terminal
// is not connected, so the caller can wait.

type Sender = (text: string) => boolean;

const senders = new Map<string, Sender>();

export function registerTerminalInput(key: string, send: Sender): () => void {
  senders.set(key, send);
  return () => {
    if (senders.get(key) === send) senders.delete(key);
  };
}

export function sendToTerminal(key: string, text: string): boolean {
  return senders.get(key)?.(text) ?? false;
}
