/** One record cut from an input file by a splitter, before parsing. */
export interface RawRecord {
  /** 1-based line number where the record starts. */
  line: number;
  /** 1-based place of the record in the array of a JSON document it was cut from ({"Records":[…]}); unset for a line. */
  element?: number;
  /**
   * The record's exact bytes (for an oversized record: only its first OVERSIZE_KEPT_BYTES).
   * Often a view into a larger read buffer: copy it if you keep it for long.
   */
  raw: Buffer;
  /** Set when the splitter itself rejected it (oversize, unterminated). */
  error?: string;
  /** The record's real length when `raw` was truncated (oversized records only). */
  byteLength?: number;
}

/** A record longer than this is not parsed: it is reported as oversized. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** How much of an oversized record is kept, so the quarantine can show what it was. */
export const OVERSIZE_KEPT_BYTES = 1024 * 1024;
/** JSON nested deeper than this is refused before JSON.parse (stack and time safety). */
export const MAX_JSON_DEPTH = 64;
/** A JSON record with more values than this is refused before JSON.parse (heap safety: a real audit
 * record holds hundreds; 16 MiB of `[[],[],…]` holds millions, each an object on the heap). */
export const MAX_JSON_VALUES = 200_000;

export function oversizeReason(byteLength: number): string {
  return `record is ${byteLength.toLocaleString('en-US')} bytes, over the 16 MiB limit; only its first 1 MiB is kept`;
}

/**
 * Collects the pieces of one record as it streams in, switching to "count only" once it passes the cap,
 * so a hostile 1 GB line never sits in memory.
 */
export class RecordAccumulator {
  private parts: Buffer[] = [];
  private length = 0;
  private oversize = false;

  get size(): number {
    return this.length;
  }

  add(piece: Buffer): void {
    if (piece.length === 0) return;
    this.length += piece.length;
    if (this.oversize) return;
    this.parts.push(piece);
    if (this.length > MAX_RECORD_BYTES) this.truncate();
  }

  /** Builds the record and resets for the next one. `last` is the final piece, not yet added. */
  take(line: number, last?: Buffer): RawRecord {
    if (last && last.length > 0) {
      if (this.parts.length === 0 && !this.oversize && last.length <= MAX_RECORD_BYTES) {
        // Fast path: the whole record lies inside one read buffer.
        this.length = 0;
        return { line, raw: last };
      }
      this.add(last);
    }
    let record: RawRecord;
    if (this.oversize) {
      record = { line, raw: this.parts[0] ?? Buffer.alloc(0), error: oversizeReason(this.length), byteLength: this.length };
    } else {
      const raw = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.length);
      record = { line, raw };
    }
    this.reset();
    return record;
  }

  reset(): void {
    this.parts = [];
    this.length = 0;
    this.oversize = false;
  }

  /** The bytes gathered so far (capped), for records cut short by the end of the file. */
  peek(): Buffer {
    if (this.oversize) return this.parts[0] ?? Buffer.alloc(0);
    return this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
  }

  get isOversize(): boolean {
    return this.oversize;
  }

  private truncate(): void {
    // concat with a total length copies only that many bytes.
    this.parts = [Buffer.concat(this.parts, Math.min(this.length, OVERSIZE_KEPT_BYTES))];
    this.oversize = true;
  }
}
