import { NotASwarmManagerError } from '../errors';
import type { SwarmMemberInfo } from '../protocol/api-types';
import { createDockerClient } from './docker-client';

/** A machine of the Swarm as its manager reports it (docker node ls), for a front to find nodes. */
export type SwarmMember = SwarmMemberInfo;

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
  let nodes: SwarmNodeJson[];
  try {
    nodes = (await createDockerClient(dockerHost).listNodes()) as SwarmNodeJson[];
  } catch (error) {
    // 503 "This node is not a swarm manager" (a worker, or no swarm at all).
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 503 || status === 406) throw new NotASwarmManagerError(((error as { json?: { message?: string } }).json?.message ?? (error as Error).message).split('.')[0]!);
    throw error;
  }
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
