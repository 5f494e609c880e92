import { readFile, stat } from 'node:fs/promises';
import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/protocol/api-types';
import { resourceNames } from '../../src/sandbox/labels';
import { SANDBOX_CAPABILITIES } from '../../src/docker/sandbox-host-config';
import { defaultSandboxLimits, SANDBOX_LOG_MAX_FILES } from '../../src/sandbox/sandbox-limits';
import { sessionKey } from '../../src/sessions/session-key';
import { api, createSession } from '../integration/harness';

// The adversarial suite, run against a playground of the integration layer (integration/
// security.test.ts) and against a node of the test cluster (cluster/cluster.test.ts): strangers get root shells, so each test does, from inside a real sandbox
// (through the exec API, as a visitor's shell would), one thing a hostile visitor would try, and
// asserts HOW it fails. docs/security.md maps each defence to the test here that proves it.
//
// Safety rules kept by every test: nothing destructive is attempted on the host even if a defence
// were missing (writes to host-wide files are same-value or no-op; syscalls are called with
// arguments that are no-ops or invalid), network traffic goes only to the project's own containers,
// every load loop is bounded with `timeout` and cleaned up. The known gaps (docs/security.md) have
// no test here: reproducing them means mounting the host's file system from a sandbox, which CI must
// not do. The fix (user namespaces) comes with tests that assert those attacks fail.

const LIMITS = defaultSandboxLimits();
/** PLAYGROUND_TEST_LOGS=1 also prints what the load tests measured. */
const report = (...args: unknown[]) => process.env.PLAYGROUND_TEST_LOGS && console.info('[security]', ...args);
const X86_64 = process.arch === 'x64';

/** Linux capability numbers (include/uapi/linux/capability.h). */
const CAP_BITS: Record<string, number> = {
  CHOWN: 0, DAC_OVERRIDE: 1, DAC_READ_SEARCH: 2, FOWNER: 3, FSETID: 4, KILL: 5, SETGID: 6, SETUID: 7,
  SETPCAP: 8, LINUX_IMMUTABLE: 9, NET_BIND_SERVICE: 10, NET_BROADCAST: 11, NET_ADMIN: 12, NET_RAW: 13,
  IPC_LOCK: 14, IPC_OWNER: 15, SYS_MODULE: 16, SYS_RAWIO: 17, SYS_CHROOT: 18, SYS_PTRACE: 19,
  SYS_PACCT: 20, SYS_ADMIN: 21, SYS_BOOT: 22, SYS_NICE: 23, SYS_RESOURCE: 24, SYS_TIME: 25,
  SYS_TTY_CONFIG: 26, MKNOD: 27, LEASE: 28, AUDIT_WRITE: 29, AUDIT_CONTROL: 30, SETFCAP: 31,
  MAC_OVERRIDE: 32, MAC_ADMIN: 33, SYSLOG: 34, WAKE_ALARM: 35, BLOCK_SUSPEND: 36, AUDIT_READ: 37,
  PERFMON: 38, BPF: 39, CHECKPOINT_RESTORE: 40,
};

function capabilityNames(hex: string): string[] {
  const mask = BigInt(`0x${hex}`);
  return Object.entries(CAP_BITS)
    .filter(([, bit]) => (mask >> BigInt(bit)) & 1n)
    .map(([name]) => name)
    .sort();
}

interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/** What the suite is run against: a server, the engine its sandboxes run on, and a view from its machine. */
export interface SuiteTarget {
  /** Where the API is asked: a playground of its own, or a cluster node's server. */
  url: string;
  /** The engine that runs the sandboxes. */
  docker: Docker;
  /** That engine's pid file (its dockerd is read from /proc). */
  enginePidFile: string;
  /** The status of a GET made from the sandboxes' machine itself (its network namespace). */
  statusFromHost(url: string): Promise<number>;
}

export interface SuiteSetup {
  start(): Promise<SuiteTarget>;
  /** Removes what the suite made (its two sessions among them). */
  stop(sessions: SessionInfo[]): Promise<void>;
}

/** The tests, defined in the describe block the caller opens. */
export function hostileUserSuite(setup: SuiteSetup): void {
  let target: SuiteTarget;
  let a: SessionInfo;
  let b: SessionInfo;

  /** Runs a bash script in a session's node1 through the exec API, as a visitor could. */
  async function run(session: SessionInfo, script: string, timeoutMs = 60_000): Promise<Outcome> {
    const started = Date.now();
    const { status, json } = await api(target, 'POST', `/api/sessions/${session.id}/instances/node1/exec`, {
      cmd: ['bash', '-c', script],
      timeoutMs,
    });
    if (status !== 200) throw new Error(`exec failed: ${status} ${JSON.stringify(json)}`);
    return { ...json, ms: Date.now() - started };
  }

  /** key=value lines of a script's stdout. */
  function values(outcome: Outcome): Record<string, string> {
    const result: Record<string, string> = {};
    for (const line of outcome.stdout.split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) result[line.slice(0, at)] = line.slice(at + 1);
    }
    return result;
  }

  function container(session: SessionInfo) {
    return target.docker.getContainer(resourceNames.container(sessionKey(session.id), 'node1'));
  }

  beforeAll(async () => {
    target = await setup.start();
    [a, b] = await Promise.all([createSession(target), createSession(target)]);
    // The first exec waits until each sandbox's Docker is up.
    await Promise.all([run(a, 'true'), run(b, 'true')]);
  });
  afterAll(async () => {
    await setup.stop([a, b].filter(Boolean));
  });

  it('applies the memory, CPU, process and log limits, seen from the engine and from inside', async () => {
    const info = await container(a).inspect();
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.Memory).toBe(LIMITS.memoryBytes);
    expect(info.HostConfig.MemorySwap).toBe(LIMITS.memoryBytes);
    expect(info.HostConfig.NanoCpus).toBe(LIMITS.cpus * 1e9);
    expect(info.HostConfig.PidsLimit).toBe(LIMITS.pids);
    expect(info.HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } });

    const inside = values(
      await run(
        a,
        [
          'cd /sys/fs/cgroup',
          'echo pids=$(cat pids/pids.max)',
          'echo memory=$(cat memory/memory.limit_in_bytes)',
          'echo memsw=$(cat memory/memory.memsw.limit_in_bytes 2>/dev/null || echo none)',
          'echo quota=$(cat cpu/cpu.cfs_quota_us)/$(cat cpu/cpu.cfs_period_us)',
        ].join('\n'),
      ),
    );
    expect(inside.pids).toBe(String(LIMITS.pids));
    expect(inside.memory).toBe(String(LIMITS.memoryBytes));
    if (inside.memsw !== 'none') expect(inside.memsw).toBe(String(LIMITS.memoryBytes));
    expect(inside.quota).toBe(`${LIMITS.cpus * 100_000}/100000`);
  });

  it('kernel modules: no CAP_SYS_MODULE, and insmod, raw init_module and nested --cap-add all fail', async () => {
    const status = await run(a, 'grep -E "^Cap(Eff|Bnd):" /proc/self/status');
    const eff = /CapEff:\s*([0-9a-f]+)/.exec(status.stdout)![1]!;
    const bnd = /CapBnd:\s*([0-9a-f]+)/.exec(status.stdout)![1]!;
    // Exactly the documented set, in the effective and the bounding set (no setuid file regains more).
    expect(capabilityNames(eff)).toEqual([...SANDBOX_CAPABILITIES].sort());
    expect(capabilityNames(bnd)).toEqual([...SANDBOX_CAPABILITIES].sort());
    for (const missing of ['SYS_MODULE', 'SYS_RAWIO', 'SYS_BOOT', 'SYS_TIME', 'DAC_READ_SEARCH', 'BPF', 'PERFMON', 'MAC_ADMIN', 'SYSLOG']) {
      expect(capabilityNames(eff)).not.toContain(missing);
    }

    // No modprobe in the image; the visitor brings busybox's insmod (from the mirror) instead.
    const insmod = await run(
      a,
      [
        'modprobe dummy; echo modprobe=$?',
        'rm -rf /tmp/bb && mkdir /tmp/bb',
        'docker run --rm -v /tmp/bb:/out busybox cp /bin/busybox /out/busybox >/dev/null 2>&1',
        'head -c 4096 /dev/urandom > /tmp/fake.ko',
        '/tmp/bb/busybox insmod /tmp/fake.ko; echo insmod=$?',
        'docker run --rm --cap-add SYS_MODULE busybox true; echo nested_cap_add=$?',
        'docker run --rm --privileged busybox true; echo nested_privileged=$?',
      ].join('\n'),
    );
    const v = values(insmod);
    expect(v.modprobe).toBe('127');
    expect(insmod.stderr).toMatch(/modprobe: command not found/);
    expect(v.insmod).toBe('1');
    expect(insmod.stderr).toMatch(/insmod: can't insert '\/tmp\/fake.ko': Operation not permitted/);
    expect(v.nested_cap_add).toBe('125');
    expect(insmod.stderr).toMatch(/invalid CapAdd: .*CAP_SYS_MODULE/);
    expect(v.nested_privileged).toBe('125');
    expect(insmod.stderr).toMatch(/operation not permitted/);
  });

  it.runIf(X86_64)('seccomp answers kernel-wide syscalls with EPERM (keyrings with ENOSYS)', async () => {
    // Each call's arguments make it a no-op or invalid even if it were allowed: nothing can change.
    const calls: Array<[string, number, string]> = [
      ['init_module', 175, '0, 0, 0'], // NULL image: EFAULT if allowed (ENOSYS on kernels without modules)
      ['finit_module', 313, '-1, 0, 0'], // bad fd
      ['settimeofday', 164, '0, 0'], // both NULL: a no-op if allowed
      ['keyctl', 250, '0, -4, 0'], // KEYCTL_GET_KEYRING_ID of the user keyring, no create
      ['open_by_handle_at', 304, '-1, 0, 0'], // bad fd, NULL handle
      ['bpf', 321, '0, 0, 0'], // NULL attr
      ['perf_event_open', 298, '0, 0, -1, -1, 0'], // NULL attr
      ['io_uring_setup', 425, '0, 0'], // NULL params
      ['userfaultfd', 323, '0'],
    ];
    const script = calls
      .map(([name, nr, args]) => `perl -e '$! = 0; my $r = syscall(${nr}, ${args}); print "${name}=", ($r == -1 ? $! + 0 : "ok"), "\\n"'`)
      .join('\n');
    const v = values(await run(a, script));
    const EPERM = '1';
    const ENOSYS = '38';
    expect(v).toEqual({
      init_module: EPERM,
      finit_module: EPERM,
      settimeofday: EPERM,
      keyctl: ENOSYS,
      open_by_handle_at: EPERM,
      bpf: EPERM,
      perf_event_open: EPERM,
      io_uring_setup: EPERM,
      userfaultfd: EPERM,
    });
  });

  it("user namespace: root inside is an unprivileged user on the host", async () => {
    const outcome = await run(a, 'read inside outside count < /proc/self/uid_map; printf "inside=%s\\noutside=%s\\ncount=%s\\n" $inside $outside $count');
    const v = values(outcome);
    expect(v.inside).toBe('0');
    expect(Number(v.outside)).toBeGreaterThan(0);
    expect(Number(v.count)).toBe(65536);
    const { HostConfig } = await container(a).inspect();
    expect(HostConfig?.UsernsMode ?? '').not.toBe('host');
  });

  it("the host's disk: no block device node can be made, none can be opened, no disk can be mounted", async () => {
    // The host disk's major:minor, which a visitor reads in /proc/partitions (the sandbox's own
    // files no longer come from it: its root lives on its own disk). The test takes them from the
    // host's root file system.
    const hostDev = (await stat('/')).dev;
    const hostDisk = `${Math.floor(hostDev / 256) & 0xfff}:${(hostDev & 0xff) | ((hostDev >> 12) & 0xfff00)}`;
    const outcome = await run(
      a,
      [
        `dev=${hostDisk}; echo dev=$dev`,
        'grep -q "^ *${dev%%:*} *${dev##*:} " /proc/partitions && echo in_partitions=yes',
        'rm -f /tmp/hostdisk /tmp/mem /tmp/kmsg; mkdir -p /tmp/m /tmp/devs',
        'mknod /tmp/hostdisk b ${dev%%:*} ${dev##*:}; echo mknod=$?',
        'mount -t ext4 /tmp/hostdisk /tmp/m; echo mount=$?',
        // A devtmpfs would hold nodes of every host disk.
        'mount -t devtmpfs none /tmp/devs; echo devtmpfs=$?',
        // The sandbox's own data disk is a loop device: it cannot open that either.
        'loop=$(awk \'$5 == "/var/lib/docker" { print $10 }\' /proc/self/mountinfo); echo loop=$loop',
        'mknod /tmp/loopdev b $(mountpoint -d /var/lib/docker | tr : " "); echo mknod_loop=$?',
        'mountpoint -q /tmp/m && echo mounted=yes || echo mounted=no',
        'mknod /tmp/mem c 1 1; echo devmem=$?',
        'mknod /tmp/kmsg c 1 11; echo kmsg=$?',
        'rm -f /tmp/hostdisk /tmp/mem /tmp/kmsg /tmp/loopdev',
      ].join('\n'),
    );
    const v = values(outcome);
    expect(v.dev).toMatch(/^\d+:\d+$/);
    expect(v.in_partitions).toBe('yes');
    // In a user namespace the kernel refuses mknod of devices outright.
    expect(v.mknod).toBe('1');
    expect(outcome.stderr).toMatch(/mknod: \/tmp\/hostdisk: Operation not permitted/);
    expect(v.mount).toBe('32');
    expect(v.devtmpfs).toBe('32');
    expect(v.loop).toMatch(/^\/dev\/loop\d+$/);
    expect(v.mknod_loop).toBe('1');
    expect(v.mounted).toBe('no');
    expect(v.devmem).toBe('1');
    expect(v.kmsg).toBe('1');
  });

  it('a fresh procfs or sysfs mounted inside cannot change host-wide kernel settings', async () => {
    const before = await readFile('/proc/sys/kernel/core_pattern', 'utf8');
    const outcome = await run(
      a,
      [
        'mkdir -p /tmp/p /tmp/s',
        'mount -t proc proc /tmp/p; echo proc_mount=$?',
        // Writes back the value it read: harmless even if the write went through.
        'v=$(cat /tmp/p/sys/kernel/core_pattern)',
        'printf "%s\\n" "$v" > /tmp/p/sys/kernel/core_pattern; echo core_pattern=$?',
        'if [ -e /tmp/p/sysrq-trigger ]; then echo h > /tmp/p/sysrq-trigger; echo sysrq=$?; else echo sysrq=absent; fi',
        'echo 1 > /tmp/p/sys/vm/drop_caches; echo drop_caches=$?',
        'mount -t sysfs sysfs /tmp/s; echo sysfs_mount=$?',
        'umount /tmp/p 2>/dev/null; true',
      ].join('\n'),
    );
    const v = values(outcome);
    // procfs may be mounted (the sandbox has its own pid namespace), but host-wide files stay root's.
    expect(v.core_pattern).toBe('1');
    expect(outcome.stderr).toMatch(/core_pattern: Permission denied/);
    expect(v.drop_caches).toBe('1');
    expect(['1', 'absent']).toContain(v.sysrq);
    expect(v.sysfs_mount).toBe('32');
    expect(await readFile('/proc/sys/kernel/core_pattern', 'utf8')).toBe(before);
  });

  it('/proc: core_pattern and sysrq-trigger cannot be written through the normal /proc; the host value stays', async () => {
    const before = await readFile('/proc/sys/kernel/core_pattern', 'utf8');
    const outcome = await run(
      a,
      [
        // Writes back the value it read: harmless even if the write went through.
        'v=$(cat /proc/sys/kernel/core_pattern)',
        'printf "%s\\n" "$v" > /proc/sys/kernel/core_pattern; echo core_pattern=$?',
        '[ -w /proc/sys/kernel/core_pattern ] && echo core_pattern_w=yes || echo core_pattern_w=no',
        // The one writable part, on purpose: the sandbox's own (namespaced) network sysctls.
        '[ -w /proc/sys/net/ipv4/ip_forward ] && echo ip_forward_w=yes || echo ip_forward_w=no',
        // "h" only prints the SysRq help to the kernel log, should the write go through.
        'if [ -e /proc/sysrq-trigger ]; then echo h > /proc/sysrq-trigger; echo sysrq=$?; else echo sysrq=absent; fi',
      ].join('\n'),
    );
    const v = values(outcome);
    expect(v.core_pattern).toBe('1');
    expect(outcome.stderr).toMatch(/\/proc\/sys\/kernel\/core_pattern: Read-only file system/);
    expect(v.core_pattern_w).toBe('no');
    expect(v.ip_forward_w).toBe('yes');
    const hostHasSysrq = await stat('/proc/sysrq-trigger').then(
      () => true,
      () => false,
    );
    if (hostHasSysrq) {
      expect(v.sysrq).toBe('1');
      expect(outcome.stderr).toMatch(/\/proc\/sysrq-trigger: Read-only file system/);
    } else {
      // This kernel has no SysRq (CONFIG_MAGIC_SYSRQ off): nothing to write to.
      expect(v.sysrq).toBe('absent');
    }
    expect(await readFile('/proc/sys/kernel/core_pattern', 'utf8')).toBe(before);
  });

  it('cgroup release_agent: absent from the sandbox hierarchies, cannot be created, no new hierarchy can be made', async () => {
    const outcome = await run(
      a,
      [
        'echo agents=$(ls /sys/fs/cgroup/*/release_agent 2>/dev/null | wc -l)',
        // Creating the file fails: there is nothing to overwrite in the sandbox's own hierarchies.
        'echo /bin/true > /sys/fs/cgroup/memory/release_agent; echo write_own=$?',
        'mkdir -p /tmp/cg /tmp/cgnew; trap "umount /tmp/cg /tmp/cgnew 2>/dev/null" EXIT',
        'mount -t cgroup -o memory cgroup /tmp/cg; echo mount_existing=$?',
        'echo fresh_agents=$(ls /tmp/cg | grep -c "^release_agent$")',
        'echo /bin/true > /tmp/cg/release_agent; echo write_fresh=$?',
        'umount /tmp/cg',
        // A brand-new hierarchy would have its real root, and a release_agent, in view: refused.
        'mount -t cgroup -o none,name=playground-security-test cgroup /tmp/cgnew; echo mount_new=$?',
      ].join('\n'),
    );
    const v = values(outcome);
    expect(v.agents).toBe('0');
    expect(v.write_own).toBe('1');
    expect(outcome.stderr).toMatch(/\/sys\/fs\/cgroup\/memory\/release_agent: Permission denied/);
    expect(v.mount_existing).toBe('0');
    expect(v.fresh_agents).toBe('0');
    expect(v.write_fresh).toBe('1');
    expect(v.mount_new).toBe('32');
    expect(outcome.stderr).toMatch(/mount: \/tmp\/cgnew: permission denied/);
  });

  it("the host's Docker API: the socket inside is the nested engine's, and the host engine has no TCP listener", async () => {
    const host = await target.docker.info();
    const outcome = await run(
      a,
      [
        'echo engine=$(docker info --format "{{.ID}}|{{.Name}}")',
        'echo socket_mounts=$(grep -c docker.sock /proc/self/mountinfo)',
        'echo socket_owner=$(readlink /proc/$(cat /var/run/docker.pid)/exe)',
      ].join('\n'),
    );
    const v = values(outcome);
    const [id, name] = v.engine!.split('|');
    expect(id).toBeTruthy();
    expect(id).not.toBe(host.ID);
    expect(name).toBe('node1');
    expect(v.socket_mounts).toBe('0'); // nothing of the host's is bind-mounted over it
    expect(v.socket_owner).toBe('/usr/sbin/dockerd');

    // The host engine's own sockets, read from /proc (no traffic is sent): no 2375/2376 listener.
    // The engine the set-up started (or any engine on this socket) writes its pid here; the
    // checks below must run, never be skipped because the file is missing.
    const pid = (await readFile(target.enginePidFile, 'utf8')).trim();
    expect(pid).toMatch(/^\d+$/);
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
    expect(cmdline).toMatch(/dockerd/);
    expect(cmdline).not.toMatch(/tcp:\/\//);
    const tables = await Promise.all(['tcp', 'tcp6'].map((t) => readFile(`/proc/${pid}/net/${t}`, 'utf8')));
    for (const table of tables) expect(table).toMatch(/^\s*sl\s+local_address/);
    const listening = tables
      .flatMap((t) => t.split('\n').slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f[3] === '0A')
      .map((f) => parseInt(f[1]!.split(':')[1]!, 16));
    expect(listening).not.toContain(2375);
    expect(listening).not.toContain(2376);
  });

  it("another session: B's published port answers the host and B, never A, not even routed via the shared mirror", async () => {
    const ipB = b.instances[0]!.ip;
    const served = await run(
      b,
      'docker run -d --name web -p 8080:80 busybox httpd -f -p 80 -h /etc >/dev/null && sleep 0.5 && curl -sS -m 3 http://127.0.0.1:8080/hostname >/dev/null && echo served=yes',
    );
    expect(values(served).served).toBe('yes');
    // Positive control from the host (a project container): B really serves on its IP.
    expect(await target.statusFromHost(`http://${ipB}:8080/hostname`)).toBe(200);

    const outcome = await run(
      a,
      [
        `ping -c 2 -W 1 ${ipB}; echo ping=$?`,
        `curl -sS -m 3 -o /dev/null http://${ipB}:8080/hostname; echo curl=$?`,
        // The mirror sits on every session network; it must not route between them.
        'mirror=$(getent hosts registry-mirror | cut -d" " -f1); echo mirror=$mirror',
        'curl -sS -m 3 -o /dev/null http://registry-mirror:5000/v2/; echo mirror_reachable=$?',
        `ip route add ${ipB}/32 via $mirror && echo route=added`,
        `curl -sS -m 3 -o /dev/null http://${ipB}:8080/hostname; echo curl_via_mirror=$?`,
        `ip route del ${ipB}/32`,
      ].join('\n'),
    );
    const v = values(outcome);
    expect(v.ping).toBe('1');
    expect(outcome.stdout).toMatch(/2 packets transmitted, 0 received, 100% packet loss/);
    expect(v.curl).toBe('28');
    expect(outcome.stderr).toMatch(/curl: \(28\) Connection timed out/);
    expect(v.mirror).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(v.mirror_reachable).toBe('0');
    expect(v.route).toBe('added');
    expect(v.curl_via_mirror).toBe('28');
  });

  it('the shared mirror cannot be poisoned: pushes are refused', async () => {
    const outcome = await run(
      a,
      [
        'docker pull -q busybox >/dev/null',
        'docker tag busybox registry-mirror:5000/library/busybox:latest',
        'docker push registry-mirror:5000/library/busybox:latest; echo push=$?',
        'echo upload=$(curl -sS -m 5 -X POST -o /dev/null -w "%{http_code}" http://registry-mirror:5000/v2/library/busybox/blobs/uploads/)',
      ].join('\n'),
    );
    const v = values(outcome);
    expect(v.push).toBe('1');
    expect(outcome.stderr).toMatch(/Method not allowed|unsupported/i);
    expect(v.upload).toBe('405');
  });

  it("a flood of the sandbox's own log is capped by rotation", async () => {
    // Root inside can write to its PID 1's stdout, which is the container log on the host's disk.
    const outcome = await run(a, 'timeout 20 head -c 5000000 /dev/zero | tr "\\0" x | fold -w 1000 > /proc/1/fd/1; echo flood=$?');
    expect(values(outcome).flood).toBe('0');
    const { LogPath } = await container(a).inspect();
    const sizes = async () => {
      const files = [LogPath, ...Array.from({ length: SANDBOX_LOG_MAX_FILES }, (_, i) => `${LogPath}.${i + 1}`)];
      const stats = await Promise.all(files.map((f) => stat(f).catch(() => null)));
      return stats.map((s) => s?.size ?? -1);
    };
    // The engine copies the log asynchronously; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [current, rotated, beyond] = await sizes();
    report('log files after a 5 MB flood:', { current, rotated, beyond });
    expect(rotated).toBeGreaterThan(0); // it did rotate: 5 MB went in
    expect(beyond).toBe(-1); // and keeps only max-file files
    expect(current! + rotated!).toBeLessThanOrEqual(2 * 1024 * 1024 + 64 * 1024);
  });

  it('a fork bomb hits the process limit, another session keeps answering, and the sandbox survives', async () => {
    // The bomb runs in its own PID namespace: when `timeout` kills that namespace's init, the kernel
    // kills every process in it, however many the bomb made.
    const bomb = run(
      a,
      [
        'read -r _ before < /sys/fs/cgroup/pids/pids.events; echo before=$before',
        'exec {nap}<> <(:)', // a pipe nobody writes to: `read -t` on it is a sleep without a fork
        'timeout -s KILL 12 unshare --pid --fork --kill-child bash -c "f(){ f|f& }; f; sleep 60" 2>/dev/null; echo bomb=$?',
        // Builtins only until the processes are gone: forks fail while the limit is reached.
        'for i in {1..100}; do read -r current < /sys/fs/cgroup/pids/pids.current; [ "$current" -lt 100 ] && break; read -r -t 0.1 -u $nap; done',
        'read -r _ after < /sys/fs/cgroup/pids/pids.events; echo after=$after; echo current=$current',
        'echo docker=$(docker version --format "{{.Server.Version}}")',
      ].join('\n'),
      40_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await run(b, 'echo alive', 20_000);
      expect(answer.stdout.trim()).toBe('alive');
      latencies.push(answer.ms);
    }
    const outcome = await bomb;
    const v = values(outcome);
    expect(v.bomb).toBe('137'); // killed by the bound, not finished
    expect(Number(v.after)).toBeGreaterThan(Number(v.before)); // forks were refused at the limit
    expect(Number(v.current)).toBeLessThan(100);
    expect(v.docker).toMatch(/^\d+\.\d+/); // the sandbox's own Docker still answers
    report('fork bomb:', v, 'other session exec ms:', latencies);
    expect(Math.max(...latencies)).toBeLessThan(10_000);
  });

  it('a CPU spinner gets at most its CPU limit, and another session keeps answering', async () => {
    const spin = run(
      a,
      [
        'read -r u0 < /sys/fs/cgroup/cpuacct/cpuacct.usage; t0=${EPOCHREALTIME/[.,]/}',
        'read -r _ thr0 < <(grep nr_throttled /sys/fs/cgroup/cpu/cpu.stat)',
        'for i in 1 2 3 4; do timeout 8 sh -c "while :; do :; done" & done; wait',
        'read -r u1 < /sys/fs/cgroup/cpuacct/cpuacct.usage; t1=${EPOCHREALTIME/[.,]/}',
        'read -r _ thr1 < <(grep nr_throttled /sys/fs/cgroup/cpu/cpu.stat)',
        'echo used_ns=$((u1 - u0)); echo wall_us=$((t1 - t0)); echo throttled=$((thr1 - thr0))',
      ].join('\n'),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await run(b, 'echo alive', 20_000);
      expect(answer.stdout.trim()).toBe('alive');
      latencies.push(answer.ms);
    }
    const v = values(await spin);
    const cpusUsed = Number(v.used_ns) / 1000 / Number(v.wall_us);
    report('cpu spinner:', { cpusUsed, throttled: v.throttled }, 'other session exec ms:', latencies);
    expect(cpusUsed).toBeGreaterThan(0.25 * LIMITS.cpus); // it did spin (the host may be busy with other work)
    expect(cpusUsed).toBeLessThan(1.15 * LIMITS.cpus); // four spinners, one CPU's worth
    expect(Number(v.throttled)).toBeGreaterThan(0);
    expect(Math.max(...latencies)).toBeLessThan(5_000);
  });

  it('a memory hog over the limit is OOM-killed (137) and the sandbox survives', async () => {
    const outcome = await run(
      a,
      [
        'read -r _ before < <(grep "^oom_kill " /sys/fs/cgroup/memory/memory.oom_control)',
        // 64 MiB more each round until the kernel kills it; `timeout -s TERM` would exit 124, not 137.
        'timeout -s TERM 60 perl -e "my @a; while (1) { push @a, q{x} x (64 * 1024 * 1024) }"; echo hog=$?',
        'read -r _ after < <(grep "^oom_kill " /sys/fs/cgroup/memory/memory.oom_control)',
        'echo oom_kills=$((after - before))',
        'echo max_usage=$(cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes)',
        'echo docker=$(docker version --format "{{.Server.Version}}")',
      ].join('\n'),
      90_000,
    );
    const v = values(outcome);
    report('memory hog:', v, `${outcome.ms} ms`);
    expect(v.hog).toBe('137');
    expect(outcome.stderr).toMatch(/Killed/);
    expect(Number(v.oom_kills)).toBeGreaterThanOrEqual(1);
    expect(Number(v.max_usage)).toBeLessThanOrEqual(LIMITS.memoryBytes);
    expect(v.docker).toMatch(/^\d+\.\d+/);
    const info = await container(a).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.State.OOMKilled).toBe(false);
  });
}
