import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import type { Playground } from '../../src/main';
import { execIn } from './harness';

// A stand-in for the operator's LAN, for tests of ways out of a session: a network namespace of the
// test's own behind a veth pair (10.99.0.2 and fd99::2 behind the host's 10.99.0.1 and fd99::1)
// with a TCP listener on both families that counts what it accepts. Only ever this machine's.

const run = promisify(execFile);
const LAN_NAMESPACE = 'pgtest-lan';
const LAN_HOST_SIDE = 'pgtlan0h'; // not "pg" + hex: the firewall's own rules match session bridges by name
const LAN_NS_SIDE = 'pgtlan0n';
export const LAN_ADDRESS = '10.99.0.2';
export const LAN_ADDRESS6 = 'fd99::2';
export const LAN_PORT = 8000;

export async function sh(command: string): Promise<string> {
  const { stdout } = await run('sh', ['-c', command], { timeout: 20_000 });
  return stdout;
}

/** The LAN stand-in: a namespace with a TCP listener on both families; counts what it accepts. */
export class LanStandIn {
  connections = 0;
  private listener: ChildProcess | undefined;

  async start(): Promise<void> {
    await this.stop();
    await sh(`ip netns add ${LAN_NAMESPACE}
      ip link add ${LAN_HOST_SIDE} type veth peer name ${LAN_NS_SIDE} netns ${LAN_NAMESPACE}
      ip addr add 10.99.0.1/24 dev ${LAN_HOST_SIDE}
      ip -6 addr add fd99::1/64 dev ${LAN_HOST_SIDE} nodad
      ip link set ${LAN_HOST_SIDE} up
      ip netns exec ${LAN_NAMESPACE} sh -c 'ip link set lo up; ip addr add ${LAN_ADDRESS}/24 dev ${LAN_NS_SIDE}; ip -6 addr add ${LAN_ADDRESS6}/64 dev ${LAN_NS_SIDE} nodad; ip link set ${LAN_NS_SIDE} up; ip route add default via 10.99.0.1; ip -6 route add default via fd99::1'`);
    const script = `require('net').createServer((s) => { console.log('connection'); s.end('lan\\n'); }).listen(${LAN_PORT}, '::', () => console.log('listening'))`;
    this.listener = spawn('nsenter', [`--net=/run/netns/${LAN_NAMESPACE}`, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let ready!: () => void;
    const listening = new Promise<void>((resolve) => (ready = resolve));
    this.listener.stdout!.on('data', (data: Buffer) => {
      for (const line of data.toString().split('\n')) {
        if (line === 'connection') this.connections++;
        if (line === 'listening') ready();
      }
    });
    await listening;
  }

  async stop(): Promise<void> {
    this.listener?.kill();
    await sh(`ip netns del ${LAN_NAMESPACE} 2>/dev/null; ip link del ${LAN_HOST_SIDE} 2>/dev/null; true`);
  }
}

/** From inside an instance: does a TCP connection to host:port open within 4 s? */
export async function connects(playground: Playground, id: string, host: string, port: number, instance = 'node1'): Promise<boolean> {
  const target = host.includes(':') ? `[${host}]` : host;
  // curl exits 7 when nothing answers the connection and 28 on a time-out; anything else (this
  // test's listeners send no HTTP) means a connection was made.
  const result = await execIn(
    playground,
    id,
    `curl -sg --max-time 4 -o /dev/null 'http://${target}:${port}/'; rc=$?; if [ $rc -eq 7 ] || [ $rc -eq 28 ]; then echo CLOSED; else echo OPEN; fi`,
    60_000,
    instance,
  );
  return result.stdout.includes('OPEN');
}

/** Runs in node1 and fails the test on a non-zero exit (the attack's set-up must really happen). */
export async function mustRun(playground: Playground, id: string, script: string, instance = 'node1'): Promise<string> {
  const result = await execIn(playground, id, script, 60_000, instance);
  if (result.exitCode !== 0) throw new Error(`${script}: exit ${result.exitCode}: ${result.stderr}`);
  return result.stdout;
}

/** node1 sends 10.99.0.2 through `via` (a container on its session network), as a visitor can. */
export async function routeLanVia(playground: Playground, id: string, via: string): Promise<void> {
  await mustRun(playground, id, `ip route replace ${LAN_ADDRESS}/32 via ${via} && ip route get ${LAN_ADDRESS} | grep -q 'via ${via}'`);
}

export async function addressOn(playground: Playground, id: string, name: string): Promise<string> {
  return (await mustRun(playground, id, `getent hosts ${name} | cut -d' ' -f1`)).trim();
}
