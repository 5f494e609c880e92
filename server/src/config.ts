import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMaxTotalInstances } from './admission/admission';
import { parseTrustedProxies } from './admission/client-key';
import { parseAllowedHosts } from './http/host-allow-list';
import { parseEgressAllow, parseEgressPolicy, type EgressPolicy } from './firewall/egress-rules';
import { parseDuration } from './duration';
import type { LogFormat } from './log';
import { DEFAULT_DISK_DIR } from './sandbox/instance-disks';
import { DEFAULT_SECRET_FILE } from './secrets/server-secret';
import type { StackLinkPolicy } from './stacks/stack-source';
import { DEFAULT_SESSION_SUBNET_PREFIX, DEFAULT_SESSION_SUBNETS, parseCidr, type Cidr } from './addresses/subnet-pool';
import { DEFAULT_CACHE_UPSTREAM, parseCacheUpstream, type RegistryCacheSettings } from './docker/registry-cache';
import { parseCpus, parseDiskSize, parseMemory, parsePids, SANDBOX_LIMIT_DEFAULTS, type SandboxLimits } from './sandbox/sandbox-limits';

/** Everything the server can be told, read once from the environment and validated. */
export interface Config {
  /** HTTP port (PORT, default 8080). */
  port: number;
  /** Address to listen on (HOST, default 127.0.0.1; 0.0.0.0 to serve a LAN workshop). */
  host: string;
  /** How long a session lives (SESSION_TTL, default 4h). */
  sessionTtlMs: number;
  /** What one "Extend" adds to a session (SESSION_EXTEND, default 30m). */
  sessionExtendMs: number;
  /** The longest a session may last, extensions included (SESSION_MAX_TTL, default twice SESSION_TTL). */
  sessionMaxTtlMs: number;
  /** How long before the end the page warns and offers to extend (SESSION_WARNING, default 10m; at most half the TTL). */
  sessionWarningMs: number;
  /** How often the reaper looks for expired sessions (REAPER_INTERVAL, default 5s). */
  reaperIntervalMs: number;
  /** Docker endpoint (DOCKER_HOST: unix:///path or tcp://host:port); undefined = /var/run/docker.sock. */
  dockerHost: string | undefined;
  /** Sandbox image reference (SANDBOX_IMAGE); undefined = the tag derived from sandbox/'s content. */
  sandboxImage: string | undefined;
  /** Where the built client lives (STATIC_DIR, default dist/client). */
  staticDir: string;
  /** The repository root, for image definitions. */
  repoRoot: string;
  /** Largest accepted HTTP request body, bytes. */
  maxBodyBytes: number;
  /** Largest stdout or stderr returned by the exec API, bytes each. */
  execMaxOutputBytes: number;
  /** Bytes of recent terminal output kept per terminal for reconnects (TERMINAL_SCROLLBACK, default 256 KiB). */
  terminalScrollbackBytes: number;
  /** How long a new instance may take to have a working Docker inside (SANDBOX_READY_TIMEOUT, default 60s). */
  sandboxReadyTimeoutMs: number;
  /** Sandboxes kept started ahead of need (WARM_POOL; default one per 8 GiB of memory, at most 4). */
  warmPoolSize: number;
  /** A warm sandbox unclaimed this long is replaced (WARM_POOL_MAX_IDLE, default 10m). */
  warmPoolMaxIdleMs: number;
  /**
   * Limits of each sandbox, its nested containers included: SANDBOX_MEMORY (default 2g, no swap),
   * SANDBOX_CPUS (default 1), SANDBOX_PIDS (default 1024); 0 = no limit. See sandbox/sandbox-limits.ts.
   */
  sandboxLimits: SandboxLimits;
  /** Size of each sandbox's file system for nested Docker's data (SANDBOX_DISK, default 10g; 0 = unlimited). */
  sandboxDiskBytes: number;
  /** Where the sandboxes' disk images live (SANDBOX_DISK_DIR). */
  sandboxDiskDir: string;
  /**
   * How many times the free space the disks' unused sizes may add up to (SANDBOX_DISK_OVERCOMMIT,
   * default 40; 1: strict). Idle sandboxes' sparse disks hold ~100 MB of their 10 GiB: 40 lets a
   * class of 200 start on a machine with ~80 GB free, and a new disk's whole size must still be free.
   */
  sandboxDiskOvercommit: number;
  /** SANDBOX_USERNS: 'required' (default) refuses an engine without userns-remap; 'off' allows it. */
  userNamespaces: 'required' | 'off';
  /** Instances one session may have at once (MAX_INSTANCES, default 5). */
  maxInstancesPerSession: number;
  /** People who may wait in line for a place when the machine is full (WAITING_LINE, default 500; 0: no line, a 503 at once). */
  waitingLineMax: number;
  /** Memory kept free: no new Docker host starts while less than this is available (MEMORY_RESERVE, default 10% of memory). */
  memoryReserveBytes: number;
  /** Sessions at once (MAX_SESSIONS; default = maxTotalInstances). Over it, new sessions get 503. */
  maxSessions: number;
  /** Docker hosts of all sessions at once (MAX_TOTAL_INSTANCES; default sized from memory, see admission.ts). */
  maxTotalInstances: number;
  /** New sessions per client address per minute, bursts included (SESSION_RATE_LIMIT, default 20; 0 = off). */
  sessionRatePerMinute: number;
  /** Sessions one client (an IPv4 address, an IPv6 /64) may have at once (MAX_SESSIONS_PER_CLIENT, default 3; 0 = off). */
  maxSessionsPerClient: number;
  /** Reverse proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES: addresses or CIDRs, comma-separated). */
  trustedProxies: string[];
  /** Host names the page is served under besides localhost and HOST (ALLOWED_HOSTS, comma-separated); others get 421. */
  allowedHosts: string[];
  /** Where the installed workshops live (WORKSHOPS_DIR, default workshops/ in the repository). */
  workshopsDir: string;
  /** Where stack links (/?stack=<URL>) may fetch compose files from (STACK_LINKS: public, any or off; default public). */
  stackLinks: StackLinkPolicy;
  /** Largest file upload into an instance (UPLOAD_MAX_BYTES, default 100 MB). */
  uploadMaxBytes: number;
  /** Disk all saved sessions may take together (SAVE_QUOTA, default 20g; 0 turns saving off). */
  saveQuotaBytes: number;
  /** How long a saved session is kept (SAVE_TTL, default 7d). */
  saveTtlMs: number;
  /** Where saved sessions are kept (SAVED_DIR, default saved/<PLAYGROUND_NAME> beside SECRET_FILE). */
  savedDir: string | undefined;
  /** Host names of host-form port previews end in this (PUBLIC_HOST, default localhost). */
  publicHost: string;
  /** Origins besides the server's own allowed to use the API from a browser (ALLOWED_ORIGINS, comma-separated). */
  allowedOrigins: string[];
  /** What sandboxes may reach outside their session (EGRESS_POLICY: internet, none, off; default internet). */
  egressPolicy: EgressPolicy;
  /** Extra IPv4 destinations sandboxes may reach (EGRESS_ALLOW, comma-separated addresses or CIDRs). */
  egressAllow: string[];
  /**
   * The pull-through cache sandboxes try after the mirror (REGISTRY_CACHE: an upstream URL, default
   * Docker Hub's, or off; REGISTRY_CACHE_USERNAME and REGISTRY_CACHE_PASSWORD log in to it).
   */
  registryCache: RegistryCacheSettings | undefined;
  /** Size of the pull-through cache's file system (REGISTRY_CACHE_DISK, default 20g; 0 or SANDBOX_DISK=0: unlimited). */
  registryCacheDiskBytes: number;
  /** The file holding the server's secret, made on first start (SECRET_FILE; see secrets/server-secret.ts). */
  secretFile: string;
  // Operations: metrics and log format.
  /** GET /metrics in the Prometheus format (METRICS: on or off, default on; off: /metrics is 404). */
  metrics: boolean;
  /** LOG_FORMAT: text (one readable line per event, default) or json (pino's JSON lines). */
  logFormat: LogFormat;
  /** The IPv4 range session networks are carved from (SESSION_SUBNETS, default 10.89.0.0/16; README: "Addresses"). */
  sessionSubnets: Cidr;
  /** The size of each session's subnet (SESSION_SUBNET_PREFIX, default 26: 62 addresses). */
  sessionSubnetPrefix: number;
  /**
   * This playground's name on a shared engine (PLAYGROUND_NAME, default "default"): it labels what
   * the server creates, and the server adopts, sweeps and counts only what carries its own name.
   */
  playgroundName: string;
  /**
   * This machine's name in a cluster (NODE_NAME, default the host name): every session names the
   * node that holds it (`node` in GET /api/sessions/{id}), and a front shows each node by it.
   */
  nodeName: string;
}

/** One warm sandbox per 8 GiB of memory, 1 to 4: enough for a burst, cheap when idle (~40 MiB each). */
export function defaultWarmPoolSize(totalMemoryBytes: number): number {
  return Math.min(4, Math.max(1, Math.floor(totalMemoryBytes / (8 * 1024 ** 3))));
}

const repoRootDefault = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function integerFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}=${raw} is invalid: expected a whole number from ${min} to ${max}`);
  }
  return value;
}

function durationFrom(env: NodeJS.ProcessEnv, name: string, fallback: string, minMs: number): number {
  const raw = env[name] || fallback;
  let ms: number;
  try {
    ms = parseDuration(raw);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  if (ms < minMs) throw new Error(`${name}=${raw} is too short: at least ${minMs} ms`);
  return ms;
}

/** A node's name: what a host name may hold, so it reads the same in logs, metrics and the API. */
export function parseNodeName(text: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(text)) return text;
  throw new Error('expected 1 to 63 letters, digits, dots, dashes and underscores');
}

function limitFrom<T>(env: NodeJS.ProcessEnv, name: string, fallback: string, parse: (text: string) => T): T {
  const raw = env[name] || fallback;
  try {
    return parse(raw);
  } catch (error) {
    throw new Error(`${name}=${raw} is invalid: ${(error as Error).message}`);
  }
}

function registryCacheFrom(env: NodeJS.ProcessEnv): RegistryCacheSettings | undefined {
  const upstream = limitFrom(env, 'REGISTRY_CACHE', DEFAULT_CACHE_UPSTREAM, parseCacheUpstream);
  if (!upstream) return undefined;
  const username = env.REGISTRY_CACHE_USERNAME || undefined;
  const password = env.REGISTRY_CACHE_PASSWORD || undefined;
  if (Boolean(username) !== Boolean(password)) {
    throw new Error('REGISTRY_CACHE_USERNAME and REGISTRY_CACHE_PASSWORD go together: set both or neither');
  }
  return { upstream, ...(username ? { username, password } : {}) };
}

function subnetsFrom(env: NodeJS.ProcessEnv): { sessionSubnets: Cidr; sessionSubnetPrefix: number } {
  const sessionSubnets = limitFrom(env, 'SESSION_SUBNETS', DEFAULT_SESSION_SUBNETS, (text) => {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error('expected an IPv4 network such as 10.89.0.0/16 (no host bits set)');
    return cidr;
  });
  const sessionSubnetPrefix = integerFrom(env, 'SESSION_SUBNET_PREFIX', DEFAULT_SESSION_SUBNET_PREFIX, 16, 28);
  if (sessionSubnetPrefix < sessionSubnets.prefix) {
    throw new Error(`SESSION_SUBNET_PREFIX=${sessionSubnetPrefix} is larger than the whole of SESSION_SUBNETS (/${sessionSubnets.prefix})`);
  }
  return { sessionSubnets, sessionSubnetPrefix };
}

/** Reads the configuration; throws an Error whose message names the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dockerHost = env.DOCKER_HOST || undefined;
  if (dockerHost && !/^(unix|tcp|http):\/\//.test(dockerHost)) {
    throw new Error(`DOCKER_HOST=${dockerHost} is not supported: use unix:///path/docker.sock or tcp://host:port`);
  }
  const repoRoot = env.PLAYGROUND_ROOT || repoRootDefault;
  const sessionTtlMs = durationFrom(env, 'SESSION_TTL', '4h', 5_000);
  const maxTotalInstances = integerFrom(env, 'MAX_TOTAL_INSTANCES', defaultMaxTotalInstances(os.totalmem()), 1, 100_000);
  return {
    port: integerFrom(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    sessionTtlMs,
    sessionExtendMs: durationFrom(env, 'SESSION_EXTEND', '30m', 1_000),
    sessionMaxTtlMs: Math.max(sessionTtlMs, env.SESSION_MAX_TTL ? durationFrom(env, 'SESSION_MAX_TTL', '', 5_000) : 2 * sessionTtlMs),
    sessionWarningMs: durationFrom(env, 'SESSION_WARNING', '10m', 0),
    reaperIntervalMs: durationFrom(env, 'REAPER_INTERVAL', '5s', 200),
    dockerHost,
    sandboxImage: env.SANDBOX_IMAGE || undefined,
    staticDir: env.STATIC_DIR || path.join(repoRoot, 'dist', 'client'),
    repoRoot,
    maxBodyBytes: 64 * 1024,
    execMaxOutputBytes: 1024 * 1024,
    terminalScrollbackBytes: integerFrom(env, 'TERMINAL_SCROLLBACK', 256 * 1024, 0, 64 * 1024 * 1024),
    sandboxReadyTimeoutMs: durationFrom(env, 'SANDBOX_READY_TIMEOUT', '60s', 1_000),
    warmPoolSize: integerFrom(env, 'WARM_POOL', defaultWarmPoolSize(os.totalmem()), 0, 100),
    warmPoolMaxIdleMs: durationFrom(env, 'WARM_POOL_MAX_IDLE', '10m', 1_000),
    sandboxLimits: {
      memoryBytes: limitFrom(env, 'SANDBOX_MEMORY', SANDBOX_LIMIT_DEFAULTS.memory, parseMemory),
      cpus: limitFrom(env, 'SANDBOX_CPUS', SANDBOX_LIMIT_DEFAULTS.cpus, parseCpus),
      pids: limitFrom(env, 'SANDBOX_PIDS', SANDBOX_LIMIT_DEFAULTS.pids, parsePids),
    },
    sandboxDiskBytes: limitFrom(env, 'SANDBOX_DISK', SANDBOX_LIMIT_DEFAULTS.disk, parseDiskSize),
    sandboxDiskDir: env.SANDBOX_DISK_DIR || DEFAULT_DISK_DIR,
    sandboxDiskOvercommit: integerFrom(env, 'SANDBOX_DISK_OVERCOMMIT', 40, 1, 1000),
    userNamespaces: limitFrom(env, 'SANDBOX_USERNS', 'required', (text) => {
      if (text === 'required' || text === 'off') return text;
      throw new Error('expected required or off');
    }),
    maxInstancesPerSession: integerFrom(env, 'MAX_INSTANCES', 5, 1, 50),
    maxSessions: integerFrom(env, 'MAX_SESSIONS', maxTotalInstances, 1, 100_000),
    maxTotalInstances,
    waitingLineMax: integerFrom(env, 'WAITING_LINE', 500, 0, 100_000),
    memoryReserveBytes: env.MEMORY_RESERVE ? limitFrom(env, 'MEMORY_RESERVE', '', parseMemory) : Math.round(os.totalmem() * 0.1),
    sessionRatePerMinute: integerFrom(env, 'SESSION_RATE_LIMIT', 20, 0, 100_000),
    maxSessionsPerClient: integerFrom(env, 'MAX_SESSIONS_PER_CLIENT', 3, 0, 100_000),
    trustedProxies: limitFrom(env, 'TRUSTED_PROXIES', '', parseTrustedProxies),
    allowedHosts: limitFrom(env, 'ALLOWED_HOSTS', '', parseAllowedHosts),
    egressPolicy: limitFrom(env, 'EGRESS_POLICY', 'internet', parseEgressPolicy),
    egressAllow: limitFrom(env, 'EGRESS_ALLOW', '', parseEgressAllow),
    registryCache: registryCacheFrom(env),
    secretFile: env.SECRET_FILE || DEFAULT_SECRET_FILE,
    ...subnetsFrom(env),
    playgroundName: limitFrom(env, 'PLAYGROUND_NAME', 'default', (text) => {
      if (/^[a-z0-9][a-z0-9-]{0,31}$/.test(text)) return text;
      throw new Error('expected 1 to 32 lower-case letters, digits and dashes');
    }),
    nodeName: limitFrom(env, 'NODE_NAME', os.hostname(), parseNodeName),
    registryCacheDiskBytes: limitFrom(env, 'REGISTRY_CACHE_DISK', '20g', parseDiskSize),
    workshopsDir: env.WORKSHOPS_DIR || path.join(repoRoot, 'workshops'),
    stackLinks: limitFrom(env, 'STACK_LINKS', 'public', (text): StackLinkPolicy => {
      if (text === 'public' || text === 'any' || text === 'off') return text;
      throw new Error('expected public, any or off');
    }),
    uploadMaxBytes: integerFrom(env, 'UPLOAD_MAX_BYTES', 100_000_000, 1, 10 * 1024 ** 3),
    saveQuotaBytes: limitFrom(env, 'SAVE_QUOTA', '20g', parseDiskSize),
    saveTtlMs: durationFrom(env, 'SAVE_TTL', '7d', 1_000),
    savedDir: env.SAVED_DIR || undefined,
    publicHost: (env.PUBLIC_HOST || 'localhost').toLowerCase(),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    // Operations: metrics and log format.
    metrics: limitFrom(env, 'METRICS', 'on', (text) => {
      if (text === 'on' || text === 'off') return text === 'on';
      throw new Error('expected on or off');
    }),
    logFormat: limitFrom(env, 'LOG_FORMAT', 'text', (text): LogFormat => {
      if (text === 'text' || text === 'json') return text;
      throw new Error('expected text or json');
    }),
  };
}
