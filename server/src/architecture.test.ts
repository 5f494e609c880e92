import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering the README's "How it is built" describes, checked on the imports themselves: the
// driver is the one door into Docker, and what lies below the services never reaches up into them.

const SRC = path.dirname(fileURLToPath(import.meta.url));

/** Source files under server/src (tests excluded: they may reach across layers to set things up). */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Module specifiers a file imports (static imports and re-exports, dynamic import() too). */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) {
    found.push((match[1] ?? match[2] ?? match[3])!);
  }
  return found;
}

/** The top folder under server/src a file (or a relative import from it) lands in: "docker", "sessions", "main.ts". */
function area(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0]!;
}

const files = sourceFiles().map((file) => ({ file, area: area(file), imports: importsOf(readFileSync(file, 'utf8')) }));

/** What sits below the services: they may be used by everything above, and use none of it. */
const BELOW_THE_SERVICES = ['docker', 'sandbox', 'firewall', 'addresses', 'secrets', 'protocol'];
const SERVICES = ['front', 'sessions', 'reaper', 'terminal', 'http', 'admission', 'workshops', 'templates', 'files', 'ports', 'proxy', 'metrics', 'main.ts'];

describe('architecture', () => {
  it('reads imports the way TypeScript writes them', () => {
    expect(importsOf("import type Docker from 'dockerode';\nimport { a,\n b } from '../x/y';\nexport { c } from './z';\nconst m = await import('node:fs');"))
      .toEqual(['dockerode', '../x/y', './z', 'node:fs']);
  });

  it('only the Docker implementation (server/src/docker/) imports dockerode', () => {
    const outside = files.filter(({ area, imports }) => area !== 'docker' && imports.some((spec) => spec === 'dockerode' || spec.startsWith('dockerode/')));
    expect(outside.map(({ file }) => path.relative(SRC, file))).toEqual([]);
    // The rule has something to hold: the driver itself does import it.
    expect(files.some(({ area, imports }) => area === 'docker' && imports.includes('dockerode'))).toBe(true);
  });

  it('nothing below the services imports the services', () => {
    const upward = files.flatMap(({ file, area: from, imports }) =>
      BELOW_THE_SERVICES.includes(from)
        ? imports
            .filter((spec) => spec.startsWith('.'))
            .map((spec) => area(path.resolve(path.dirname(file), spec)))
            .filter((to) => SERVICES.includes(to) || SERVICES.includes(`${to}.ts`))
            .map((to) => `${path.relative(SRC, file)} -> ${to}`)
        : [],
    );
    expect(upward).toEqual([]);
  });
});
