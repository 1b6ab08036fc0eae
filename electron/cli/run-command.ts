import { Output, toAppError } from './output';
import { exitCodeFor } from './exit-codes';

/**
 * Runs one command body: errors become one clear line (never a stack trace) and the documented exit code.
 * The body may set process.exitCode itself for partial failures (ingest, verify).
 */
export async function runCommand(opts: { json?: boolean }, body: (out: Output) => Promise<void>): Promise<void> {
  const out = new Output(Boolean(opts.json));
  try {
    await body(out);
  } catch (err) {
    const error = toAppError(err);
    out.error(error);
    process.exitCode = exitCodeFor(error.code);
  }
}
