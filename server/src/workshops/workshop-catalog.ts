import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseKillercodaScenario } from './killercoda-scenario';
import { parseMetadata, parseStep, stepFiles, WORKSHOP_NAME, WorkshopFormatError, type Workshop } from './workshop-format';

export interface CatalogLoad {
  workshops: Workshop[];
  /** One sentence per workshop that could not be loaded (it is left out; the others load). */
  problems: string[];
  /** What loaded workshops leave out (a Killercoda scenario's unsupported fields), in words. */
  notes: string[];
}

/**
 * The installed workshops: one folder each under WORKSHOPS_DIR. Read from disk on every request,
 * so a trainer's edit shows at the next page load; a malformed workshop is reported and skipped.
 */
export class WorkshopCatalog {
  constructor(private readonly dir: string) {}

  async load(): Promise<CatalogLoad> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    const workshops: Workshop[] = [];
    const problems: string[] = [];
    const notes: string[] = [];
    for (const entry of entries.filter((candidate) => candidate.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      try {
        workshops.push(await this.loadOne(entry.name, notes));
      } catch (error) {
        if (!(error instanceof WorkshopFormatError)) throw error;
        problems.push(error.message);
      }
    }
    return { workshops, problems, notes };
  }

  async find(name: string): Promise<Workshop | undefined> {
    return (await this.load()).workshops.find((workshop) => workshop.name === name);
  }

  private async loadOne(name: string, notes: string[]): Promise<Workshop> {
    const folder = path.join(this.dir, name);
    const metaText = await readFile(path.join(folder, 'workshop.json'), 'utf8').catch(() => undefined);
    if (metaText === undefined) {
      // No workshop.json: a Killercoda scenario (index.json), loaded as it is.
      if (!(await exists(path.join(folder, 'index.json')))) throw new WorkshopFormatError(`${name}: workshop.json is missing (or index.json, for a Killercoda scenario)`);
      if (!WORKSHOP_NAME.test(name)) throw new WorkshopFormatError(`${name}: a workshop folder name is lowercase letters, digits and dashes`);
      const { workshop, ignored } = await parseKillercodaScenario(name, (relative) => readFile(path.join(folder, relative), 'utf8').catch(() => undefined));
      for (const note of ignored) notes.push(`${name}: ${note}`);
      return workshop;
    }
    const meta = parseMetadata(name, metaText);
    const files = stepFiles(await readdir(folder));
    if (files.length === 0) throw new WorkshopFormatError(`${name}: no step files (01-first-step.md, ...)`);
    const steps = [];
    for (const [index, file] of files.entries()) {
      steps.push(parseStep(`${name}/${file}`, index + 1, await readFile(path.join(folder, file), 'utf8')));
    }
    return { ...meta, steps };
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
