// The files API of an instance (README: "HTTP API"), for the files panel, the editor and uploads.
import type { FileEntry, FileListing, FileWritten } from '../../../../server/src/protocol/api-types';
import { ApiError } from '../api';

function base(sessionId: string, instance: string): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}/instances/${encodeURIComponent(instance)}/files`;
}

/** The URL that downloads a file, or a folder as a tar archive. */
export function downloadUrl(sessionId: string, instance: string, path: string): string {
  return `${base(sessionId, instance)}?path=${encodeURIComponent(path)}`;
}

async function failure(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) return new ApiError(response.status, (body.error.code ?? 'unexpected_response') as never, body.error.message);
  } catch {
    // not JSON
  }
  return new ApiError(response.status, 'unexpected_response', `The server answered ${response.status}.`);
}

export async function listFolder(sessionId: string, instance: string, path: string): Promise<FileListing> {
  const response = await fetch(`${base(sessionId, instance)}/list?path=${encodeURIComponent(path)}`, { cache: 'no-store' });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as FileListing;
}

/** What is at `path` (a file or a folder), or null when nothing is: asked of its folder's listing. */
export async function entryAt(sessionId: string, instance: string, path: string): Promise<FileEntry | null> {
  const slash = path.lastIndexOf('/');
  const folder = slash <= 0 ? '/' : path.slice(0, slash);
  const name = path.slice(slash + 1);
  const listing = await listFolder(sessionId, instance, folder);
  return listing.entries.find((entry) => entry.name === name) ?? null;
}

export async function readText(sessionId: string, instance: string, path: string): Promise<string> {
  const response = await fetch(downloadUrl(sessionId, instance, path), { cache: 'no-store' });
  if (!response.ok) throw await failure(response);
  return response.text();
}

export async function writeText(sessionId: string, instance: string, path: string, text: string): Promise<FileWritten> {
  const response = await fetch(downloadUrl(sessionId, instance, path), { method: 'PUT', body: text });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as FileWritten;
}

/**
 * Uploads one file with progress (XMLHttpRequest: fetch reports no upload progress). Rejects with
 * an ApiError carrying the server's words (e.g. the size limit).
 */
export function uploadFile(
  sessionId: string,
  instance: string,
  path: string,
  file: Blob,
  onProgress: (loadedBytes: number) => void,
): Promise<FileWritten> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', downloadUrl(sessionId, instance, path));
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      let body: { error?: { code?: string; message?: string } } & Partial<FileWritten> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status === 201) resolve(body as FileWritten);
      else reject(new ApiError(xhr.status, (body.error?.code ?? 'unexpected_response') as never, body.error?.message ?? `The server answered ${xhr.status}.`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload could not reach the playground server.'));
    xhr.send(file);
  });
}
