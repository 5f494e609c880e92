import type { PendingUpload } from './upload-paths';

// Walks what was dropped on the page, folders included (the File System Entry API of drag and drop).

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function childrenOf(entry: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = entry.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries answers in batches until it answers with none.
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: PendingUpload[]): Promise<void> {
  if (entry.isFile) {
    out.push({ file: await fileOf(entry as FileSystemFileEntry), relativePath: `${prefix}${entry.name}` });
  } else if (entry.isDirectory) {
    for (const child of await childrenOf(entry as FileSystemDirectoryEntry)) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

/** Every file of a drop, each with its path relative to what was dropped (folder names kept). */
export async function droppedFiles(transfer: DataTransfer): Promise<PendingUpload[]> {
  const out: PendingUpload[] = [];
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry?.()).filter((entry): entry is FileSystemEntry => !!entry);
  if (entries.length === 0) {
    for (const file of transfer.files) out.push({ file, relativePath: file.name });
    return out;
  }
  for (const entry of entries) await walk(entry, '', out);
  return out;
}
