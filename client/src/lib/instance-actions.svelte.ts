// Adding, deleting and restarting a session's instances: the requests, which are pending, and why the last one failed.
import type { InstanceInfo, SessionInfo } from '../../../server/src/protocol/api-types';
import { addInstance, deleteInstance, restartInstance } from './api';
import { messageOf } from './api-errors';
import type { Visit } from './visit';

/**
 * What the actions need of the page: the session on screen, and what to do with it once the server
 * has done each one. Called only while the visit the action began in is still current.
 */
export interface InstanceHost {
  session(): SessionInfo | null;
  added(instance: InstanceInfo): void;
  deleted(name: string): void;
  /** `instance` is the server's new account of the instance named `name`. */
  restarted(name: string, instance: InstanceInfo): void;
}

export class InstanceActions {
  adding = $state(false);
  /** Why the last action on an instance or its terminals failed, in words (e.g. the instance limit). */
  instanceError = $state<string | null>(null);
  /** Instances being deleted. */
  deleting = $state<Record<string, boolean>>({});

  readonly #visit: Visit;
  readonly #host: InstanceHost;

  constructor(visit: Visit, host: InstanceHost) {
    this.#visit = visit;
    this.#host = host;
  }

  /** Adds the next instance (node2, node3, ...). */
  async add(): Promise<void> {
    const session = this.#host.session();
    if (!session || this.adding) return;
    const visit = this.#visit.current;
    this.adding = true;
    this.instanceError = null;
    try {
      const instance = await addInstance(session.id);
      if (this.#visit.isCurrent(visit)) this.#host.added(instance);
    } catch (error) {
      if (this.#visit.isCurrent(visit)) this.instanceError = messageOf(error);
    } finally {
      this.adding = false;
    }
  }

  /** Deletes an instance with everything in it; the session goes on. */
  async remove(name: string): Promise<void> {
    const session = this.#host.session();
    if (!session || this.deleting[name]) return;
    const visit = this.#visit.current;
    this.deleting[name] = true;
    this.instanceError = null;
    try {
      await deleteInstance(session.id, name);
      if (this.#visit.isCurrent(visit)) this.#host.deleted(name);
    } catch (error) {
      if (this.#visit.isCurrent(visit)) this.instanceError = messageOf(error);
    } finally {
      delete this.deleting[name];
    }
  }

  /** Restarts an instance (its images and containers stay); its terminal reconnects by itself. */
  async restart(name: string): Promise<void> {
    const session = this.#host.session();
    if (!session) return;
    const visit = this.#visit.current;
    this.instanceError = null;
    try {
      const instance = await restartInstance(session.id, name);
      if (this.#visit.isCurrent(visit)) this.#host.restarted(name, instance);
    } catch (error) {
      if (this.#visit.isCurrent(visit)) this.instanceError = messageOf(error);
    }
  }
}
