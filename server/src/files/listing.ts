import type { FileEntry } from '../protocol/api-types';

/** find's %y letters. */
const TYPES: Record<string, FileEntry['type']> = { f: 'file', d: 'dir', l: 'symlink' };

/**
 * Parses `find <dir> -mindepth 1 -maxdepth 1 -printf '%y\t%s\t%f\0'` (NUL-separated, so any file
 * name, newlines included, survives) into entries: folders first, then by name.
 */
export function parseListing(output: string): FileEntry[] {
  const entries: FileEntry[] = [];
  for (const record of output.split('\0')) {
    if (!record) continue;
    const first = record.indexOf('\t');
    const second = record.indexOf('\t', first + 1);
    if (first < 0 || second < 0) continue;
    const name = record.slice(second + 1);
    if (!name) continue;
    entries.push({ name, type: TYPES[record.slice(0, first)] ?? 'other', size: Number(record.slice(first + 1, second)) || 0 });
  }
  return entries.sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name));
}
