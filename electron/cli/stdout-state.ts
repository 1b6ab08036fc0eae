import { EXIT } from './exit-codes';
import { writeOrStop } from '../core/io/write-or-stop';

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
 * in memory ahead of a slow reader). Resolves false once the reader is gone: stop producing. Other
 * failures are reported by watchStdout's listener, so they stop the output here too.
 */
export async function writeOut(text: string): Promise<boolean> {
  if (closedByReader) return false;
  try {
    return (await writeOrStop(process.stdout, text)) && !closedByReader;
  } catch {
    return false;
  }
}
