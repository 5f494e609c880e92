import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { isAllowedHost, misdirected, type HostAllowList } from '../http/host-allow-list';
import { readBodyBytes, sendJson } from '../http/json-body';
import { errorResponse, RouteError, withRequestId } from '../http/error-response';
import { NodeUnreachableError, NoNodesError, PlaygroundError } from '../errors';
import { requestIdOf } from '../http/request-id';
import { setSecurityHeaders } from '../http/security-headers';
import { serveStatic } from '../http/static-files';
import type { Logger } from '../log';
import { apiPaths } from '../protocol/api-paths';
import type { ClusterNodeHealth, HealthBody, SessionInfo } from '../protocol/api-types';
import { askNode, forwardHttp, forwardUpgrade, NodeConnectionError, relayAnswer, type NodeAnswer } from './forwarding';
import { admitHeadElsewhere } from './cluster-waiting-line';
import { refuseOverClientCap } from './client-sessions';
import { frontRouteOf } from './front-routing';
import { askUntilKnown, savedHolder, savedIdOf } from './saved-holder';
import type { NodeDirectory } from './node-directory';
import { lineKeeper, placementOrder, type KnownNode } from './placement';
import type { SessionLocator } from './session-locator';
import type { FrontMetrics } from './front-metrics';
import { sendMetrics } from '../metrics/metrics-endpoint';

export interface FrontContext {
  nodes: NodeDirectory;
  locator: SessionLocator;
  hosts: HostAllowList;
  publicHost: string;
  staticDir: string;
  logger: Logger;
  /** GET /metrics: every node as last seen; undefined with METRICS=off. */
  metrics?: FrontMetrics;
}

/** A new session's request body (template, workshop) is small; the node checks it. */
const MAX_PLACE_BODY_BYTES = 64 * 1024;

/**
 * A front: serves the page, places new sessions on the node with the most room, and passes every
 * other request (API, terminal, preview) to the node holding its session. It keeps nothing a
 * restart would lose: another front, or this one restarted, finds every session again.
 */
export function createFrontServer(context: FrontContext): { server: Server; close(): Promise<void> } {
  const server = createServer((request, response) => {
    const requestId = requestIdOf(request.headers['x-request-id']);
    request.headers['x-request-id'] = requestId;
    response.setHeader('x-request-id', requestId);
    if (!isAllowedHost(request.headers.host, context.hosts)) {
      // The nodes answer 421 in their own words; a front must not pass a rebound name on either.
      setSecurityHeaders(response);
      sendJson(response, 421, withRequestId(misdirected(request.headers.host), requestId));
      return;
    }
    handle(context, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const { status, body, headers } = errorResponse(error);
      if (status === 500) context.logger.error('front request failed', { requestId, error: (error as Error).message });
      sendJson(response, status, withRequestId(body, requestId), headers);
    });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!isAllowedHost(request.headers.host, context.hosts)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    upgrade(context, request, socket, head).catch((error: unknown) => {
      const status = error instanceof PlaygroundError ? error.status : 502;
      socket.end(`HTTP/1.1 ${status} ${status === 503 ? 'Service Unavailable' : 'Bad Gateway'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    });
  });

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(context: FrontContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = request.url ?? '/';
  const route = frontRouteOf(request.method ?? 'GET', url, request.headers.host, context.publicHost);
  switch (route.kind) {
    case 'live':
      sendJson(response, 200, { status: 'ok' });
      return;
    case 'health':
      sendHealth(context, url, response);
      return;
    case 'metrics':
      if (!context.metrics) throw new RouteError(404, 'not_found', 'Metrics are off on this front (METRICS=off).');
      await sendMetrics(context.metrics, response);
      return;
    case 'static': {
      setSecurityHeaders(response);
      const served = await serveStatic(request, response, new URL(url, 'http://front').pathname, context.staticDir);
      if (!served) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('Not found\n');
      }
      return;
    }
    case 'place':
      await place(context, request, response);
      return;
    case 'ticket':
      await toTicketHolder(context, request, response);
      return;
    case 'saved':
      await toSavedHolder(context, request, response);
      return;
    case 'any':
      await toNode(request, response, anyServingNode(context));
      return;
    case 'classes': {
      // Every front sends a class to the same node: where it was made, and where its learners sit.
      const keeper = lineKeeper(context.nodes.all());
      if (!keeper) throw new NoNodesError();
      await toNode(request, response, keeper);
      return;
    }
    case 'session': {
      const holder = await context.locator.locate(route.key);
      if (!holder) {
        // Not on any node that answers. With a node unreachable it may be there: say so, in words.
        if (context.nodes.all().some((node) => node.status === undefined)) throw new NodeUnreachableError(undefined);
        await toNode(request, response, anyServingNode(context)); // the node's own 404, in its words
        return;
      }
      await toNode(request, response, context.nodes.byUrl(holder) ?? { url: holder, status: undefined, accepting: false }, (status) => {
        if (status === 404) context.locator.forget(route.key);
      });
      return;
    }
  }
}

async function toNode(request: IncomingMessage, response: ServerResponse, node: KnownNode, onStatus?: (status: number) => void): Promise<void> {
  try {
    await forwardHttp(request, response, node.url, onStatus);
  } catch (error) {
    if (error instanceof NodeConnectionError) throw new NodeUnreachableError(node.name);
    throw error;
  }
}

/**
 * A new session (or a place in line): to the node with the most room. A node that turns out full
 * (another front placed there meanwhile) passes it to the next; when every node is full, the
 * answer is the last node's own 503, so the page offers the waiting line as on one machine.
 */
async function place(context: FrontContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBodyBytes(request, MAX_PLACE_BODY_BYTES);
  // A place in line is one per visitor already; a new session counts against the visitor's cap.
  if (request.url?.split('?')[0] === apiPaths.sessions) await refuseOverClientCap(request, context.nodes.all());
  // A session from a saved one can only be made where its disks are kept (that node's 503 if full).
  const saved = savedIdOf(body);
  const holder = saved !== undefined ? await savedHolder(request, context.nodes.all(), saved) : undefined;
  const candidates = holder ? [holder] : placementOrder(context.nodes.all());
  if (candidates.length === 0) {
    // No room anywhere: the node that keeps the cluster's waiting line answers (its 503, or a place in it).
    const keeper = lineKeeper(context.nodes.all());
    if (!keeper) throw new NoNodesError();
    candidates.push(keeper);
  }
  let last: NodeAnswer | undefined;
  for (const node of candidates) {
    try {
      last = await askNode(request, node.url, body);
    } catch (error) {
      // Never sent: the next node may take it. Sent and then lost: the node may have made the
      // session, so no second one is made elsewhere; the page says what happened.
      if (error instanceof NodeConnectionError && error.beforeSent) continue;
      if (error instanceof NodeConnectionError) throw new NodeUnreachableError(node.name);
      throw error;
    }
    if (last.status === 201 || last.status === 202) {
      if (last.status === 201) rememberCreated(context, node.url, last.body);
      await context.nodes.refreshOne(node.url);
      break;
    }
    if (last.status !== 503) break;
  }
  if (!last) throw new NoNodesError();
  relayAnswer(response, last);
}

function rememberCreated(context: FrontContext, nodeUrl: string, body: Buffer): void {
  try {
    const session = JSON.parse(body.toString()) as SessionInfo;
    if (typeof session.previewKey === 'string') context.locator.remember(session.previewKey, nodeUrl);
  } catch {
    // Not the JSON expected: the locator finds the session by asking when it is next used.
  }
}

/**
 * A waiting-room ticket is known to one node: each is asked in turn until one knows it. The head of
 * the line asking is started on another node when that one has room (cluster-waiting-line.ts).
 */
async function toTicketHolder(context: FrontContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const known = await askUntilKnown(request, context.nodes.all(), Buffer.alloc(0));
  if (!known) throw new NoNodesError();
  const elsewhere = request.method === 'GET' ? await admitHeadElsewhere(request, context.nodes.all(), known.node, known.answer) : undefined;
  relayAnswer(response, elsewhere ?? known.answer);
}

/** A saved session is kept by the node that saved it: each is asked in turn until one knows it. */
async function toSavedHolder(context: FrontContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const known = await askUntilKnown(request, context.nodes.all(), Buffer.alloc(0));
  if (!known) throw new NoNodesError();
  relayAnswer(response, known.answer);
}

async function upgrade(context: FrontContext, request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const route = frontRouteOf(request.method ?? 'GET', request.url ?? '/', request.headers.host, context.publicHost);
  const holder = route.kind === 'session' ? await context.locator.locate(route.key) : undefined;
  // An unknown session's terminal goes to any node, which closes it with the protocol's 4404.
  const url = holder ?? anyServingNode(context).url;
  try {
    await forwardUpgrade(request, socket, head, url);
  } catch (error) {
    if (error instanceof NodeConnectionError) throw new NodeUnreachableError(context.nodes.byUrl(url)?.name);
    throw error;
  }
}

function anyServingNode(context: FrontContext): KnownNode {
  const nodes = context.nodes.all();
  const node = nodes.find((candidate) => candidate.status?.status === 'ok') ?? nodes.find((candidate) => candidate.status !== undefined);
  if (!node) throw new NoNodesError();
  return node;
}

function sendHealth(context: FrontContext, url: string, response: ServerResponse): void {
  const nodes: ClusterNodeHealth[] = context.nodes
    .all()
    .map((node): ClusterNodeHealth => {
      const seen = { url: node.url, accepting: node.accepting, ...(node.note ? { note: node.note } : {}) };
      return node.status ? { ...seen, ...node.status } : { ...seen, node: node.name ?? node.url, status: 'unreachable', reason: node.error ?? 'no answer' };
    });
  const serving = nodes.find((node) => node.status === 'ok');
  const ttl = serving && 'sessionTtlSeconds' in serving ? serving.sessionTtlSeconds : 0;
  const body: HealthBody = serving ? { status: 'ok', sessionTtlSeconds: ttl, nodes } : { status: 'unavailable', reason: 'no node is serving', sessionTtlSeconds: ttl, nodes };
  // /api/health/ready is a probe: only its status code and words matter to an orchestrator.
  if (url.startsWith('/api/health/ready')) sendJson(response, serving ? 200 : 503, serving ? { status: 'ok' } : { status: 'unavailable', reason: body.reason });
  else sendJson(response, serving ? 200 : 503, body);
}
