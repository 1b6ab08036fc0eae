import { EXIT } from './exit-codes';

/**
 * Standard output closed by its reader (`attest events --json | head -1`): output ends there, quietly,
 * instead of an unhandled EPIPE stack trace, and long listings stop instead of writing into the void.
 */
let closedByReader = false;

export function watchStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      closedByReader = true;
      return;
    }
    process.stderr.write(`attest: standard output failed: ${err.message}\n`);
    process.exitCode = EXIT.failure;
  });
}

/** True once nothing more written to standard output can arrive. */
export function stdoutClosed(): boolean {
  return closedByReader || process.stdout.destroyed;
}

/**
 * Writes to standard output, waiting while the reader's pipe is full (a million events must not pile up
 * in memory ahead of a slow reader). Resolves false once the reader is gone: stop producing.
 */
export async function writeOut(text: string): Promise<boolean> {
  if (stdoutClosed()) return false;
  if (process.stdout.write(text)) return true;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.stdout.off('drain', done);
      process.stdout.off('close', done);
      process.stdout.off('error', done);
      resolve();
    };
    process.stdout.once('drain', done);
    process.stdout.once('close', done);
    process.stdout.once('error', done);
  });
  return !stdoutClosed();
}
