import { describe, expect, it } from 'vitest';
import { demultiplexLog } from './docker-log';

function frame(stream: number, text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('demultiplexLog', () => {
  it('joins the frames of stdout and stderr in order', () => {
    expect(demultiplexLog(Buffer.concat([frame(1, 'starting\n'), frame(2, 'panic: no such host\n'), frame(1, 'bye\n')]))).toBe(
      'starting\npanic: no such host\nbye\n',
    );
  });

  it('passes a TTY log (no frame headers) through', () => {
    expect(demultiplexLog(Buffer.from('plain text from a tty\n'))).toBe('plain text from a tty\n');
  });

  it('drops a partial header at the end', () => {
    expect(demultiplexLog(Buffer.concat([frame(1, 'whole\n'), Buffer.from([1, 0, 0])]))).toBe('whole\n');
  });
});
