import type { IncomingMessage } from 'node:http';
import type { SlotReservation } from '../admission/reservation';
import { BadRequestError } from '../errors';
import type { StackSource } from '../stacks/stack-deployer';
import { fetchStackFile, stackName, stackUrl, type StackLinkPolicy } from '../stacks/stack-source';
import type { SessionService } from '../sessions/session-service';
import { findTemplate, instanceCount, TEMPLATES, type SwarmTemplate } from '../templates/templates';
import type { Workshop } from '../workshops/workshop-format';
import type { WorkshopService } from '../workshops/workshop-service';
import { readJsonObject } from './json-body';
import type { SessionSaving } from '../saved/session-saving';

// What starting a session takes, shared by POST /api/sessions and the waiting room (which starts
// the session of a visitor in line once admission lets it).

/**
 * A validated request for a session: a template, a workshop, a stack link's compose file or a saved
 * session to start from, and the instances it needs.
 */
export interface StartRequest {
  template?: SwarmTemplate;
  workshop?: Workshop;
  stack?: StackSource;
  /** The id of a saved session (its instances come back with their disks). */
  saved?: string;
  instances: number;
}

interface StartContext {
  sessions: SessionService;
  workshops: WorkshopService;
  maxBodyBytes: number;
  /** Where stack links may fetch from (STACK_LINKS). */
  stackLinks: StackLinkPolicy;
  saving: SessionSaving;
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
  const starts = [body.template, body.workshop, body.stack, body.saved].filter((value) => value !== undefined).length;
  if (starts > 1) throw new BadRequestError('A session starts from a template, a workshop, a stack link or a saved session: one of them.');
  if (body.saved !== undefined) {
    if (typeof body.saved !== 'string') throw new BadRequestError('"saved" must be the id of a saved session.');
    // Looked up before anything is made: a link that expired makes no session (404 saved_not_found).
    const saved = await context.saving.get(body.saved);
    return { saved: saved.id, instances: saved.instances.length };
  }
  // Fetched before anything is made: a link that cannot be read makes no session.
  const stack = body.stack !== undefined ? await readStack(body, context.stackLinks) : undefined;
  return { template, workshop, ...(stack ? { stack } : {}), instances: template ? instanceCount(template) : (workshop?.instances ?? 1) };
}

async function readStack(body: Record<string, unknown>, policy: StackLinkPolicy): Promise<StackSource> {
  const url = stackUrl(body.stack);
  const name = stackName(body.stackName);
  return { url: url.href, name, compose: await fetchStackFile(url, policy) };
}

/** Starts an admitted session (and its template or workshop in the background); releases the reservation if it fails. */
export async function startAdmitted(context: StartContext, reservation: SlotReservation, request: StartRequest): Promise<string> {
  if (request.saved) {
    try {
      return await context.saving.start(request.saved, reservation);
    } catch (error) {
      reservation.release();
      throw error;
    }
  }
  let created;
  try {
    created = await context.sessions.create(reservation);
  } catch (error) {
    reservation.release();
    throw error;
  }
  if (request.template) context.sessions.startTemplate(created.id, request.template);
  if (request.workshop) context.workshops.start(created.id, request.workshop);
  if (request.stack) context.sessions.startStack(created.id, request.stack);
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
