// Killercoda scenarios as workshops (docs/workshops.md, "Killercoda scenarios"): a folder with
// index.json, Markdown per step, and background, foreground and verify scripts, loaded unchanged.
// Pure: the files come through `read`, the result is a Workshop.
//
// What maps: title and description; intro, steps and finish become steps in that order; a step's
// verify script is its check (exit 0 passes), its background script runs detached when the step
// opens, once (its output in /tmp/playground-scenario/), its foreground script is typed into the terminal;
// `{{exec}}` code runs with Run, `{{copy}}` code gets Copy. What does not: backends other than a
// single Ubuntu or Debian host (Kubernetes clusters: this playground's hosts are Docker hosts),
// `assets` (files copied onto the host) and `interface` layouts (an IDE tab): refused or left out,
// each said in words.

import { WorkshopFormatError, type Workshop, type WorkshopStep } from './workshop-format';

/** Reads a file of the scenario folder (a path as index.json names it); undefined when missing. */
export type ScenarioFileReader = (relativePath: string) => Promise<string | undefined>;

interface ScenarioPart {
  title?: unknown;
  text?: unknown;
  verify?: unknown;
  background?: unknown;
  foreground?: unknown;
}

/** Single-host images a Docker host stands in for; anything else (Kubernetes clusters) is refused. */
const SUPPORTED_IMAGE = /^(ubuntu|debian)([-:][\w.-]*)?$/;
/** Where a background script and its output are kept in the instance. */
const SCRIPT_DIR = '/tmp/playground-scenario';
const DELIMITER = 'PLAYGROUND_SCENARIO_SCRIPT_END';

export interface ScenarioLoad {
  workshop: Workshop;
  /** Fields of the scenario this playground leaves out, in words (logged as the workshop loads). */
  ignored: string[];
}

export async function parseKillercodaScenario(name: string, read: ScenarioFileReader): Promise<ScenarioLoad> {
  const where = `${name}/index.json`;
  const text = await read('index.json');
  if (text === undefined) throw new WorkshopFormatError(`${where} is missing`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WorkshopFormatError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new WorkshopFormatError(`${where}: must be a JSON object`);
  const index = json as Record<string, unknown>;
  if (typeof index.title !== 'string' || index.title.trim() === '') throw new WorkshopFormatError(`${where}: "title" is required`);

  const backend = index.backend as { imageid?: unknown } | undefined;
  const image = backend?.imageid ?? 'ubuntu';
  if (typeof image !== 'string' || !SUPPORTED_IMAGE.test(image)) {
    throw new WorkshopFormatError(
      `${where}: backend "${String(image)}" is not supported: this playground gives each learner Docker hosts (Debian with Docker), so only single-host Ubuntu or Debian scenarios run, not Kubernetes clusters`,
    );
  }
  const ignored: string[] = [];
  const details = (index.details ?? {}) as Record<string, unknown>;
  if (details.assets !== undefined) ignored.push('"details.assets" (files copied onto the host) is not supported: put such files in a background script');
  if (index.interface !== undefined) ignored.push('"interface" (layouts such as an IDE tab) is left out: the playground shows its own terminals and file editor');

  const parts: Array<{ part: ScenarioPart; fallbackTitle: string; key: string }> = [];
  if (details.intro !== undefined) parts.push({ part: asPart(details.intro, `${where}: "details.intro"`), fallbackTitle: 'Introduction', key: 'intro' });
  if (details.steps !== undefined && !Array.isArray(details.steps)) throw new WorkshopFormatError(`${where}: "details.steps" must be a list`);
  for (const [i, step] of ((details.steps as unknown[]) ?? []).entries()) parts.push({ part: asPart(step, `${where}: step ${i + 1}`), fallbackTitle: `Step ${i + 1}`, key: `step${i + 1}` });
  if (details.finish !== undefined) parts.push({ part: asPart(details.finish, `${where}: "details.finish"`), fallbackTitle: 'Finish', key: 'finish' });
  if (parts.length === 0) throw new WorkshopFormatError(`${where}: no intro, steps or finish in "details"`);

  const steps: WorkshopStep[] = [];
  for (const [i, { part, fallbackTitle, key }] of parts.entries()) {
    const file = async (field: keyof ScenarioPart): Promise<string | undefined> => {
      const relative = part[field];
      if (relative === undefined) return undefined;
      if (typeof relative !== 'string' || !isInsideFolder(relative)) throw new WorkshopFormatError(`${where}: ${key}'s "${field}" must be a file of the scenario's folder`);
      const content = await read(relative);
      if (content === undefined) throw new WorkshopFormatError(`${name}/${relative} is missing (${key}'s "${field}")`);
      return content;
    };
    const markdown = await file('text');
    const verify = await file('verify');
    const background = await file('background');
    const foreground = await file('foreground');
    steps.push({
      number: i + 1,
      file: `${name}/${typeof part.text === 'string' ? part.text : 'index.json'}`,
      title: typeof part.title === 'string' && part.title.trim() !== '' ? part.title : fallbackTitle,
      markdown: convertMarkers(markdown ?? ''),
      instance: 'node1',
      ...(verify?.trim() ? { check: asBashSnippet(verify, `${name}: ${key}'s verify`) } : {}),
      ...(background?.trim() ? { setup: detached(background, key, `${name}: ${key}'s background`) } : {}),
      ...(foreground?.trim() ? { foreground: foreground.trim() } : {}),
    });
  }
  return {
    workshop: {
      name,
      title: index.title,
      description: typeof index.description === 'string' ? index.description : '',
      instances: 1,
      images: [],
      steps,
    },
    ignored,
  };
}

function asPart(value: unknown, where: string): ScenarioPart {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WorkshopFormatError(`${where} must be an object`);
  return value as ScenarioPart;
}

/** A path inside the scenario's folder: relative, no `..`. */
function isInsideFolder(relative: string): boolean {
  return relative !== '' && !relative.startsWith('/') && !relative.split(/[\\/]/).includes('..');
}

/** A script run by bash (scenarios' scripts are written for bash; checks run under sh otherwise). */
function asBashSnippet(script: string, where: string): string {
  if (script.split('\n').includes(DELIMITER)) throw new WorkshopFormatError(`${where} contains the line ${DELIMITER}, which this playground reserves`);
  return `bash -s <<'${DELIMITER}'\n${script.replace(/\n$/, '')}\n${DELIMITER}`;
}

/**
 * A background script: written to the instance and started detached, its output kept beside it.
 * Once per instance, as Killercoda runs it once per step: opening the step again (a reload, Previous
 * and Next) finds the script there and starts nothing.
 */
function detached(script: string, key: string, where: string): string {
  if (script.split('\n').includes(DELIMITER)) throw new WorkshopFormatError(`${where} contains the line ${DELIMITER}, which this playground reserves`);
  const path = `${SCRIPT_DIR}/${key}-background.sh`;
  return [
    `[ -e ${path} ] && exit 0`,
    `mkdir -p ${SCRIPT_DIR}`,
    `cat > ${path} <<'${DELIMITER}'`,
    script.replace(/\n$/, ''),
    DELIMITER,
    `setsid nohup bash ${path} > ${SCRIPT_DIR}/${key}-background.log 2>&1 < /dev/null &`,
  ].join('\n');
}

/**
 * Killercoda's code markers in the playground's Markdown: code followed by `{{exec}}` (also
 * `{{execute}}`, `{{exec interrupt}}`) becomes a `sh run` block with Run; `{{copy}}` a code block
 * with Copy; `{{}}` plain code. A `<br>` line (common in scenarios) becomes a blank line, as raw
 * HTML is shown as text here.
 */
export function convertMarkers(markdown: string): string {
  const kind = (marker: string | undefined) => (marker === undefined || marker.trim() === '' ? 'plain' : /^exec(ute)?\b/.test(marker.trim()) ? 'run' : marker.trim() === 'copy' ? 'copy' : 'plain');
  const fence = (code: string, what: string) => (what === 'run' ? `\`\`\`sh run\n${code}\n\`\`\`` : what === 'copy' ? `\`\`\`sh\n${code}\n\`\`\`` : `\`\`\`\n${code}\n\`\`\``);
  return markdown
    .replace(/\r\n/g, '\n')
    .replace(/```[^\n]*\n([\s\S]*?)\n?```\{\{([^}]*)\}\}/g, (_all, code: string, marker: string) => fence(code, kind(marker)))
    .replace(/`([^`\n]+)`\{\{([^}]*)\}\}/g, (_all, code: string, marker: string) => {
      const what = kind(marker);
      return what === 'plain' ? `\`${code}\`` : `\n\n${fence(code, what)}\n\n`;
    })
    .replace(/^\s*<br\s*\/?>\s*$/gim, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
