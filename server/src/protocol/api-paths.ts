// Every URL of the HTTP API and the terminal socket, built in one place and shared by the server's
// tests, the client, the e2e specs and the bench. Path segments from outside (ids, names) are
// always encoded.

const segment = encodeURIComponent;

export const apiPaths = {
  health: '/api/health',
  /** A node's status for the fronts (placement, the cluster's health). */
  node: '/api/node',
  /** 204 when this node holds the session with this preview key, else 404: how a front finds it. */
  nodeSession: (key: string) => `/api/node/sessions/${segment(key)}`,
  /** The browser's sessions on this node (the client counted by X-Forwarded-For): a front sums them. */
  nodeClient: '/api/node/client',
  /** The swarm's members as a node on a manager reads them: for fronts without a Docker socket. */
  nodeSwarm: '/api/node/swarm',
  sessions: '/api/sessions',
  workshops: '/api/workshops',
  waitingRoom: '/api/waiting-room',
  workshop: (name: string) => `/api/workshops/${segment(name)}`,
  ticket: (ticket: string) => `/api/waiting-room/${segment(ticket)}`,
  /** Classes: make one; a class by its learner code; a learner joining it. */
  events: '/api/events',
  event: (code: string) => `/api/events/${segment(code)}`,
  eventLearners: (code: string) => `/api/events/${segment(code)}/learners`,
  /** A class's cockpit, by its trainer key (a secret: the trainer's link). */
  cockpit: (key: string) => `/api/trainer/${segment(key)}`,
  cockpitMessages: (key: string) => `/api/trainer/${segment(key)}/messages`,
  cockpitExtend: (key: string) => `/api/trainer/${segment(key)}/extend`,
  cockpitEnd: (key: string) => `/api/trainer/${segment(key)}/end`,
  /** A learner lets the watching trainer type in their terminal (PUT {"on": true|false}). */
  eventSharing: (id: string) => `/api/sessions/${segment(id)}/event/sharing`,
  /** The n-th learner's terminal (node1, the first shell), read-only, for the trainer (a WebSocket). */
  cockpitWatch: (key: string, learner: number) => `/api/trainer/${segment(key)}/learners/${learner}/terminal`,
  cockpitResults: (key: string) => `/api/trainer/${segment(key)}/results.csv`,
  /** A front takes a place out of a node's line to start it on another node (fronts only). */
  ticketHandOver: (ticket: string) => `/api/waiting-room/${segment(ticket)}/hand-over`,
  session: (id: string) => `/api/sessions/${segment(id)}`,
  extend: (id: string) => `${apiPaths.session(id)}/extend`,
  /** POST copies the session's instance disks and workshop progress: a saved session (201). */
  save: (id: string) => `${apiPaths.session(id)}/save`,
  /** A saved session: GET it, DELETE it; POST /api/sessions {"saved": id} starts a session from it. */
  saved: (savedId: string) => `/api/saved/${segment(savedId)}`,
  instances: (id: string) => `${apiPaths.session(id)}/instances`,
  instance: (id: string, name: string) => `${apiPaths.instances(id)}/${segment(name)}`,
  exec: (id: string, name: string) => `${apiPaths.instance(id, name)}/exec`,
  stats: (id: string, name: string) => `${apiPaths.instance(id, name)}/stats`,
  restart: (id: string, name: string) => `${apiPaths.instance(id, name)}/restart`,
  /** DELETE ends that shell (a closed tab). */
  terminalNumber: (id: string, name: string, n: number) => `${apiPaths.instance(id, name)}/terminals/${n}`,
  /** The terminal socket of shell `n` (1, the first, needs no query). */
  terminal: (id: string, name: string, n = 1) => `${apiPaths.instance(id, name)}/terminal${n === 1 ? '' : `?n=${n}`}`,
  /** GET downloads (a folder as tar), PUT writes. */
  file: (id: string, name: string, path: string) => `${apiPaths.instance(id, name)}/files?path=${segment(path)}`,
  folder: (id: string, name: string, path: string) => `${apiPaths.instance(id, name)}/files/list?path=${segment(path)}`,
  workshopStep: (id: string, step: number, action: 'check' | 'setup') => `${apiPaths.session(id)}/workshop/steps/${step}/${action}`,
  workshopProgress: (id: string) => `${apiPaths.session(id)}/workshop/progress`,
} as const;

/** The WebSocket URL of `path` on an HTTP origin (`http://host:port`, or a page's location): wss: under https:. */
export function websocketUrl(origin: string | { protocol: string; host: string }, path: string): string {
  if (typeof origin === 'string') return `${origin.replace(/^http/, 'ws').replace(/\/$/, '')}${path}`;
  return `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}${path}`;
}
