import { RecordAccumulator, type RawRecord } from '../record';
import type { Splitter } from './splitter';

/**
 * Keys of a top-level object whose array value holds the records ({"Records":[...]} from CloudTrail,
 * {"events":[...]} and similar exports). Any other top-level object is itself one record.
 */
// 'Events': the output of `aws cloudtrail lookup-events`.
export const CONTAINER_KEYS: ReadonlySet<string> = new Set(['Records', 'records', 'Events', 'events', 'logs', 'items', 'data', 'results', 'entries']);
const MAX_KEY_BYTES = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * Streams a JSON document (or several concatenated ones) into records without parsing it:
 * - a top-level array: each element is a record;
 * - a top-level object with a container key holding an array of objects: each element is a record;
 * - any other top-level object: the object is one record (a pretty-printed single CloudTrail event).
 * Each record's raw bytes are exactly the element's bytes; its line is where the element starts.
 * Bracket- and string-aware, constant memory apart from the record being cut (capped).
 */
export class JsonDocumentSplitter implements Splitter {
  /** True once a container key was seen (detection uses this to tell a Records file from JSON Lines). */
  sawContainer = false;

  private readonly acc = new RecordAccumulator();
  private line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** 'array' or 'object' while inside a top-level value, null between values. */
  private top: 'array' | 'object' | null = null;
  /** Depth at which the current array's elements are records; -1 when not inside such an array. */
  private elementDepth = -1;

  private inRecord = false;
  /** Depth before the record's first byte; the record ends when the depth comes back to it. */
  private recordBase = 0;
  /** The record is a scalar (string, number, literal) rather than an object or array. */
  private scalar = false;
  private recordLine = 0;
  /** The record's 1-based place in the array being split (0: not an element), and the count so far. */
  private recordElement = 0;
  private elementCount = 0;
  private junk = false;

  // Key tracking for the top-level object (depth 1).
  private expectKey = false;
  private capturingKey = false;
  private keyBytes: number[] = [];
  private keyOverflow = false;
  private lastKey = '';
  /** Just opened '[' after a container key: the next non-space byte decides. */
  private containerCandidate = false;

  /** Inside a value that has not closed yet (an open bracket or string): what a multi-line document does. */
  get midValue(): boolean {
    return this.depth > 0 || this.inString;
  }

  get idle(): boolean {
    return !this.inRecord && !this.junk && this.depth === 0 && !this.inString;
  }

  push(chunk: Buffer, out: RawRecord[]): void {
    let start = 0; // where the pending record's bytes begin in this chunk
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i] as number;
      if (b === LF) this.line++;

      if (this.junk) {
        if (b === LF) {
          this.finishJunk(chunk.subarray(start, i), out);
        }
        continue;
      }

      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          if (this.capturingKey) this.captureKeyByte(b);
        } else if (b === BACKSLASH) {
          this.escaped = true;
          if (this.capturingKey) this.keyOverflow = true; // escaped keys are never container keys
        } else if (b === QUOTE) {
          this.inString = false;
          if (this.capturingKey) {
            this.capturingKey = false;
            this.expectKey = false;
            this.lastKey = this.keyOverflow ? '' : String.fromCharCode(...this.keyBytes);
          }
          if (this.inRecord && this.scalar && this.depth === this.recordBase) {
            out.push(this.takeRecord(chunk.subarray(start, i + 1)));
            this.inRecord = false;
          }
        } else if (this.capturingKey) {
          this.captureKeyByte(b);
        }
        continue;
      }

      if (isWhitespace(b)) {
        if (this.inRecord && this.scalar && this.depth === this.recordBase) this.endScalar(chunk, start, i, out);
        continue;
      }

      if (this.containerCandidate) {
        this.containerCandidate = false;
        if (b === 0x7b /* { */ || b === 0x5d /* ] */) {
          // {"Records":[{...}, ...]}: the enclosing object is not a record, its elements are.
          this.sawContainer = true;
          if (this.inRecord) {
            this.acc.reset();
            this.inRecord = false;
          }
          this.elementDepth = this.depth;
          this.elementCount = 0;
        }
      }

      if (this.depth === 0 && this.top === null) {
        if (b === 0x2c /* , */) continue;
        if (b === 0x5b /* [ */) {
          this.top = 'array';
          this.depth = 1;
          this.elementDepth = 1;
          this.elementCount = 0;
          continue;
        }
        if (b === 0x7b /* { */) {
          this.top = 'object';
          this.startRecord(0, false);
          start = i;
          this.depth = 1;
          this.expectKey = true;
          continue;
        }
        // Top-level text that is not an object or array: report the rest of the line.
        this.junk = true;
        this.recordLine = this.line;
        start = i;
        continue;
      }

      if (this.depth === this.elementDepth && !this.inRecord) {
        if (b === 0x2c) continue;
        if (b !== 0x5d /* ] */ && b !== 0x7d /* } */) {
          start = i;
          if (b === 0x7b || b === 0x5b) {
            this.startRecord(this.depth, false);
          } else {
            this.startRecord(this.depth, true);
            if (b === QUOTE) this.inString = true;
            continue;
          }
        }
      } else if (this.inRecord && this.scalar && this.depth === this.recordBase) {
        if (b === 0x2c || b === 0x5d || b === 0x7d) this.endScalar(chunk, start, i, out);
        else continue; // more of a number or literal
      }

      switch (b) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1 && this.top === 'object' && this.expectKey) {
            this.capturingKey = true;
            this.keyBytes = [];
            this.keyOverflow = false;
          }
          break;
        case 0x7b: // {
        case 0x5b: // [
          if (b === 0x5b && this.depth === 1 && this.top === 'object' && CONTAINER_KEYS.has(this.lastKey)) {
            this.containerCandidate = true;
          }
          this.depth++;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          if (this.depth === this.elementDepth && b === 0x5d) this.elementDepth = -1;
          this.depth--;
          if (this.inRecord && !this.scalar && this.depth === this.recordBase) {
            out.push(this.takeRecord(chunk.subarray(start, i + 1)));
            this.inRecord = false;
          }
          if (this.depth <= 0) {
            this.depth = 0;
            this.top = null;
            this.elementDepth = -1;
          }
          break;
        case 0x2c: // ,
          if (this.depth === 1 && this.top === 'object') {
            this.expectKey = true;
            this.lastKey = '';
          }
          break;
        case 0x3a: // :
          if (this.depth === 1) this.expectKey = false;
          break;
        default:
          break;
      }
    }
    if (this.inRecord || this.junk) this.acc.add(chunk.subarray(start));
  }

  end(out: RawRecord[]): void {
    if (this.junk) {
      this.finishJunk(undefined, out);
    } else if (this.inRecord) {
      if (this.scalar && !this.inString) {
        out.push(this.takeRecord());
      } else {
        const record = this.takeRecord();
        const cut = record.error ? ` (${record.error})` : '';
        out.push({ ...record, error: `the JSON value starting on this line is not terminated: the file ends inside it${cut}` });
      }
      this.inRecord = false;
    }
  }

  private startRecord(base: number, scalar: boolean): void {
    this.inRecord = true;
    this.recordElement = base === this.elementDepth ? ++this.elementCount : 0;
    this.recordBase = base;
    this.scalar = scalar;
    this.recordLine = this.line;
    this.acc.reset();
  }

  private takeRecord(last?: Buffer): RawRecord {
    const record = this.acc.take(this.recordLine, last);
    if (this.recordElement > 0) record.element = this.recordElement;
    return record;
  }

  private endScalar(chunk: Buffer, start: number, i: number, out: RawRecord[]): void {
    out.push(this.takeRecord(chunk.subarray(start, i)));
    this.inRecord = false;
  }

  private finishJunk(last: Buffer | undefined, out: RawRecord[]): void {
    const record = this.acc.take(this.recordLine, last);
    let raw = record.raw;
    if (raw.length > 0 && raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, raw.length - 1);
    const why = 'not JSON: expected an object or an array here';
    out.push({ ...record, raw, error: record.error ? `${why}; ${record.error}` : why });
    this.junk = false;
  }

  private captureKeyByte(b: number): void {
    if (this.keyBytes.length >= MAX_KEY_BYTES) this.keyOverflow = true;
    else this.keyBytes.push(b);
  }
}
