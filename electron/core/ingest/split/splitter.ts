import type { RawRecord } from '../record';

/**
 * A push-based record splitter: fed chunks of any size (down to one byte), it appends complete
 * records to `out`. Synchronous so format detection can run it over a sample.
 */
export interface Splitter {
  push(chunk: Buffer, out: RawRecord[]): void;
  /** Flushes whatever the last chunk left pending. */
  end(out: RawRecord[]): void;
}

export const LF = 0x0a;
export const CR = 0x0d;

/**
 * Whether a file's lines end with a bare CR (classic Mac OS, some exports of old tools): its sample holds
 * carriage returns and not one line feed. Read with LF as the terminator, such a file would be one record
 * and every line after the first would vanish inside it. A file with any LF keeps LF lines (a stray CR
 * inside a line stays data).
 */
export function endsLinesWithCr(sample: Buffer): boolean {
  return sample.indexOf(LF) === -1 && sample.indexOf(CR) !== -1;
}

/** True for a record made only of spaces, tabs and CRs: such lines are skipped, not records. */
export function isBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}
