/** Keeps the last `max` lines of some output (for error reports). */
export class TailBuffer {
  private readonly lines: string[] = [];
  constructor(private readonly max = 30) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  get(): string[] {
    return [...this.lines];
  }
}

/** Splits a stream of text chunks into lines (\n or \r separated), keeping a partial last line. */
export class LineSplitter {
  private pending = '';
  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const parts = (this.pending + chunk).split(/\r\n|\n|\r/);
    this.pending = parts.pop() ?? '';
    for (const p of parts) this.onLine(p);
  }

  end(): void {
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }
}
