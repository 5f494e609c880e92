// The workshop format (docs/workshops.md): a folder with workshop.json and one Markdown file per
// step, each starting with a front-matter block. Pure: parsing and validation only.

export interface WorkshopStep {
  /** 1-based, in file-name order. */
  number: number;
  file: string;
  title: string;
  /** The step's Markdown, front matter removed. */
  markdown: string;
  /** Shell snippet: exit 0 means the step is done; otherwise its output is shown. */
  check?: string;
  /** Shell snippet run when the step starts. */
  setup?: string;
  /** Where check and setup run (default node1). */
  instance: string;
  /** Markdown shown after a failed check: a nudge, not the answer. */
  hint?: string;
  /** Markdown hidden until the learner asks for it: the answer (its code blocks run as the step's). */
  solution?: string;
  /** Commands typed into the instance's terminal when the step opens (a Killercoda foreground script). */
  foreground?: string;
}

export interface Workshop {
  name: string;
  title: string;
  description: string;
  /** Instances the session starts with. */
  instances: number;
  /** Images the workshop uses (documentation; all must be offline). */
  images: string[];
  /** Shell snippet run on node1 when the workshop starts. */
  setup?: string;
  steps: WorkshopStep[];
}

export class WorkshopFormatError extends Error {}

/** A workshop's folder name: it is also its name in links (/?workshop=...). */
export const WORKSHOP_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const INSTANCE = /^node[1-9]\d{0,2}$/;

function field(object: Record<string, unknown>, key: string, where: string, kind: 'string' | 'number', required: boolean): unknown {
  const value = object[key];
  if (value === undefined) {
    if (required) throw new WorkshopFormatError(`${where}: "${key}" is required`);
    return undefined;
  }
  if (typeof value !== kind) throw new WorkshopFormatError(`${where}: "${key}" must be a ${kind}`);
  return value;
}

/** Reads workshop.json's text. */
export function parseMetadata(name: string, text: string): Omit<Workshop, 'steps'> {
  if (!WORKSHOP_NAME.test(name)) throw new WorkshopFormatError(`${name}: a workshop folder name is lowercase letters, digits and dashes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WorkshopFormatError(`${name}/workshop.json: not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new WorkshopFormatError(`${name}/workshop.json: must be a JSON object`);
  const meta = json as Record<string, unknown>;
  const where = `${name}/workshop.json`;
  const instances = (field(meta, 'instances', where, 'number', false) as number | undefined) ?? 1;
  if (!Number.isInteger(instances) || instances < 1 || instances > 5) throw new WorkshopFormatError(`${where}: "instances" must be 1 to 5`);
  const images = meta.images ?? [];
  if (!Array.isArray(images) || !images.every((image) => typeof image === 'string')) throw new WorkshopFormatError(`${where}: "images" must be a list of image names`);
  return {
    name,
    title: field(meta, 'title', where, 'string', true) as string,
    description: (field(meta, 'description', where, 'string', false) as string | undefined) ?? '',
    instances,
    images: images as string[],
    setup: field(meta, 'setup', where, 'string', false) as string | undefined,
  };
}

/**
 * A step file: a front-matter block between `---` lines with `key: value` pairs (title, instance,
 * check, setup, hint and solution, whose value may be a `|` block of indented lines), then the
 * Markdown.
 */
export function parseStep(file: string, number: number, text: string): WorkshopStep {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[0] !== '---') throw new WorkshopFormatError(`${file}: must start with a front-matter block ("---" on the first line)`);
  const end = lines.indexOf('---', 1);
  if (end === -1) throw new WorkshopFormatError(`${file}: the front-matter block has no closing "---"`);
  const values: Record<string, string> = {};
  for (let i = 1; i < end; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^([a-z]+):\s*(.*)$/.exec(line);
    if (!match) throw new WorkshopFormatError(`${file}: line ${i + 1} of the front matter is not "key: value"`);
    const [, key, rest] = match as unknown as [string, string, string];
    if (rest === '|') {
      const block: string[] = [];
      while (i + 1 < end && (lines[i + 1]!.startsWith('  ') || lines[i + 1]!.trim() === '')) block.push(lines[++i]!.slice(2));
      values[key] = block.join('\n').trim();
    } else {
      values[key] = rest.trim();
    }
  }
  for (const key of Object.keys(values)) {
    if (!['title', 'check', 'setup', 'instance', 'hint', 'solution'].includes(key)) throw new WorkshopFormatError(`${file}: unknown front-matter key "${key}"`);
  }
  if (!values.title) throw new WorkshopFormatError(`${file}: "title" is required`);
  const instance = values.instance || 'node1';
  if (!INSTANCE.test(instance)) throw new WorkshopFormatError(`${file}: "instance" must be node1, node2, ...`);
  return {
    number,
    file,
    title: values.title,
    markdown: lines.slice(end + 1).join('\n').trim(),
    check: values.check || undefined,
    setup: values.setup || undefined,
    instance,
    ...(values.hint ? { hint: values.hint } : {}),
    ...(values.solution ? { solution: values.solution } : {}),
  };
}

/** Step files in order: Markdown files sorted by name (01-..., 02-...). */
export function stepFiles(names: string[]): string[] {
  return names.filter((name) => name.endsWith('.md') && name !== 'README.md').sort();
}
