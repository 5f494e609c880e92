import type Docker from 'dockerode';

// Docker's log and attach streams of a container without a TTY are multiplexed: each frame is an
// 8-byte header (stream 0/1/2, three zero bytes, a big-endian length) and that many bytes.

/** The text of a multiplexed log buffer, stdout and stderr in order; a TTY container's log passes through. */
export function demultiplexLog(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    if ((stream !== 0 && stream !== 1 && stream !== 2) || buffer[offset + 1] !== 0) return buffer.toString('utf8');
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The last non-empty lines of a container's log (at most `count`); none when it cannot be read. */
export async function containerLogTail(docker: Docker, id: string, count = 30): Promise<string[]> {
  try {
    const raw = (await docker.getContainer(id).logs({ stdout: true, stderr: true, tail: count, follow: false })) as unknown;
    const text = demultiplexLog(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
    return text.split('\n').filter(Boolean).slice(-count);
  } catch {
    return [];
  }
}
