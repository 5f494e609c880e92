// Shapes of the HTTP API's JSON bodies. Pure types: imported by the server and the client.

export type InstanceState = 'starting' | 'running' | 'stopped';

export interface InstanceInfo {
  /** Stable name inside the session: node1, node2, ... */
  name: string;
  /** The hostname the shell shows (equal to name). */
  hostname: string;
  /** The instance's address on the session's private network; '' while unknown. */
  ip: string;
  state: InstanceState;
  /** TCP ports something listens on inside the instance (published containers included), ascending. */
  ports: number[];
  /** Numbers of the instance's open shells (terminal tabs), ascending; 1 is the first. */
  terminals: number[];
}

export interface SessionInfo {
  /** The capability: whoever has it controls the session. URL-safe, 128 random bits. */
  id: string;
  /** ISO 8601 time at which the session and everything it made is removed. */
  expiresAt: string;
  /** The latest expiresAt can be moved to (POST /api/sessions/{id}/extend; SESSION_MAX_TTL after it began). */
  maxExpiresAt: string;
  /** How long before expiresAt the page warns and offers to extend (SESSION_WARNING), in seconds. */
  warnBeforeSeconds: number;
  instances: InstanceInfo[];
  /**
   * Names the session in port-preview URLs (/p/{previewKey}/{instance}/{port}/ and
   * {instance}-{port}-{previewKey}.PUBLIC_HOST). A digest of the id: a shared preview link never
   * carries the capability that controls the session.
   */
  previewKey: string;
  /** Present when the session was made from a template (e.g. swarm-3m2w) and while it is assembled. */
  template?: TemplateProgress;
  /** The workshop the session was started with (POST /api/sessions {"workshop": name}) and how far it got. */
  workshop?: WorkshopProgressInfo;
  /** Present when the session is a learner's seat in a class (/e/<code>): the class, its messages, the learner's name. */
  event?: SessionEvent;
  /** Present when the session was started from a stack link (/?stack=<URL>): its compose file being deployed on node1. */
  stack?: StackProgress;
  /** The session's own registry, reachable from its instances: `docker login registry:5000`. */
  registry: { host: string; username: string; password: string };
  /** The machine (NODE_NAME) that holds the session's sandboxes. */
  node: string;
}

/**
 * A saved session (POST /api/sessions/{id}/save; GET /api/saved/{id}): its instances' disks and its
 * workshop progress, kept until expiresAt. Every POST /api/sessions {"saved": id} starts a new
 * session from it (the first resumes, the others fork); whoever has the id may do so.
 */
export interface SavedSessionInfo {
  id: string;
  savedAt: string;
  expiresAt: string;
  /** Its instances, node1 first: each comes back with its Docker data and files. */
  instances: string[];
  workshop?: WorkshopProgressInfo;
  /** Disk space it takes on the server. */
  bytes: number;
  /** The page that starts a session from it: /?saved=<id>. */
  link: string;
}

/** A place in the waiting room (POST /api/waiting-room, GET /api/waiting-room/{ticket}). */
export interface WaitingRoomStatus {
  /** The ticket's id: whoever has it collects the session. */
  ticket: string;
  /** waiting: in line; admitted: the session started (in `session`); failed: it could not start (`error`). */
  state: 'waiting' | 'admitted' | 'failed';
  /** 1 at the head of the line; 0 once admitted or failed. */
  position: number;
  /** Seconds until the place frees at the latest (the sessions ahead reaching their end), or null when unknown. */
  estimateSeconds: number | null;
  session?: SessionInfo;
  error?: { code: string; message: string };
}

/** One installed workshop, as listed (GET /api/workshops). */
export interface WorkshopSummary {
  name: string;
  title: string;
  description: string;
  steps: number;
}

/**
 * A session's progress in its workshop, kept on the server: every browser on the session sees it.
 * `passed`: the steps whose check passed (ascending); `current`: the step the page last showed (1-based).
 */
export interface WorkshopProgressInfo {
  name: string;
  passed: number[];
  current: number;
}

/** PUT /api/sessions/{id}/workshop/progress: the step the page now shows. */
export interface WorkshopProgressRequest {
  current: number;
}

/** The answer to a step's check: passed, or why not (the check's own output). */
export interface CheckResult {
  passed: boolean;
  message: string;
}

export interface CreateSessionRequest {
  /** "swarm-3m2w" or "swarm-1m1w"; without it the session starts with node1 alone. */
  template?: string;
  /** An installed workshop's name: the session starts as many instances as it asks for. */
  workshop?: string;
}

export interface TemplateProgress {
  name: string;
  /** The template's name for people ("Swarm: 3 managers, 2 workers"). */
  title?: string;
  /** Each node's part in the swarm, by instance name (node1 is a manager). */
  roles?: Record<string, 'manager' | 'worker'>;
  state: 'assembling' | 'ready' | 'failed';
  /** What is being done now, or why it failed. */
  message: string;
}

/** A stack link's compose file, deployed on node1 with `docker compose -p <name> up -d` in /root/<name>. */
export interface StackProgress {
  url: string;
  /** The compose project's name (the link's stack_name, default "stack"). */
  name: string;
  state: 'deploying' | 'ready' | 'failed';
  /** What is being done now, what is up, or why it failed (compose's last words). */
  message: string;
}

/** POST /api/events: a class made; the two links (the trainer's is a secret: it is the cockpit). */
export interface EventCreated {
  code: string;
  trainerKey: string;
  /** /e/<code>: for learners. */
  learnerPath: string;
  /** /t/<trainerKey>: the cockpit. */
  trainerPath: string;
}

/** GET /api/events/{code}: what a learner sees of a class (also in a learner's SessionInfo.event). */
export interface EventPublic {
  code: string;
  title: string;
  workshop: string;
  startsAt: string;
  endsAt: string;
  seatsLeft: number;
  /** The trainer's messages, oldest first. */
  messages: Array<{ at: string; text: string }>;
}

/** In a learner's session: the class it belongs to, and the learner's name in it. */
export interface SessionEvent extends EventPublic {
  learner: string;
  /** The trainer is watching this learner's terminal (read-only) right now. */
  watched: boolean;
  /** The learner lets the watching trainer type in their terminal. */
  sharing: boolean;
}

/** GET /api/trainer/{key}: the cockpit's grid, learners by steps. */
export interface Cockpit {
  /** seatsReady: sessions started ahead (from 10 minutes before the start) that no learner took yet. */
  event: EventPublic & { seats: number; seatsReady: number; learnerPath: string };
  /** The workshop's step titles: the grid's columns. */
  steps: string[];
  learners: CockpitRow[];
}

export interface CockpitRow {
  name: string;
  joinedAt: string;
  /** live: the session runs; ended: it was closed or expired. */
  state: 'live' | 'ended';
  /** Steps whose check passed (1-based). */
  passed: number[];
  /** The step the learner's page shows. */
  current: number;
  /** Seconds since the learner last passed a step (or joined): who has been stuck longest. */
  stuckSeconds: number;
  /** When the learner's session ends. */
  expiresAt?: string;
  /** The learner lets the trainer type in their terminal while watching. */
  sharing?: boolean;
}

/** Live resource use of one instance. */
export interface InstanceStats {
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
}

/** One entry of a folder inside an instance. */
export interface FileEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
}

/** The answer to an upload (PUT .../files?path=...). */
export interface FileWritten {
  path: string;
  size: number;
}

export interface FileListing {
  /** The absolute, normalised path that was listed. */
  path: string;
  entries: FileEntry[];
}

export interface ExecRequest {
  cmd: string[];
  /** Default 60 000, at most 600 000. */
  timeoutMs?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when the command was killed because it ran past timeoutMs. */
  timedOut: boolean;
  /** True when stdout or stderr was cut at the output limit. */
  truncated: boolean;
}

export type ErrorCode =
  | 'not_found'
  | 'session_not_found'
  | 'instance_not_found'
  | 'instance_not_running'
  | 'bad_request'
  | 'payload_too_large'
  | 'length_required'
  | 'method_not_allowed'
  | 'engine_unavailable'
  | 'instance_not_ready'
  | 'instance_limit'
  | 'rate_limited'
  | 'at_capacity'
  | 'forbidden_origin'
  | 'too_many_sessions'
  | 'busy'
  | 'misdirected_host'
  | 'addresses_exhausted'
  | 'disk_full'
  | 'engine_slow'
  | 'removal_incomplete'
  | 'extend_limit'
  | 'line_full'
  | 'ticket_not_found'
  /** From a front: the node holding the session does not answer (the machine may be lost). */
  | 'node_unreachable'
  /** From a front: no node behind it is serving. */
  | 'no_nodes'
  /** What only fronts may ask of a node (the swarm's members, a hand-over), from an address not in TRUSTED_PROXIES. */
  | 'not_a_trusted_proxy'
  /** GET /api/node/swarm on a node whose engine is not a Swarm manager. */
  | 'not_a_swarm_manager'
  /** A stack link's compose file could not be fetched (POST /api/sessions {"stack":...}). */
  | 'stack_unreachable'
  /** Joining a class: every seat taken. */
  | 'event_full'
  /** Joining a class before it opens or after it ended. */
  | 'event_closed'
  /** A class code or trainer link that does not exist (or ended long ago). */
  | 'event_not_found'
  /** A saved session that does not exist, or whose time is over (its files are gone). */
  | 'saved_not_found'
  /** Saving would take the saved sessions past SAVE_QUOTA. */
  | 'save_quota'
  /** This playground cannot save sessions (no instance disks: SANDBOX_DISK=0; or SAVE_QUOTA=0). */
  | 'saving_unavailable'
  | 'internal';

export interface ErrorBody {
  /** requestId: the request's id, as in its x-request-id header and the server's log lines about it. */
  error: { code: ErrorCode; message: string; requestId?: string };
}

export interface HealthBody {
  status: 'ok' | 'unavailable';
  reason?: string;
  /** How long a new session lives (SESSION_TTL), in seconds: the landing page says so. */
  sessionTtlSeconds: number;
  /** From a front (ROLE=front): every node behind it, as last seen; `ok` while one of them serves. */
  nodes?: ClusterNodeHealth[];
}

/** One node in a front's GET /api/health: its status, or `unreachable` with the reason. */
export type ClusterNodeHealth = { url: string; accepting: boolean; note?: string } & (NodeStatus | { node: string; status: 'unreachable'; reason: string });

/**
 * GET /api/node: what a front needs to place sessions on this node and show it. Free counts are what
 * admission would still let start now (caps, reservations and the memory left all counted).
 */
export interface NodeStatus {
  node: string;
  /** ok: serving; unavailable: the engine or images are not ready (`reason`). */
  status: 'ok' | 'unavailable';
  reason?: string;
  sessions: number;
  instances: number;
  freeSessions: number;
  freeInstances: number;
  /** SESSION_TTL in seconds, as GET /api/health says it. */
  sessionTtlSeconds: number;
}

/** GET /api/node/client (fronts only): the asking browser's sessions on this node, and its cap. */
export interface ClientSessionsBody {
  sessions: number;
  /** MAX_SESSIONS_PER_CLIENT of this node; 0: no cap. */
  maxSessionsPerClient: number;
}

/**
 * POST /api/waiting-room/{ticket}/hand-over (fronts only): the place is taken out of this node's
 * line, and what it asked for is given to the front, which starts it on a node with room.
 */
export interface TicketHandOver {
  /** The body of POST /api/sessions that starts what the visitor asked for. */
  request: { template?: string; workshop?: string; stack?: string; stackName?: string };
  instances: number;
}

/**
 * GET /api/node/swarm: the machines of the swarm as this node's engine (a manager) reports them,
 * for a front that has no Docker socket of its own (a front deployed as a Swarm service).
 */
export interface SwarmMembersBody {
  members: SwarmMemberInfo[];
}

export interface SwarmMemberInfo {
  hostname: string;
  /** The address the machine is reached at in the swarm (its advertise address). */
  address: string;
  /** active: takes new work; pause, drain: takes none. */
  availability: string;
  /** ready, down, unknown, disconnected: Swarm's view of the machine's health. */
  state: string;
  labels: Record<string, string>;
}
