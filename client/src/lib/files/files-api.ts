// The files API of an instance (README: "HTTP API"), for the files panel, the editor and uploads.
import { apiPaths } from '../../../../server/src/protocol/api-paths';
import type { FileEntry, FileListing, FileWritten } from '../../../../server/src/protocol/api-types';
import { ApiError, errorFromBody, request, requestJson } from '../api';

/** Files can be large and instances busy: more time than the API's other calls. */
const FILE_TIMEOUT_MS = 120_000;

/** The URL that downloads a file, or a folder as a tar archive. */
export function downloadUrl(sessionId: string, instance: string, path: string): string {
  return apiPaths.file(sessionId, instance, path);
}

export async function listFolder(sessionId: string, instance: string, path: string): Promise<FileListing> {
  return requestJson<FileListing>('GET', apiPaths.folder(sessionId, instance, path), { timeoutMs: FILE_TIMEOUT_MS });
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
  return (await request('GET', downloadUrl(sessionId, instance, path), { timeoutMs: FILE_TIMEOUT_MS })).text();
}

export async function writeText(sessionId: string, instance: string, path: string, text: string): Promise<FileWritten> {
  return requestJson<FileWritten>('PUT', downloadUrl(sessionId, instance, path), { timeoutMs: FILE_TIMEOUT_MS, body: text });
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
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status === 201) resolve(body as FileWritten);
      else reject(errorFromBody(xhr.status, body, xhr.statusText));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload could not reach the playground server.'));
    xhr.send(file);
  });
}
