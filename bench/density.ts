// 4. Density: memory of an idle instance, the server's memory per open terminal, and an estimate
// of how many idle instances this machine could hold.
import { DEFAULT_TERMINAL_OPTIONS } from '../server/src/terminal/terminal';
import { defaultMaxTotalInstances } from '../server/src/admission/admission';
import type { Benchmark } from './lib/context';
import { containerMemory } from './lib/container-memory';
import type { DirectSandbox } from './lib/direct-sandbox';
import { atMost, type Figure, type Measured } from './lib/report';
import { instanceContainerName, type OpenSession } from './lib/session-terminal';
import { summarize, median } from './lib/stats';
import { TerminalClient } from './lib/terminal-client';
import { sleep } from './lib/time';

const MiB = 1024 * 1024;

const mib = (values: number[]): Measured => ({ kind: 'sample', summary: summarize(values.map((value) => value / MiB)), unit: 'MiB', spread: 'min-max' });
const kib = (values: number[]): Measured => ({ kind: 'sample', summary: summarize(values.map((value) => value / 1024)), unit: 'KiB', spread: 'min-max' });

export const density: Benchmark = {
  name: 'density',
  title: '4. Density',
  async run(context) {
    const instances = context.quick ? 2 : 5;
    const directCount = context.quick ? 1 : 3;
    const settleMs = context.quick ? 3_000 : 15_000;
    const socketRounds = context.quick ? 2 : 3;
    const { api, docker, server } = context;

    const opened: OpenSession[] = [];
    const direct: DirectSandbox[] = [];
    const extra: TerminalClient[] = [];
    try {
      // Server memory before and after one terminal (a shell) per session.
      const sessions = [];
      for (let i = 0; i < instances; i++) sessions.push(await api.createSession());
      for (const session of sessions) await api.exec(session.id, 'node1', ['true'], 60_000); // waits for Docker inside
      await context.waitForWarmPool();
      await sleep(2_000);
      const beforeTerminals = await server.memory();
      for (const session of sessions) {
        const terminal = await TerminalClient.connect(api.terminalUrl(session.id));
        terminal.resize(200, 50);
        await terminal.waitForPrompt(60_000);
        opened.push({ session, terminal, container: instanceContainerName(session.id), postMs: 0, promptMs: 0 });
      }
      await sleep(2_000);
      const afterTerminals = await server.memory();
      const perTerminal = (afterTerminals.rss - beforeTerminals.rss) / instances;

      // Server memory per extra socket attached to a terminal (rounds of open, measure, close). A
      // terminal takes at most MAX_SOCKETS_PER_TERMINAL sockets, so they are spread over the sessions.
      const perSocket: number[] = [];
      const sockets = opened.length * (DEFAULT_TERMINAL_OPTIONS.maxClients - 1);
      for (let round = 0; round < socketRounds; round++) {
        await sleep(1_000);
        const before = await server.memory();
        for (let i = 0; i < sockets; i++) {
          const client = await TerminalClient.connect(api.terminalUrl(opened[i % opened.length]!.session.id));
          extra.push(client);
          await client.attached;
        }
        await sleep(1_000);
        const after = await server.memory();
        perSocket.push((after.rss - before.rss) / sockets);
        for (const client of extra.splice(0)) client.close();
      }
      context.log(`density: server +${(perTerminal / 1024).toFixed(0)} KiB per terminal, socket rounds ${perSocket.map((value) => (value / 1024).toFixed(0)).join(', ')} KiB`);

      // Idle instances (each with its shell open), beside sandboxes started directly.
      for (let i = 0; i < directCount; i++) direct.push(await context.sandboxes.start());
      await sleep(settleMs);
      const instanceMemory = await Promise.all(opened.map((open) => containerMemory(docker, open.container)));
      const directMemory = await Promise.all(direct.map((sandbox) => containerMemory(docker, sandbox.name)));
      const idle = median(instanceMemory);
      const capacity = Math.floor(context.machine.memoryBytes / idle);

      const figures: Figure[] = [
        {
          label: `idle instance, shell open (${instances} instances, docker stats memory after ${settleMs / 1000} s idle)`,
          measured: mib(instanceMemory),
          baseline: { label: 'sandbox started directly, no shell', measured: mib(directMemory) },
          targets: [atMost('under 40 MiB', idle / MiB, 40)],
        },
        {
          label: `server memory per open terminal (one shell each, ${instances} sessions: RSS delta / ${instances})`,
          measured: { kind: 'single', value: perTerminal / 1024, unit: 'KiB', detail: `RSS ${(beforeTerminals.rss / MiB).toFixed(1)} → ${(afterTerminals.rss / MiB).toFixed(1)} MiB` },
          targets: [atMost('under 1 MiB per terminal', perTerminal / MiB, 1)],
        },
        {
          label: `server memory per extra socket on a terminal (${sockets} sockets on ${opened.length} terminals, ${socketRounds} rounds)`,
          measured: kib(perSocket),
          targets: [atMost('under 1 MiB per socket', median(perSocket) / MiB, 1)],
        },
        {
          label: 'idle instances admitted before admission refuses more (MAX_TOTAL_INSTANCES default for this memory)',
          measured: { kind: 'single', value: defaultMaxTotalInstances(context.machine.memoryBytes), unit: 'instances', detail: 'budget of 96 MiB per instance (twice an idle one) on 80% of memory; MEMORY_RESERVE refuses earlier when many are active' },
        },
        {
          label: 'ESTIMATE: idle instances this machine could hold (total memory / idle instance)',
          measured: { kind: 'single', value: capacity, unit: 'instances', detail: `${(context.machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB / ${(idle / MiB).toFixed(1)} MiB` },
        },
      ];
      return {
        figures,
        notes: [
          'Instance memory is what `docker stats --no-stream` shows: the sandbox cgroup\'s usage minus inactive page cache (nested dockerd, containerd, the login shell); it does not include the volume\'s disk.',
          'Server memory is VmRSS of the node process serving (/proc/<pid>/status), read 2 s after the terminals opened; garbage collection makes single readings noisy, so small or negative deltas mean "too small to see".',
          'The memory estimate is not a tested limit: it ignores the host engine, the server, page cache and CPU. Admission stops before it (MAX_TOTAL_INSTANCES, and MEMORY_RESERVE when instances in use take more); the capacity benchmark creates the sessions for real.',
        ],
      };
    } finally {
      for (const client of extra) client.close();
      for (const open of opened) open.terminal.close();
      for (const sandbox of direct) await context.sandboxes.remove(sandbox);
      await api.deleteAll();
    }
  },
};
