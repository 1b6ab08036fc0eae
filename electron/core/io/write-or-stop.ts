import type { Writable } from 'node:stream';

/**
 * Writes to a stream, waiting while it is full (a long export must not pile up in memory ahead of a slow
 * reader). Resolves false once the destination is gone (its reader closed the pipe, as `| head` does:
 * EPIPE, or the stream was destroyed): stop producing. Any other error (a full disk) rejects.
 */
export async function writeOrStop(out: Writable, text: string): Promise<boolean> {
  if (out.destroyed) return false;
  if (out.write(text)) return true;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error): void => {
      out.off('drain', onDrain);
      out.off('close', onDrain);
      out.off('error', done);
      if (err !== undefined && (err as NodeJS.ErrnoException).code !== 'EPIPE') reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    out.once('drain', onDrain);
    out.once('close', onDrain);
    out.once('error', done);
  });
  return !out.destroyed;
}
