// 9. Save and resume: how long Save takes for an instance holding data, against copying its disk
// image by hand; and how long a session started from the save takes to its prompt, against a cold
// session on the same server.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_DISK_DIR } from '../server/src/sandbox/instance-disks';
import { resourceNames } from '../server/src/sandbox/labels';
import { sessionKey } from '../server/src/sessions/session-key';
import { ApiClient } from './lib/api-client';
import type { Benchmark } from './lib/context';
import { atMost, type Figure, type Measured } from './lib/report';
import { openSession } from './lib/session-terminal';
import { summarize } from './lib/stats';
import { now } from './lib/time';

const run = promisify(execFile);
const ms = (values: number[]): Measured => ({ kind: 'sample', summary: summarize(values), unit: 'ms', spread: 'min-max' });

export const saveResume: Benchmark = {
  name: 'save-resume',
  title: '9. Save and resume',
  async run(context) {
    const rounds = context.quick ? 2 : 5;
    const dataMb = context.quick ? 20 : 100;
    // A server of its own without a warm pool: a session from a save never comes from the pool,
    // so the cold sessions it is compared with must not either.
    const server = await context.startServer({ WARM_POOL: '0' });
    const api = new ApiClient(server.url);
    const saved: string[] = [];
    const copies = await mkdtemp(path.join(tmpdir(), 'bench-save-'));
    try {
      const original = await openSession(api, { promptTimeoutMs: 120_000 });
      original.terminal.close();
      await api.exec(original.session.id, 'node1', ['sh', '-c', `head -c ${dataMb}000000 /dev/urandom > /root/data && sync`], 120_000);
      const image = path.join(DEFAULT_DISK_DIR, `${resourceNames.dockerVolume(sessionKey(original.session.id), 'node1')}.img`);

      const saveTimes: number[] = [];
      const copyTimes: number[] = [];
      let bytes = 0;
      for (let i = 0; i < rounds; i++) {
        const started = now();
        const made = await api.saveSession(original.session.id);
        saveTimes.push(now() - started);
        saved.push(made.id);
        bytes = made.bytes;
        // Baseline: the same image copied on the host, sparse, with nothing paused or flushed.
        const copyStarted = now();
        await run('cp', ['--sparse=always', '--', image, path.join(copies, `copy-${i}.img`)]);
        copyTimes.push(now() - copyStarted);
      }
      context.log(`save-resume: ${rounds} saves of ${(bytes / 1e6).toFixed(0)} MB`);

      const resumeTimes: number[] = [];
      const coldTimes: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const resumed = await openSession(api, { promptTimeoutMs: 120_000, wanted: { saved: saved[0] } });
        resumeTimes.push(resumed.promptMs);
        resumed.terminal.close();
        const found = await api.exec(resumed.session.id, 'node1', ['sh', '-c', 'wc -c < /root/data'], 60_000);
        if (Number(found.stdout.trim()) !== dataMb * 1_000_000) throw new Error(`the resumed session has ${found.stdout.trim()} bytes in /root/data, not ${dataMb}000000`);
        await api.deleteSession(resumed.session.id);
        const cold = await openSession(api, { promptTimeoutMs: 120_000 });
        coldTimes.push(cold.promptMs);
        cold.terminal.close();
        await api.deleteSession(cold.session.id);
      }

      const figures: Figure[] = [
        {
          label: `Save (POST .../save) of one instance holding ${dataMb} MB of random data`,
          measured: ms(saveTimes),
          baseline: { label: 'its disk image copied on the host (cp --sparse=always, nothing paused)', measured: ms(copyTimes) },

        },
        {
          label: 'the save on disk',
          measured: { kind: 'single', value: Math.round(bytes / 1e6), unit: 'MB', detail: 'allocated bytes of the sparse copy' },

        },
        {
          label: 'a session from the save (POST {"saved"} → prompt on the socket)',
          measured: ms(resumeTimes),
          baseline: { label: 'a cold session on the same server (POST → prompt)', measured: ms(coldTimes) },
          targets: [atMost('median under 2 s (the cold target)', summarize(resumeTimes).p50, 2_000)],
        },
      ];
      const notes = [
        `One session on a server with no warm pool; ${dataMb} MB from /dev/urandom written to /root (nothing sparse to skip). ${rounds} saves of it, each followed by the baseline copy of the same image; then ${rounds} rounds of a session started from the first save (checked: /root/data is whole) and a cold session, each deleted after.`,
        'Save pauses the sandbox, runs sync, copies the image sparse and unpauses: the difference from the baseline is the pause, the flush and the API.',
      ];
      return { figures, notes };
    } finally {
      for (const id of saved) await api.deleteSaved(id).catch(() => undefined);
      await api.deleteAll();
      await server.stop();
      await rm(copies, { recursive: true, force: true });
    }
  },
};
