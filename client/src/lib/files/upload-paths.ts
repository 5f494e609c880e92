// Where dropped or picked files go inside an instance. Pure.

/** A file to upload and the path, relative to the target folder, it keeps (folders included). */
export interface PendingUpload {
  file: File;
  relativePath: string;
}

/**
 * The instance path of an upload: the target folder joined with the file's relative path. Empty,
 * "." and ".." segments are dropped, so a crafted name cannot climb out of the chosen folder (the
 * server confines every path to the instance anyway).
 */
export function uploadPath(targetDir: string, relativePath: string): string {
  const base = (targetDir.trim() || '/root').replace(/\/+$/, '') || '/';
  const segments = relativePath.split('/').filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (segments.length === 0) throw new Error('A file needs a name.');
  return `${base === '/' ? '' : base}/${segments.join('/')}`;
}

export function totalBytes(uploads: readonly PendingUpload[]): number {
  return uploads.reduce((sum, upload) => sum + upload.file.size, 0);
}

/** "12.3 MB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The editor's language, from a file name. */
export type EditorLanguage = 'dockerfile' | 'yaml' | 'json' | 'shell' | 'javascript' | 'python' | 'markdown' | 'plain';

export function languageFor(fileName: string): EditorLanguage {
  const name = fileName.toLowerCase();
  if (name === 'dockerfile' || name.startsWith('dockerfile.') || name.endsWith('.dockerfile') || name === 'containerfile') return 'dockerfile';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (name.endsWith('.json')) return 'json';
  if (/\.(sh|bash)$/.test(name) || name === '.bashrc' || name === '.profile') return 'shell';
  if (/\.(m?js|cjs|ts|jsx|tsx)$/.test(name)) return 'javascript';
  if (name.endsWith('.py')) return 'python';
  if (/\.(md|markdown)$/.test(name)) return 'markdown';
  return 'plain';
}
