import type { IncomingMessage } from 'node:http';
import type { SlotReservation } from '../admission/reservation';
import { BadRequestError } from '../errors';
import type { SessionService } from '../sessions/session-service';
import { findTemplate, instanceCount, TEMPLATES, type SwarmTemplate } from '../templates/templates';
import type { Workshop } from '../workshops/workshop-format';
import type { WorkshopService } from '../workshops/workshop-service';
import { readJsonObject } from './json-body';

// What starting a session takes, shared by POST /api/sessions and the waiting room (which starts
// the session of a visitor in line once admission lets it).

/** A validated request for a session: a template or a workshop, and the instances it needs. */
export interface StartRequest {
  template?: SwarmTemplate;
  workshop?: Workshop;
  instances: number;
}

interface StartContext {
  sessions: SessionService;
  workshops: WorkshopService;
  maxBodyBytes: number;
}

/** Reads and checks the body of POST /api/sessions (or of joining the line): 400 with a sentence when wrong. */
export async function readStartRequest(context: StartContext, request: IncomingMessage): Promise<StartRequest> {
  const body = await readJsonObject(request, context.maxBodyBytes);
  const template = templateOf(body);
  const workshop = typeof body.workshop === 'string' ? await context.workshops.get(body.workshop) : undefined;
  if (body.workshop !== undefined && !workshop) throw new BadRequestError('"workshop" must be the name of an installed workshop.');
  if (template && instanceCount(template) > context.sessions.maxInstances) {
    throw new BadRequestError(`The template ${template.name} needs ${instanceCount(template)} instances, but MAX_INSTANCES is ${context.sessions.maxInstances}.`);
  }
  return { template, workshop, instances: template ? instanceCount(template) : (workshop?.instances ?? 1) };
}

/** Starts an admitted session (and its template or workshop in the background); releases the reservation if it fails. */
export async function startAdmitted(context: StartContext, reservation: SlotReservation, request: StartRequest): Promise<string> {
  let created;
  try {
    created = await context.sessions.create(reservation);
  } catch (error) {
    reservation.release();
    throw error;
  }
  if (request.template) context.sessions.startTemplate(created.id, request.template);
  if (request.workshop) context.workshops.start(created.id, request.workshop);
  return created.id;
}

/** The template a create request names, or undefined; a name we do not know is a 400 listing ours. */
function templateOf(body: Record<string, unknown>): SwarmTemplate | undefined {
  if (body.template === undefined) return undefined;
  const template = typeof body.template === 'string' ? findTemplate(body.template) : undefined;
  if (!template) {
    throw new BadRequestError(`Unknown template ${JSON.stringify(body.template)}: use one of ${TEMPLATES.map((known) => known.name).join(', ')}.`);
  }
  return template;
}
