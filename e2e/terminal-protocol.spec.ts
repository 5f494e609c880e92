import { expect, test } from './fixtures';
import { unknownSessionId } from './playground-page';

interface MalformedFrameResult {
  error: { type: string; code?: string; message?: string } | null;
  stillOpen: boolean;
  echoed: boolean;
  closeCode: number | null;
}

test('a malformed frame gets an error message and the terminal connection stays open', async ({ page, sessions }) => {
  const session = await sessions.create();
  await sessions.waitUntilRunning(session.id);
  await page.goto('/');

  const result = await page.evaluate(async (id): Promise<MalformedFrameResult> => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/api/sessions/${id}/instances/node1/terminal`);
    socket.binaryType = 'arraybuffer';
    const decoder = new TextDecoder();
    let output = '';
    let error: MalformedFrameResult['error'] = null;
    let closeCode: number | null = null;
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') {
        const message = JSON.parse(event.data) as { type: string };
        if (message.type === 'error') error = message;
      } else {
        output += decoder.decode(event.data as ArrayBuffer, { stream: true });
        socket.send(JSON.stringify({ type: 'ack', bytes: (event.data as ArrayBuffer).byteLength }));
      }
    };
    socket.onclose = (event) => (closeCode = event.code);
    const until = async (done: () => boolean, ms: number) => {
      for (const deadline = Date.now() + ms; !done() && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    await until(() => socket.readyState !== WebSocket.CONNECTING, 10_000);
    if (socket.readyState === WebSocket.OPEN) socket.send('not json');
    await until(() => error !== null || closeCode !== null, 10_000);
    // Still usable: a command typed after the bad frame runs.
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: 'input', data: 'echo still-open-$((40+2))\r' }));
    }
    await until(() => output.includes('still-open-42') || closeCode !== null, 10_000);
    const stillOpen = socket.readyState === WebSocket.OPEN;
    socket.close();
    return { error, stillOpen, echoed: output.includes('still-open-42'), closeCode };
  }, session.id);

  expect(result.error).toMatchObject({ type: 'error', code: 'malformed_message' });
  expect(result.closeCode).toBeNull();
  expect(result.stillOpen).toBe(true);
  expect(result.echoed).toBe(true);
});

test('a terminal socket for an unknown session is closed with 4404', async ({ page }) => {
  await page.goto('/');

  const closeCode = await page.evaluate(async (id) => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/api/sessions/${id}/instances/node1/terminal`);
    return new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        socket.close();
        resolve('no close within 10 s');
      }, 10_000);
      socket.onclose = (event) => {
        clearTimeout(timer);
        resolve(event.code);
      };
    });
  }, unknownSessionId());

  expect(closeCode).toBe(4404);
});
