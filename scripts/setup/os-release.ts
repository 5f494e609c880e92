import { readFile } from 'node:fs/promises';

/** The fields of /etc/os-release that matter here. */
export interface OsRelease {
  id: string;
  idLike: string[];
  versionId?: string;
  prettyName?: string;
}

/** Parses os-release(5) text: KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\(["\\$`])/g, '$1');
    }
    fields.set(line.slice(0, eq), value);
  }
  return {
    id: (fields.get('ID') ?? 'linux').toLowerCase(),
    idLike: (fields.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    versionId: fields.get('VERSION_ID'),
    prettyName: fields.get('PRETTY_NAME'),
  };
}

/** Debian, Ubuntu and their derivatives: apt-get and Debian's docker.io package are available. */
export function isDebianLike(os: OsRelease): boolean {
  return os.id === 'debian' || os.id === 'ubuntu' || os.idLike.includes('debian') || os.idLike.includes('ubuntu');
}

export async function readOsRelease(path = '/etc/os-release'): Promise<OsRelease | undefined> {
  try {
    return parseOsRelease(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
