import { AttestError, type AppError } from '../../shared/result';
import { sanitize } from './terminal-text';

/** Where a command writes: human lines or JSON, stdout for results, stderr for diagnostics. */
export class Output {
  constructor(readonly json: boolean) {}

  /** A result: JSON object on stdout with --json, else the human text. */
  result(value: unknown, human: string | string[]): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value)}\n`);
    else process.stdout.write(`${Array.isArray(human) ? human.join('\n') : human}\n`);
  }

  /** One JSON Lines record (always JSON). */
  line(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value)}\n`);
  }

  info(text: string): void {
    if (!this.json) process.stderr.write(`${text}\n`);
  }

  error(error: AppError): void {
    if (this.json) process.stdout.write(`${JSON.stringify({ ok: false, error })}\n`);
    // Tampering reads the same wherever it was found: verify's own report says TAMPERED too.
    process.stderr.write(`${error.code === 'TAMPERED' ? 'TAMPERED' : 'attest'}: ${sanitize(error.message)}\n`);
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AttestError) return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}

export const fmtInt = (n: number) => n.toLocaleString('en-US');
