import type { InstanceInfo, InstanceState, SessionInfo, StackProgress, TemplateProgress } from '../protocol/api-types';
import type { EngineStatsSample } from '../sandbox/instance-stats';
import type { WorkshopProgress } from '../workshops/workshop-progress';
import { SESSION_REGISTRY_HOST, SESSION_REGISTRY_USER } from '../sandbox/contract';

/** One docker-in-docker sandbox of a session. */
export interface Instance {
  readonly name: string;
  readonly containerId: string;
  /** Address on the session network (may change when the instance restarts). */
  ip: string;
  state: InstanceState;
  /** TCP ports listening inside, kept current by the port watcher. */
  ports?: number[];
  /** Settles when Docker inside answers (resolves) or never will (rejects); replaced on restart. */
  ready: Promise<void>;
  /** Set while the sandbox container restarts: settles once it runs again (terminals wait for it). */
  restarting?: Promise<unknown>;
  /** The engine's previous stats sample, for CPU use between two samples. */
  lastStats?: EngineStatsSample;
}

/** starting -> running -> closing -> gone. A session is only looked up while starting or running. */
export type SessionLifecycle = 'starting' | 'running' | 'closing' | 'gone';

/** One visitor's playground, known by its key (a digest of the id). */
export class Session {
  lifecycle: SessionLifecycle = 'starting';
  readonly instances = new Map<string, Instance>();
  /** Set when the session was made from a template; updated while it is assembled. */
  template: TemplateProgress | undefined;
  /** The workshop the session was started with, and how far it got (steps passed, the step shown). */
  workshop: WorkshopProgress | undefined;
  /** Set when the session was started from a stack link; updated while its compose file is deployed. */
  stack: StackProgress | undefined;

  /** The latest expiresAt may be extended to (SESSION_MAX_TTL after createdAt); set by the service. */
  maxExpiresAt: Date;
  /** How long before the end the page warns (SESSION_WARNING); set by the service. */
  warnBeforeMs = 0;

  constructor(
    readonly key: string,
    readonly createdAt: Date,
    /** Moved later by an extension (POST .../extend), never past maxExpiresAt. */
    public expiresAt: Date,
    /** The password of the session's own registry (registry-credentials.ts). */
    readonly registryPassword: string,
    /** Taken over at start-up from the engine's labels rather than created by this server. */
    readonly adopted = false,
  ) {
    this.maxExpiresAt = expiresAt;
  }

  /**
   * `node`: the machine holding it (NODE_NAME); `terminalsOf`: the numbers of an instance's open
   * shells (the terminal registry knows them).
   */
  toInfo(id: string, node: string, terminalsOf: (instance: string) => number[] = () => []): SessionInfo {
    return {
      id,
      node,
      expiresAt: this.expiresAt.toISOString(),
      maxExpiresAt: this.maxExpiresAt.toISOString(),
      warnBeforeSeconds: Math.round(this.warnBeforeMs / 1000),
      instances: [...this.instances.values()].map((instance) => instanceInfo(instance, terminalsOf(instance.name))),
      previewKey: this.key,
      ...(this.template ? { template: { ...this.template } } : {}),
      ...(this.workshop ? { workshop: this.workshop.toInfo() } : {}),
      ...(this.stack ? { stack: { ...this.stack } } : {}),
      registry: { host: SESSION_REGISTRY_HOST, username: SESSION_REGISTRY_USER, password: this.registryPassword },
    };
  }
}

export function instanceInfo(instance: Instance, terminals: number[] = []): InstanceInfo {
  return {
    name: instance.name,
    hostname: instance.name,
    ip: instance.ip,
    state: instance.state,
    ports: instance.ports ?? [],
    terminals,
  };
}
