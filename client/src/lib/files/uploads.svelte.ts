// One batch of uploads at a time into an instance, with progress for the page to show.
import { ApiError } from '../api';
import { uploadFile } from './files-api';
import { totalBytes, uploadPath, type PendingUpload } from './upload-paths';

export class Uploads {
  active = $state(false);
  /** Bytes sent of the whole batch. */
  loaded = $state(0);
  total = $state(0);
  /** The file being sent now. */
  current = $state('');
  /** Why the batch stopped, in words (the server's own, e.g. the size limit). */
  error = $state<string | null>(null);
  /** What the last finished batch did. */
  finished = $state<string | null>(null);

  /** Sends the files one after another into `targetDir` of the instance. */
  async run(sessionId: string, instance: string, targetDir: string, pending: PendingUpload[]): Promise<void> {
    if (this.active || pending.length === 0) return;
    this.active = true;
    this.error = null;
    this.finished = null;
    this.loaded = 0;
    this.total = totalBytes(pending);
    let before = 0;
    try {
      for (const upload of pending) {
        const path = uploadPath(targetDir, upload.relativePath);
        this.current = path;
        await uploadFile(sessionId, instance, path, upload.file, (loaded) => (this.loaded = before + loaded));
        before += upload.file.size;
        this.loaded = before;
      }
      this.finished = pending.length === 1 ? `Uploaded ${this.current}` : `Uploaded ${pending.length} files to ${targetDir}`;
    } catch (error) {
      this.error = error instanceof ApiError || error instanceof Error ? `${this.current}: ${error.message}` : 'The upload failed.';
    } finally {
      this.active = false;
    }
  }
}
