import type Dockerode from 'dockerode';

/**
 * The HostConfig settings that let a sandbox's nested dockerd run containers, build images, publish
 * ports, create networks and volumes, run `docker compose up` and `docker swarm init` WITHOUT
 * privileged mode. Verified by experiment on Docker 20.10 (cgroup v1, no AppArmor) with the trixie
 * sandbox image (nested Docker 26.1); see sandbox/README.md.
 *
 * The server adds the rest (mounts incl. the /var/lib/docker volume, env REGISTRY_MIRROR, labels,
 * hostname, network, resource limits). Every call returns a fresh object, safe to mutate.
 *
 * Residual risk, stated plainly: the sandbox's root holds CAP_SYS_ADMIN in the host's user
 * namespace (there is no user-namespace isolation), so the masks and the read-only /proc/sys below
 * are defence in depth, not a boundary: such a process can mount a fresh procfs. What keeps a
 * sandbox off the host is the missing capabilities (modules, raw I/O, time, MAC, BPF, ...), the
 * seccomp deny list and the device cgroup (no block devices, no /dev/mem or /dev/kmsg). For
 * untrusted visitors, run the host engine on dedicated, disposable machines.
 */
export type SandboxHostConfig = Partial<Dockerode.HostConfig> & {
  /** Missing from @types/dockerode; part of the Engine API since 1.41. */
  CgroupnsMode?: 'private' | 'host';
};

/**
 * Capabilities of the sandbox: Docker's default set, listed explicitly (after CapDrop ALL) so the
 * sandbox does not change when an engine changes its defaults, plus the two nested Docker needs.
 * Nested containers get Docker's default set by default, so the sandbox must hold all of them too
 * (a capability missing here is one `docker run` inside cannot grant: "unable to apply caps").
 */
export const SANDBOX_CAPABILITIES: readonly string[] = [
  // Docker's defaults (what a plain `docker run` gets); nested containers need each of them.
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'SETFCAP',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SYS_CHROOT',
  'MKNOD',
  'AUDIT_WRITE',
  // Mounts (cgroup hierarchies, overlay2 layers, /proc and /sys of nested containers), namespaces
  // (unshare/setns for every nested container), pivot_root: runc and dockerd cannot work without it.
  'SYS_ADMIN',
  // Bridges, veth pairs, iptables NAT for published ports, the sandbox's own network sysctls.
  'NET_ADMIN',
  // `docker exec` into a nested container whose process runs as another user (postgres, redis,
  // --user 1000): runc must open that process's namespaces, which the kernel allows across users
  // only with this. It reaches only the sandbox's own processes (its pid and user namespaces).
  'SYS_PTRACE',
];

/**
 * Not granted, each verified unnecessary for nested Docker (the full nested check list passes
 * without them): SYS_MODULE, SYS_RAWIO, SYS_BOOT, SYS_TIME, SYSLOG, MAC_ADMIN, MAC_OVERRIDE,
 * AUDIT_CONTROL, AUDIT_READ, BPF, PERFMON, WAKE_ALARM, BLOCK_SUSPEND, SYS_RESOURCE (also absent
 * from this VM's bounding set, which is why --privileged fails), SYS_NICE, SYS_PACCT,
 * SYS_TTY_CONFIG, DAC_READ_SEARCH (open_by_handle_at, the "shocker" escape), IPC_LOCK, IPC_OWNER,
 * LEASE, LINUX_IMMUTABLE, NET_BROADCAST, CHECKPOINT_RESTORE. A visitor's nested
 * `docker run --cap-add X` works only for X in SANDBOX_CAPABILITIES; `--privileged` inside fails.
 */
export const SANDBOX_CAPABILITIES_NOT_GRANTED: readonly string[] = [
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'SYSLOG',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'AUDIT_CONTROL',
  'AUDIT_READ',
  'BPF',
  'PERFMON',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'SYS_RESOURCE',
  'SYS_NICE',
  'SYS_PACCT',
  'SYS_TTY_CONFIG',
  'DAC_READ_SEARCH',
  'IPC_LOCK',
  'IPC_OWNER',
  'LEASE',
  'LINUX_IMMUTABLE',
  'NET_BROADCAST',
  'CHECKPOINT_RESTORE',
];

/**
 * Character devices the sandbox (and so its nested containers) may use: exactly the set Docker
 * allows a normal container, since the nested runc writes these same rules into each nested
 * container's device cgroup and cgroup v1 refuses a child rule its parent lacks. Docker's engine
 * adds these by default too; they are listed so the sandbox does not depend on that. No block
 * devices (a sandbox must not read the host's disks, loop or zram devices), no /dev/mem, /dev/kmsg,
 * /dev/fuse (nested overlay2 runs on the /var/lib/docker volume, so fuse-overlayfs is not used).
 * Docker itself also keeps "c *:* m" and "b *:* m" (mknod only, never open) for every container.
 */
export const SANDBOX_DEVICE_CGROUP_RULES: readonly string[] = [
  'c 1:3 rwm', // /dev/null
  'c 1:5 rwm', // /dev/zero
  'c 1:7 rwm', // /dev/full
  'c 1:8 rwm', // /dev/random
  'c 1:9 rwm', // /dev/urandom
  'c 5:0 rwm', // /dev/tty
  'c 5:1 rwm', // /dev/console
  'c 5:2 rwm', // /dev/ptmx: terminals of `docker run -t` / `docker exec -t` inside
  'c 136:* rwm', // /dev/pts/*: the same terminals
  'c 10:200 rwm', // /dev/net/tun: in Docker's default set, so nested runc asks for it
];

/** errno values for the seccomp rules below. */
const EPERM = 1;
const ENOSYS = 38;

/**
 * The sandbox's seccomp profile: allow by default (nested runc, dockerd, containerd and buildkit
 * need mount, unshare, setns, pivot_root, clone with namespace flags, seccomp, ...), deny a list of
 * syscalls that reach host-wide kernel state or are a common kernel attack surface. Nested
 * containers still get the nested dockerd's own default profile on top of this one.
 *
 * Docker's default profile cannot be used: it denies keyctl with EPERM, and runc then refuses to
 * start any nested container ("unable to join session keyring"). Here keyctl answers ENOSYS, which
 * runc treats as "keyrings not supported" and carries on; that keeps the sandbox away from the
 * host root user's keyrings (keyrings are not namespaced without a user namespace).
 */
export const SANDBOX_SECCOMP_PROFILE = {
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [
    {
      // Kernel keyrings: shared with the host's root user. ENOSYS so runc skips its session keyring.
      names: ['keyctl', 'add_key', 'request_key'],
      action: 'SCMP_ACT_ERRNO',
      errnoRet: ENOSYS,
    },
    {
      names: [
        // Loading code into the running kernel (CAP_SYS_MODULE / CAP_SYS_BOOT are not granted either).
        'init_module',
        'finit_module',
        'delete_module',
        'kexec_load',
        'kexec_file_load',
        // Opening host files by handle: the "shocker" escape (CAP_DAC_READ_SEARCH is not granted).
        'open_by_handle_at',
        // Large kernel attack surfaces nested Docker does not use.
        'bpf',
        'perf_event_open',
        'userfaultfd',
        'io_uring_setup',
        'io_uring_enter',
        'io_uring_register',
        // Host-wide state CAP_SYS_ADMIN would otherwise reach: process accounting, swap, quotas,
        // the kernel log (syslog(2) accepts CAP_SYS_ADMIN in place of CAP_SYSLOG).
        'acct',
        'swapon',
        'swapoff',
        'quotactl',
        'syslog',
        'vhangup',
        // The host clock (CAP_SYS_TIME is not granted either).
        'settimeofday',
        'clock_settime',
        'clock_adjtime',
        'stime',
        // Obsolete or raw-hardware calls.
        'lookup_dcookie',
        'uselib',
        'nfsservctl',
        'iopl',
        'ioperm',
      ],
      action: 'SCMP_ACT_ERRNO',
      errnoRet: EPERM,
    },
  ],
} as const;

/**
 * HostConfig fields for a sandbox container. The server spreads this into its own HostConfig and
 * adds Binds/Mounts (a named volume at /var/lib/docker: overlay on overlay does not work),
 * NetworkMode, resource limits and the like.
 */
export function sandboxHostConfig(): SandboxHostConfig {
  return {
    // Never privileged: it fails on this VM (CAP_SYS_RESOURCE is outside its bounding set), and it
    // is how the retired Play-with-Docker was escaped (a kernel module loaded from an instance).
    Privileged: false,
    // Start from nothing and grant exactly SANDBOX_CAPABILITIES (see there for why each).
    CapDrop: ['ALL'],
    CapAdd: [...SANDBOX_CAPABILITIES],
    // A private cgroup namespace: the sandbox sees its own cgroup as the root, so playground-init can
    // mount writable cgroup v1 hierarchies (its subtree only) and nested containers nest below it,
    // inside the sandbox's own limits. Required: without it nested `docker run` fails with
    // "mkdir /sys/fs/cgroup/cpuset/docker: read-only file system".
    CgroupnsMode: 'private',
    SecurityOpt: [
      // See SANDBOX_SECCOMP_PROFILE: Docker's default profile breaks runc inside.
      `seccomp=${JSON.stringify(SANDBOX_SECCOMP_PROFILE)}`,
      // Docker's AppArmor profile (on hosts that have AppArmor) denies mount(2), which nested
      // Docker needs everywhere. A no-op on hosts without AppArmor, like this one.
      'apparmor=unconfined',
      // Deliberately NOT systempaths=unconfined: /proc/kcore, /proc/keys, /sys/firmware etc. stay
      // masked and /proc/sys stays read-only; playground-init makes only /proc/sys/net writable
      // (namespaced: the sandbox's own network sysctls, which the nested dockerd sets).
    ],
    DeviceCgroupRules: [...SANDBOX_DEVICE_CGROUP_RULES],
    // The image's root stays read-only: nothing a sandbox writes may land on the host's disk.
    // playground-init moves the sandbox into an overlay of it whose writes go to the instance's
    // own size-limited disk (the volume at /var/lib/docker), so /root, /tmp, /etc, /var and the
    // nested engine's state all count against SANDBOX_DISK.
    ReadonlyRootfs: true,
    // tini in the image is PID 1 already.
    Init: false,
  };
}
