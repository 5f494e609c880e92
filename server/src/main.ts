import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Admission } from './admission/admission';
import { EventService } from './events/event-service';
import { listSwarmMembers, type SwarmMember } from './docker/swarm-members';
import { RateLimiter } from './admission/rate-limiter';
import { trustedProxyList } from './admission/client-key';
import { hostMemoryAvailable } from './admission/host-memory';
import { hostAllowList, type HostAllowList } from './http/host-allow-list';
import { previewDomainWarning } from './proxy/preview-domain';
import { systemClock, type Clock } from './clock';
import { loadConfig, type Config } from './config';
import { formatDuration } from './duration';
import { IptablesSessionFirewall, noFirewall, type SessionFirewall } from './firewall/session-firewall';
import { createHttpServer } from './http/http-server';
import { HealthCheck } from './http/health';
import { createLogger, type Logger } from './log';
import { PlaygroundMetrics } from './metrics/playground-metrics';
import { CloseCode } from './protocol/terminal-protocol';
import { collisions, hostNetworks } from './addresses/host-networks';
import { SubnetAllocator } from './addresses/subnet-allocator';
import { formatCidr } from './addresses/subnet-pool';
import { FileService } from './files/file-service';
import { WorkshopCatalog } from './workshops/workshop-catalog';
import { WorkshopService } from './workshops/workshop-service';
import { PortWatcher } from './ports/port-watcher';
import { PreviewRouter } from './proxy/preview-router';
import { Reaper } from './reaper/reaper';
import { InstanceDisks } from './sandbox/instance-disks';
import { createDockerDriver, type HostDuties } from './docker/create-docker-driver';
import type { SandboxDriver } from './sandbox/driver';
import { loadOrCreateServerSecret } from './secrets/server-secret';
import { RegistryPasswords } from './sessions/registry-credentials';
import { ExpiryStore } from './sessions/expiry-store';
import { SessionService } from './sessions/session-service';
import { WaitingRoom } from './admission/waiting-room';
import { startAdmitted, type StartRequest } from './http/session-start';
import { WarmPool } from './sessions/warm-pool';
import { ScreenStore } from './terminal/screen-store';
import { TerminalRegistry } from './terminal/terminal-registry';
import { SavedStore } from './saved/saved-store';
import { SessionSaving } from './saved/session-saving';
import type { SlotReservation } from './admission/reservation';
import { loadFrontConfig, type FrontConfig } from './front/front-config';
import { startFront } from './front/start-front';

export interface Playground {
  /** http://host:port of the running server. */
  url: string;
  port: number;
  sessions: SessionService;
  driver: SandboxDriver;
  reaper: Reaper;
  pool: WarmPool;
  /** Visitors waiting for room (the tests read its length). */
  waitingRoom: { readonly length: number };
  /** Classes (the tests run a round of background checks). */
  events: EventService;
  /** Saved sessions (the tests sweep expired ones). */
  saving: SessionSaving;
  /** Stops serving. Removes the warm pool's sandboxes. With removeSessions, also removes every session this server created. */
  close(options?: { removeSessions?: boolean }): Promise<void>;
}

export interface PlaygroundOverrides {
  clock?: Clock;
  logger?: Logger;
  /**
   * The way into Docker. Default: the Docker driver on DOCKER_HOST, with this host's firewall,
   * disks and address plan. A fake (sandbox/fake-driver.ts) runs the HTTP API, the terminal
   * protocol, admission and the reaper with no engine at all.
   */
  driver?: SandboxDriver;
  /** The swarm's members (GET /api/node/swarm). Default: read from DOCKER_HOST's engine. */
  swarmMembers?: () => Promise<SwarmMember[]>;
}

/** The only place objects are built and wired: config -> driver -> sessions -> reaper -> http. */
export async function startPlayground(config: Config, overrides: PlaygroundOverrides = {}): Promise<Playground> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.logFormat);
  const registryPasswords = new RegistryPasswords(await loadOrCreateServerSecret(config.secretFile));
  const driver = overrides.driver ?? (await createDockerDriver(config, logger, await hostDuties(config, logger, registryPasswords)));
  // Screens of the shells, kept beside the secret like the expiries: a restart replays them.
  const screens = await ScreenStore.open(path.join(path.dirname(config.secretFile), 'screens', config.playgroundName));
  const terminals = new TerminalRegistry(driver, config.terminalScrollbackBytes, screens);
  const pool = new WarmPool({
    driver,
    clock,
    logger,
    size: config.warmPoolSize,
    sessionTtlMs: config.sessionTtlMs,
    maxIdleMs: config.warmPoolMaxIdleMs,
    readyTimeoutMs: config.sandboxReadyTimeoutMs,
    // The shell starts with the slot; its prompt waits in the scrollback for the first socket.
    prepare: async (slot) => {
      await terminals.open(slot.key, 'node1', slot.instance.containerId);
    },
  });
  const sessions = new SessionService({
    driver,
    pool,
    clock,
    logger,
    sessionTtlMs: config.sessionTtlMs,
    readyTimeoutMs: config.sandboxReadyTimeoutMs,
    execMaxOutputBytes: config.execMaxOutputBytes,
    maxInstances: config.maxInstancesPerSession,
    nodeName: config.nodeName,
    registryPasswords,
    expiries: await ExpiryStore.open(path.join(path.dirname(config.secretFile), 'sessions', `${config.playgroundName}.json`)),
    extension: { stepMs: config.sessionExtendMs, maxTtlMs: config.sessionMaxTtlMs, warnBeforeMs: config.sessionWarningMs },
  });
  sessions.terminalNumbers = (key, name) => terminals.numbersOf(key, name);
  sessions.onInstanceRemoved((key, name) => terminals.closeInstance(key, name, CloseCode.instanceRemoved, 'instance deleted'));
  sessions.onInstanceRestarting((key, name) => terminals.closeInstance(key, name, CloseCode.instanceRestarting, 'instance restarting'));
  sessions.onSessionEnded((key) => terminals.closeSession(key, CloseCode.sessionEnded, 'session ended'));

  const reaper = new Reaper({
    driver,
    sessions,
    clock,
    logger,
    intervalMs: config.reaperIntervalMs,
    sweepEveryTicks: Math.max(1, Math.round(60_000 / config.reaperIntervalMs)),
    pool,
    // A slot is replaced at maxIdle, checked at most every minute; twice that is surely a leftover.
    pooledMaxAgeMs: 2 * config.warmPoolMaxIdleMs + 120_000,
    owner: config.playgroundName,
  });
  try {
    const swept = await reaper.sweepAtStartup();
    const disks = await driver.sweepOrphanDisks();
    await sessions.forgetEndedExpiries();
    await terminals.retainScreensOf(new Set(sessions.list().map((session) => session.key)));
    logger.info('start-up sweep done', { ...swept, disks });
  } catch (error) {
    // The engine may come up later; health reports it, and the periodic sweep catches up.
    logger.warn('start-up sweep skipped', { error: (error as Error).message });
  }
  reaper.start();
  terminals.startSaving();
  const ports = new PortWatcher({ driver, sessions, logger, intervalMs: 1_000 });
  ports.start();
  // Filled after the sweep, so the sweep never sees this server's own slots half-made.
  pool.start();

  const health = new HealthCheck(driver);
  const admission = new Admission({
    maxSessions: config.maxSessions,
    maxTotalInstances: config.maxTotalInstances,
    maxSessionsPerClient: config.maxSessionsPerClient,
    rateLimiter: new RateLimiter(config.sessionRatePerMinute, clock),
    usage: () => sessions.usage(),
    memoryAvailable: hostMemoryAvailable,
    memoryReserveBytes: config.memoryReserveBytes,
  });
  // A session's client may start another once it ends.
  sessions.onSessionEnded((key) => admission.sessionEnded(key));
  // Gauges read the services at scrape time; METRICS=off leaves /metrics unserved.
  const workshops = new WorkshopService(new WorkshopCatalog(config.workshopsDir), sessions, driver, logger);
  // Saved sessions, kept beside the secret like the expiries (or in SAVED_DIR): only files, no sandbox.
  const savedDir = config.savedDir ?? path.join(path.dirname(config.secretFile), 'saved', config.playgroundName);
  const saving = new SessionSaving(new SavedStore(savedDir, config.saveQuotaBytes, config.saveTtlMs, clock), sessions, driver, logger);
  const startContext = { sessions, workshops, maxBodyBytes: config.maxBodyBytes, stackLinks: config.stackLinks, saving };
  // Saved sessions past SAVE_TTL go within a minute (a link to one answers 404 from its expiry on).
  const sweepSaved = () => void saving.sweep().catch((error: Error) => logger.warn('saved sessions not swept', { error: error.message }));
  sweepSaved();
  const savedSweeper = setInterval(sweepSaved, 60_000);
  savedSweeper.unref();
  // A full machine puts visitors in line: their sessions start by themselves as room frees.
  const waitingRoom = new WaitingRoom<StartRequest>({
    maxLength: config.waitingLineMax,
    clock,
    logger,
    idleMs: 60_000,
    admit: (client, wanted) => admission.admitSession(client, wanted.instances),
    start: (reservation, wanted) => startAdmitted(startContext, reservation, wanted),
    close: (id) => sessions.close(id),
    expiries: () => sessions.list().map((session) => session.expiresAt),
  });
  waitingRoom.start(2_000);
  // A class's session of its workshop, admitted as `admit` says.
  const startWorkshopSession = async (name: string, admit: (instances: number) => SlotReservation): Promise<string> => {
    const workshop = await workshops.get(name);
    const id = await startAdmitted(startContext, admit(workshop.instances), { workshop, instances: workshop.instances });
    await sessions.handedOver(id);
    return id;
  };
  // Classes, kept beside the expiries: a restart keeps sessions, so it keeps the classes they sit in.
  const events = await EventService.open({
    sessions,
    workshops,
    clock,
    logger,
    file: path.join(path.dirname(config.secretFile), 'events', `${config.playgroundName}.json`),
    startSession: (client, name) => startWorkshopSession(name, (instances) => admission.admitSession(client, instances)),
    // A seat nobody took yet: the playground's caps, not a visitor's (nobody asked yet).
    startSeat: (code, name) => startWorkshopSession(name, (instances) => admission.admitAhead(`class:${code}`, instances)),
  });
  // Learners who work without pressing Check still show up in the cockpit.
  events.start(60_000);
  const metrics = config.metrics
    ? new PlaygroundMetrics({ usage: () => sessions.usage(), warmPoolReady: () => pool.readyCount, waitingLine: () => waitingRoom.length })
    : undefined;
  const hosts = servedHosts(config);
  const previewWarning = previewDomainWarning(config.publicHost, [...hosts.names]);
  if (previewWarning) logger.warn(previewWarning);
  const http = createHttpServer({
    sessions,
    admission,
    hosts,
    trustedProxies: trustedProxyList(config.trustedProxies),
    allowedOrigins: config.allowedOrigins,
    previews: new PreviewRouter(sessions, config.publicHost),
    workshops,
    waitingRoom,
    files: new FileService({ sessions, driver, uploadMaxBytes: config.uploadMaxBytes }),
    health,
    terminals,
    logger,
    metrics,
    staticDir: config.staticDir,
    maxBodyBytes: config.maxBodyBytes,
    stackLinks: config.stackLinks,
    saving,
    events,
    // A front deployed as a Swarm service has no Docker socket: it asks a node on a manager.
    swarmMembers: overrides.swarmMembers ?? (() => listSwarmMembers(config.dockerHost)),
  });
  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(config.port, config.host, () => resolve());
  });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info('playground serving', { url, sessionTtl: formatDuration(config.sessionTtlMs) });

  return {
    url,
    port,
    sessions,
    driver,
    reaper,
    pool,
    waitingRoom,
    events,
    saving,
    async close(options = {}) {
      ports.stop();
      clearInterval(savedSweeper);
      waitingRoom.stop();
      events.stop();
      await reaper.stop();
      await pool.stop();
      await terminals.closeAll(CloseCode.serverShutdown, 'server shutting down');
      await http.close();
      if (options.removeSessions) await sessions.closeAllCreated();
    },
  };
}

/** The host names the playground answers (anything else is 421): see http/host-allow-list.ts. */
function servedHosts(config: Config): HostAllowList {
  const interfaceAddresses = Object.values(os.networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
  return hostAllowList({
    listenHost: config.host,
    interfaceAddresses,
    allowedOrigins: config.allowedOrigins,
    allowedHosts: config.allowedHosts,
    publicHost: config.publicHost,
  });
}

/** The host's part of running sandboxes: the egress firewall, the instance disks, the address plan. */
async function hostDuties(config: Config, logger: Logger, registryPasswords: RegistryPasswords): Promise<HostDuties> {
  return {
    firewall: await installFirewall(config, logger),
    disks: new InstanceDisks(config.sandboxDiskDir, config.sandboxDiskBytes, config.sandboxDiskOvercommit),
    subnets: await sessionSubnets(config),
    registryPasswordOf: (key) => registryPasswords.passwordOf(key),
  };
}

/**
 * The address plan: SESSION_SUBNETS must not overlap any network this host is on or routes to (its
 * LAN, a VPN, Docker's own bridges), or sandboxes would shadow real machines. Refuses to start if so.
 */
async function sessionSubnets(config: Config): Promise<SubnetAllocator> {
  const clashes = collisions(config.sessionSubnets, await hostNetworks());
  if (clashes.length > 0) {
    throw new Error(
      `SESSION_SUBNETS=${formatCidr(config.sessionSubnets)} overlaps networks this host uses (${clashes.join(', ')}): ` +
        'set SESSION_SUBNETS to a private range nothing here uses (README: "Addresses").',
    );
  }
  return new SubnetAllocator(config.sessionSubnets, config.sessionSubnetPrefix);
}

/** The egress firewall of EGRESS_POLICY, or a clear error saying how to run without it. */
async function installFirewall(config: Config, logger: Logger): Promise<SessionFirewall> {
  if (config.egressPolicy === 'off') {
    logger.warn('egress firewall off (EGRESS_POLICY=off): sandboxes can reach the host and its networks');
    return noFirewall;
  }
  try {
    return await IptablesSessionFirewall.install(config.egressPolicy, config.egressAllow, logger);
  } catch (error) {
    throw new Error(
      `EGRESS_POLICY=${config.egressPolicy} needs iptables, run as root: ${(error as Error).message}. ` +
        'Run the server as root, or set EGRESS_POLICY=off on a machine where only trusted people use it.',
    );
  }
}

async function runFromCommandLine(): Promise<void> {
  if (process.env.ROLE === 'front') return runFrontFromCommandLine();
  if (process.env.ROLE && process.env.ROLE !== 'node') {
    console.error(`Configuration error: ROLE=${process.env.ROLE} is invalid: expected node (the default: the whole playground on this machine) or front`);
    process.exit(2);
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(`Configuration error: ${(error as Error).message}`);
    process.exit(2);
  }
  const logger = createLogger(config.logFormat);
  const playground = await startPlayground(config, { logger });
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    // Sessions stay on the engine: a restarted server adopts them (their labels say whose they are).
    playground.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** ROLE=front: a front for the nodes in NODES (docs/cluster.md). */
async function runFrontFromCommandLine(): Promise<void> {
  let config: FrontConfig;
  try {
    config = loadFrontConfig();
  } catch (error) {
    console.error(`Configuration error: ${(error as Error).message}`);
    process.exit(2);
  }
  const logger = createLogger(config.logFormat);
  const front = await startFront(config, { logger });
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    front.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runFromCommandLine().catch((error: Error) => {
    console.error(`The playground could not start: ${error.message}`);
    process.exit(1);
  });
}
