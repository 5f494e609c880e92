import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type Docker from 'dockerode';

/** The machine a run measured, printed with every result. */
export interface Machine {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  kernel: string;
  os: string;
  dockerVersion: string;
  dockerStorage: string;
  cgroup: string;
  node: string;
  /** 1, 5 and 15 minute load averages when the run started (other work on a shared machine). */
  loadAtStart: [number, number, number];
}

async function osName(): Promise<string> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? os.type();
}

export async function describeMachine(docker: Docker): Promise<Machine> {
  const info = (await docker.info()) as { ServerVersion?: string; Driver?: string; CgroupVersion?: string; CgroupDriver?: string };
  const load = os.loadavg();
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    kernel: os.release(),
    os: await osName(),
    dockerVersion: info.ServerVersion ?? 'unknown',
    dockerStorage: info.Driver ?? 'unknown',
    cgroup: `v${info.CgroupVersion ?? '?'} (${info.CgroupDriver ?? '?'})`,
    node: process.version,
    loadAtStart: [load[0]!, load[1]!, load[2]!],
  };
}

export function machineLines(machine: Machine): string[] {
  const gib = (machine.memoryBytes / 1024 ** 3).toFixed(1);
  return [
    `CPU: ${machine.cores} cores (${machine.cpuModel}); memory ${gib} GiB`,
    `OS: ${machine.os}, kernel ${machine.kernel}`,
    `Docker Engine ${machine.dockerVersion} (${machine.dockerStorage}, cgroup ${machine.cgroup}); Node ${machine.node}`,
    `load average at start: ${machine.loadAtStart.map((value) => value.toFixed(2)).join(', ')}`,
  ];
}
