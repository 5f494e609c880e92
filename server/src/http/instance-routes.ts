import { BadRequestError } from '../errors';
import { CloseCode } from '../protocol/terminal-protocol';
import { instanceInfo } from '../sessions/session';
import { MAX_TERMINALS_PER_INSTANCE } from '../protocol/terminal-protocol';
import { RouteError } from './error-response';
import { terminalNumber } from './terminal-upgrade';
import { sendJson } from './json-body';
import { SEGMENT, type Route } from './route';

/** Instances of a session: add the next nodeN, delete one, restart one, its live stats. */
export const instanceRoutes: Route[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances$`),
    handler: async (context, _request, response, [id]) => {
      context.sessions.get(id!); // 404 for an unknown session before admission counts anything
      const reservation = context.admission.admitInstances(1);
      try {
        sendJson(response, 201, instanceInfo(await context.sessions.addInstance(id!, reservation), []));
      } finally {
        reservation.release(); // settled already when it started; freed here when it did not
      }
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}/stats$`),
    handler: async (context, _request, response, [id, name]) => {
      sendJson(response, 200, await context.sessions.stats(id!, name!));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}/restart$`),
    handler: async (context, _request, response, [id, name]) => {
      sendJson(response, 200, instanceInfo(await context.sessions.restartInstance(id!, name!)));
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}/terminals/${SEGMENT}$`),
    handler: async (context, _request, response, [id, name, n]) => {
      const { session, instance } = context.sessions.instance(id!, name!);
      const number = terminalNumber(n!);
      if (number === undefined) throw new BadRequestError(`A terminal number is 1 to ${MAX_TERMINALS_PER_INSTANCE}.`);
      if (!(await context.terminals.closeTerminal(session.key, instance.name, instance.containerId, number, CloseCode.shellExited, 'terminal closed'))) {
        throw new RouteError(404, 'not_found', `${instance.name} has no open terminal ${number}.`);
      }
      response.writeHead(204).end();
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/sessions/${SEGMENT}/instances/${SEGMENT}$`),
    handler: async (context, _request, response, [id, name]) => {
      await context.sessions.removeInstance(id!, name!);
      response.writeHead(204).end();
    },
  },
];
