import type Docker from 'dockerode';
import { dockerStatus, isNotFound } from './docker-errors';

// Containers the playground keeps once per host, beside the sessions: the registry mirror (made by
// the set-up step) and the pull-through cache (made by the server). Both are brought to their
// current definition the same way: made when missing, remade when out of date (back on the session
// networks they were on), started when stopped.

/** The container's details, or undefined when there is none of that name. */
export async function inspectIfExists(docker: Docker, name: string): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await docker.getContainer(name).inspect();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Creates the volume when missing; true when it did. */
export async function ensureVolume(docker: Docker, name: string, labels: Record<string, string>): Promise<boolean> {
  try {
    await docker.getVolume(name).inspect();
    return false;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await docker.createVolume({ Name: name, Labels: labels });
  return true;
}

export interface HostContainerSpec {
  /** What to create; `name` is how it is found again. */
  options: Docker.ContainerCreateOptions & { name: string };
  /** Whether an existing container matches the definition; undefined when it does, else why not. */
  outdated: (info: Docker.ContainerInspectInfo) => string | undefined;
  /** Its alias on the session networks it is reconnected to after being remade. */
  networkAlias: string;
  /** Each thing done (created, remade, reconnected, started), as a sentence. */
  note: (text: string) => void;
}

/** Brings the container to its definition and running; returns its id and whether anything changed. */
export async function ensureHostContainer(docker: Docker, spec: HostContainerSpec): Promise<{ id: string; changed: boolean }> {
  const { name } = spec.options;
  let info = await inspectIfExists(docker, name);
  let changed = false;
  let reconnect: string[] = [];
  const reason = info && spec.outdated(info);
  if (info && reason) {
    reconnect = Object.keys(info.NetworkSettings.Networks ?? {}).filter((network) => network !== 'bridge');
    spec.note(`${reason}: recreating ${name}`);
    await docker.getContainer(info.Id).remove({ force: true });
    info = undefined;
  }
  if (!info) {
    try {
      await docker.createContainer(spec.options);
      spec.note(`created ${name}`);
      changed = true;
    } catch (error) {
      // Another process made the same container a moment ago: use that one.
      if (dockerStatus(error) !== 409) throw error;
    }
    for (const network of reconnect) {
      await docker
        .getNetwork(network)
        .connect({ Container: name, EndpointConfig: { Aliases: [spec.networkAlias] } })
        .then(() => spec.note(`reconnected to network ${network} as ${spec.networkAlias}`))
        .catch((error: Error) => spec.note(`could not reconnect to network ${network}: ${error.message}`));
    }
    info = await docker.getContainer(name).inspect();
  }
  if (!info.State.Running) {
    try {
      await docker.getContainer(info.Id).start();
      spec.note(`started ${name}`);
      changed = true;
    } catch (error) {
      if (dockerStatus(error) !== 304) throw error; // 304: started meanwhile
    }
  }
  return { id: info.Id, changed };
}
