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

/** True for a record made only of spaces, tabs and CRs: such lines are skipped, not records. */
export function isBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}
