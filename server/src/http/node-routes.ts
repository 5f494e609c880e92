import { clientKey, isTrustedPeer } from '../admission/client-key';
import { NotATrustedProxyError } from '../errors';
import type { ClientSessionsBody, NodeStatus, SwarmMembersBody, TicketHandOver } from '../protocol/api-types';
import { RouteError } from './error-response';
import { sendJson } from './json-body';
import { SEGMENT, type Route } from './route';

/**
 * What a front asks of this node (front/): its room for new sessions, and whether it holds a
 * session. Nothing here is a capability: room is what /metrics shows, and a preview key is already
 * in every preview link. The swarm's members (the machines' addresses) are told to fronts only.
 */
export const nodeRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/node$/,
    handler: async (context, _request, response) => {
      const problem = await context.health.problem();
      const used = context.sessions.usage();
      const room = context.admission.room();
      const body: NodeStatus = {
        node: context.sessions.nodeName,
        status: problem ? 'unavailable' : 'ok',
        ...(problem ? { reason: problem } : {}),
        sessions: used.sessions,
        instances: used.instances,
        freeSessions: problem ? 0 : room.sessions,
        freeInstances: problem ? 0 : room.instances,
        sessionTtlSeconds: Math.round(context.sessions.sessionTtlMs / 1000),
      };
      sendJson(response, 200, body);
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/node/sessions/${SEGMENT}$`),
    handler: async (context, _request, response, [key]) => {
      context.sessions.getByKey(key!); // SessionNotFoundError: 404
      response.writeHead(204).end();
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/node\/swarm$/,
    handler: async (context, request, response) => {
      if (!context.swarmMembers) throw new RouteError(404, 'not_found', 'This server does not read the swarm.');
      if (!isTrustedPeer(request.socket.remoteAddress, context.trustedProxies)) throw new NotATrustedProxyError("read the swarm's members");
      const body: SwarmMembersBody = { members: await context.swarmMembers() };
      sendJson(response, 200, body);
    },
  },
  {
    // The waiting line is the cluster's: a front with room on another node takes the head's place.
    method: 'POST',
    pattern: new RegExp(`^/api/waiting-room/${SEGMENT}/hand-over$`),
    handler: async (context, request, response, [ticket]) => {
      if (!isTrustedPeer(request.socket.remoteAddress, context.trustedProxies)) throw new NotATrustedProxyError('take a place out of the waiting line');
      const { request: wanted } = context.waitingRoom.handOver(ticket!);
      const body: TicketHandOver = {
        request: {
          ...(wanted.template ? { template: wanted.template.name } : {}),
          ...(wanted.workshop ? { workshop: wanted.workshop.name } : {}),
          // The node that starts it fetches the compose file again.
          ...(wanted.stack ? { stack: wanted.stack.url, stackName: wanted.stack.name } : {}),
        },
        instances: wanted.instances,
      };
      sendJson(response, 200, body);
    },
  },
  {
    // MAX_SESSIONS_PER_CLIENT is the cluster's: a front sums a visitor's sessions over the nodes.
    method: 'GET',
    pattern: /^\/api\/node\/client$/,
    handler: async (context, request, response) => {
      if (!isTrustedPeer(request.socket.remoteAddress, context.trustedProxies)) throw new NotATrustedProxyError("count a visitor's sessions");
      const client = clientKey(request.socket.remoteAddress, request.headers['x-forwarded-for'], context.trustedProxies);
      const body: ClientSessionsBody = context.admission.clientSessions(client);
      sendJson(response, 200, body);
    },
  },
];
