import type Dockerode from 'dockerode';
import { messageText, type DockerStreamMessage } from './condense';
import { SetupError } from './errors';
import { LineSplitter, TailBuffer } from './tail-buffer';

export interface FollowOptions {
  /** Each text line the stream carries. */
  onLine?: (line: string) => void;
  /** Each raw message (for progress details, aux digests). */
  onMessage?: (msg: DockerStreamMessage) => void;
  tailLines?: number;
}

/**
 * Follows a Docker API progress stream (build, push, import, pull) to its end. Rejects with a
 * SetupError carrying the output's tail when the stream reports an error.
 */
export function followStream(docker: Dockerode, stream: NodeJS.ReadableStream, what: string, opts: FollowOptions = {}): Promise<DockerStreamMessage[]> {
  const tail = new TailBuffer(opts.tailLines ?? 40);
  const splitter = new LineSplitter((line) => {
    tail.push(line);
    opts.onLine?.(line);
  });
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: DockerStreamMessage[]) => {
        splitter.end();
        if (err) return reject(new SetupError(`${what}: ${err.message}`, tail.get(), { cause: err }));
        const failed = output.find((m) => m.error !== undefined);
        if (failed) {
          return reject(new SetupError(`${what}: ${failed.errorDetail?.message ?? failed.error}`, tail.get()));
        }
        resolve(output);
      },
      (msg: DockerStreamMessage) => {
        opts.onMessage?.(msg);
        splitter.push(messageText(msg));
      },
    );
  });
}

/** Whether an image (by reference) exists locally. */
export async function imageExists(docker: Dockerode, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (err) {
    if (statusCode(err) === 404) return false;
    throw err;
  }
}

export function statusCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'statusCode' in err ? (err as { statusCode?: number }).statusCode : undefined;
}
