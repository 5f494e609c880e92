import { createDockerClient } from './docker-client';

/** A machine of the Swarm as its manager reports it (docker node ls), for a front to find nodes. */
export interface SwarmMember {
  hostname: string;
  /** The address the machine is reached at in the swarm (its advertise address). */
  address: string;
  /** active: takes new work; pause, drain: takes none (drain: the operator is emptying it). */
  availability: string;
  /** ready, down, unknown, disconnected: Swarm's own view of the machine's health. */
  state: string;
  labels: Record<string, string>;
}

interface SwarmNodeJson {
  Description?: { Hostname?: string };
  Spec?: { Availability?: string; Labels?: Record<string, string> };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Addr?: string };
}

/**
 * The swarm's members, from a manager's engine (DOCKER_HOST). A manager reports its own address as
 * 0.0.0.0 when it was started so; its manager address (ip:2377) says where it is.
 */
export async function listSwarmMembers(dockerHost: string | undefined): Promise<SwarmMember[]> {
  const nodes = (await createDockerClient(dockerHost).listNodes()) as SwarmNodeJson[];
  return nodes.map((node) => {
    let address = node.Status?.Addr ?? '';
    if ((address === '' || address === '0.0.0.0') && node.ManagerStatus?.Addr) address = node.ManagerStatus.Addr.replace(/:\d+$/, '');
    return {
      hostname: node.Description?.Hostname ?? '',
      address,
      availability: node.Spec?.Availability ?? 'active',
      state: node.Status?.State ?? 'unknown',
      labels: node.Spec?.Labels ?? {},
    };
  });
}
