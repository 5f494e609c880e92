/**
 * The most recent output of a terminal, at most `limit` bytes, replayed to a socket that attaches
 * (a reload, a reconnect, a second browser). Oldest bytes are dropped first.
 */
export class Scrollback {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.bytes;
  }

  append(chunk: Buffer): void {
    if (this.limit === 0 || chunk.length === 0) return;
    if (chunk.length >= this.limit) {
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.limit))];
      this.bytes = this.limit;
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes > this.limit) {
      const first = this.chunks[0]!;
      const excess = this.bytes - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.bytes -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.bytes -= excess;
      }
    }
  }

  snapshot(): Buffer {
    return Buffer.concat(this.chunks, this.bytes);
  }
}
