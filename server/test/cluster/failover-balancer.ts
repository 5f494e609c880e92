import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A load balancer for the cluster layer, in front of the fronts: each new connection goes to the
 * first front that accepts one (as a balancer's health check takes a stopped front out). Bytes pass
 * untouched both ways; a connection already made ends with its front. Loopback only.
 */
export async function startFailoverBalancer(upstreams: readonly string[]): Promise<{ url: string; close(): Promise<void> }> {
  const targets = upstreams.map((upstream) => new URL(upstream));
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const tryTarget = (index: number): void => {
      const target = targets[index];
      if (!target) {
        client.destroy();
        return;
      }
      const upstream = connect({ host: target.hostname, port: Number(target.port) });
      const timer = setTimeout(() => upstream.destroy(new Error('no connection')), 2_000);
      let connected = false;
      upstream.once('error', () => {
        clearTimeout(timer);
        if (!connected) tryTarget(index + 1); // refused: that front is down, the next one takes it
      });
      upstream.once('connect', () => {
        connected = true;
        clearTimeout(timer);
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryTarget(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
