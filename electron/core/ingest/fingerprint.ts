import { hash } from 'node:crypto';
import { joinFingerprint } from '../chain/chain-record';

/**
 * Event fingerprints: what makes an import idempotent.
 *
 *   fp = first 64 bits (big-endian, signed) of
 *        SHA-256( scope UTF-8 ‖ 0x00 ‖ raw record with trailing CR/LF trimmed ‖ u32be occurrence ‖ u32be event index )
 *   where scope is the source name, with the header's column names for CSV (fingerprintScope)
 *   (signed input: raw is the JWS line, followed by a third u32be, the index of the record inside its payload)
 *
 * occurrence counts identical raw records earlier in the same file, so a file that genuinely repeats a
 * line keeps every copy, while a re-import (or an overlapping file) produces the same fingerprints and
 * dedups on the events (time, fp) unique index. event index numbers the events one record produced
 * (a record that yields one event uses 0). Both are always present, so the layout is unambiguous.
 *
 * Bound: occurrences are counted in two generations of at most OCCURRENCE_GENERATION distinct records
 * each (about 100 bytes per entry, so at most ~20 MB). An identical record that reappears after more than
 * that many distinct records in between restarts at occurrence 0 and is counted as a duplicate of the
 * first copy (never lost from the accounting: read = imported + duplicates + quarantined still holds).
 * Identical raw lines carry the same timestamp, so in real logs they sit next to each other.
 */
export const OCCURRENCE_GENERATION = 100_000;

/**
 * What the fingerprint's "source name" part covers: the source name, and for CSV also the header's
 * column names (0x00 "csv:" then the names joined by 0x1F). A CSV row's bytes alone are not its record:
 * the same row under a header with two columns swapped is another event, and it was dropped as a
 * duplicate when only the source name and the row were hashed.
 */
export function fingerprintScope(sourceName: string, csvHeader?: readonly string[]): string {
  return csvHeader === undefined ? sourceName : `${sourceName}\u0000csv:${csvHeader.join('\u001f')}`;
}

/**
 * How many times a key was seen before, remembered over two generations of at most `generation` distinct
 * keys each (the bound documented above): when the current generation fills, it becomes the previous one.
 */
class BoundedOccurrences<K> {
  private current = new Map<K, number>();
  private previous = new Map<K, number>();
  constructor(private readonly generation: number) {}

  /** Counts one more sighting of `key`; returns how many came before it (0 for the first). */
  next(key: K): number {
    let seen = this.current.get(key);
    if (seen === undefined) {
      seen = this.previous.get(key);
      if (seen !== undefined) this.previous.delete(key);
    }
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, (seen ?? 0) + 1);
    return seen ?? 0;
  }
}

/**
 * BoundedOccurrences for the fingerprinter's number keys, in typed arrays (open addressing, linear
 * probing): a Map entry per record cost about 2 µs of the parse thread's time per record (a heap number
 * and a hash-table insert each). Same answers as BoundedOccurrences: a key found only in the previous
 * generation is copied into the current one, which then shadows it until the previous one is dropped.
 */
class NumberOccurrences {
  private readonly mask: number;
  private keys: Float64Array;
  /** Sightings per slot so far; 0 marks an empty slot. */
  private counts: Uint32Array;
  private size = 0;
  private previousKeys: Float64Array;
  private previousCounts: Uint32Array;

  constructor(private readonly generation: number) {
    // At most half full: probes stay short.
    let capacity = 16;
    while (capacity < generation * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.keys = new Float64Array(capacity);
    this.counts = new Uint32Array(capacity);
    this.previousKeys = new Float64Array(capacity);
    this.previousCounts = new Uint32Array(capacity);
  }

  /** Counts one more sighting of `key` (a safe integer); returns how many came before it (0 for the first). */
  next(key: number): number {
    let seen = this.count(this.keys, this.counts, key);
    if (seen === 0) seen = this.count(this.previousKeys, this.previousCounts, key);
    if (this.size >= this.generation) this.rotate();
    // `key & mask` is exact for any safe integer (ToInt32 takes it modulo 2^32), negatives included.
    let slot = key & this.mask;
    while (this.counts[slot] !== 0 && this.keys[slot] !== key) slot = (slot + 1) & this.mask;
    if (this.counts[slot] === 0) {
      this.keys[slot] = key;
      this.size++;
    }
    this.counts[slot] = seen + 1;
    return seen;
  }

  private count(keys: Float64Array, counts: Uint32Array, key: number): number {
    for (let slot = key & this.mask; counts[slot] !== 0; slot = (slot + 1) & this.mask) {
      if (keys[slot] === key) return counts[slot]!;
    }
    return 0;
  }

  /** The current generation becomes the previous one; the one before is forgotten. */
  private rotate(): void {
    const keys = this.previousKeys;
    const counts = this.previousCounts;
    this.previousKeys = this.keys;
    this.previousCounts = this.counts;
    counts.fill(0);
    this.keys = keys;
    this.counts = counts;
    this.size = 0;
  }
}

export class Fingerprinter {
  private readonly prefix: Buffer;
  private scratch: Buffer;
  /** Keyed by 53 bits of the first fingerprint as a number: bigint Map keys cost several times more. */
  private readonly occurrences: NumberOccurrences;
  /** Occurrence index of the record last passed to next(). */
  lastOccurrence = 0;

  constructor(
    sourceName: string,
    generation: number = OCCURRENCE_GENERATION,
  ) {
    this.occurrences = new NumberOccurrences(generation);
    this.prefix = Buffer.concat([Buffer.from(sourceName, 'utf8'), Buffer.from([0])]);
    this.scratch = Buffer.allocUnsafe(this.prefix.length + 64 * 1024);
    this.prefix.copy(this.scratch, 0);
  }

  /**
   * Fingerprint of event `eventIndex` of the `occurrence`-th copy of `raw`. Pure: retries use it directly.
   * `part` numbers the records inside a signed JWS (raw is then the JWS line): it adds a third u32 after
   * the event index, so an inner record's events keep their fingerprints whatever happens to its siblings.
   */
  compute(raw: Buffer, occurrence: number, eventIndex: number, part?: number): bigint {
    this.computeParts(raw, occurrence, eventIndex, part);
    return joinFingerprint(this.fpHi, this.fpLo);
  }

  /** compute() leaving the result in fpHi and fpLo only: the parse thread sends numbers, not bigints. */
  computeParts(raw: Buffer, occurrence: number, eventIndex: number, part?: number): void {
    const body = trimEol(raw);
    const p = this.prefix.length;
    const length = p + body.length + (part === undefined ? 8 : 12);
    if (length > this.scratch.length) {
      this.scratch = Buffer.allocUnsafe(length + 64 * 1024);
      this.prefix.copy(this.scratch, 0);
    }
    body.copy(this.scratch, p);
    this.scratch.writeUInt32BE(occurrence >>> 0, p + body.length);
    this.scratch.writeUInt32BE(eventIndex >>> 0, p + body.length + 4);
    if (part !== undefined) this.scratch.writeUInt32BE(part >>> 0, p + body.length + 8);
    // A latin1 string digest skips allocating a Buffer (and its GC-tracked backing store) per call.
    const digest = hash('sha256', this.scratch.subarray(0, length), 'binary');
    this.fpHi = ((digest.charCodeAt(0) << 24) | (digest.charCodeAt(1) << 16) | (digest.charCodeAt(2) << 8) | digest.charCodeAt(3)) | 0;
    this.fpLo = ((digest.charCodeAt(4) << 24) | (digest.charCodeAt(5) << 16) | (digest.charCodeAt(6) << 8) | digest.charCodeAt(7)) >>> 0;
  }

  /** Signed high and unsigned low 32 bits of the fingerprint computed last (compute, next, or their *Parts). */
  fpHi = 0;
  fpLo = 0;

  /**
   * Counts one more copy of `raw` in this file and returns the fingerprint of its first event;
   * `lastOccurrence` then holds the occurrence index, for the fingerprints of any further events.
   */
  next(raw: Buffer): bigint {
    this.nextParts(raw);
    return joinFingerprint(this.fpHi, this.fpLo);
  }

  /** next() leaving the fingerprint in fpHi and fpLo only (computeParts). */
  nextParts(raw: Buffer): void {
    this.computeParts(raw, 0, 0);
    const key = this.fpHi * 2097152 + (this.fpLo >>> 11); // 53 bits of it: an exact double
    const seen = this.occurrences.next(key);
    this.lastOccurrence = seen;
    if (seen !== 0) this.computeParts(raw, seen, 0);
  }

  /** next(raw) for a record that goes to quarantine: its key across imports (quarantine.ts). */
  quarantineKey(raw: Buffer): { fp: bigint; occurrence: number } {
    const fp = this.next(raw);
    return { fp, occurrence: this.lastOccurrence };
  }
}

/** Occurrence counting alone (no fingerprint), for re-deriving occurrence indexes of quarantined rows. */
export class OccurrenceCounter {
  private readonly occurrences: BoundedOccurrences<string>;
  constructor(generation: number = OCCURRENCE_GENERATION) {
    this.occurrences = new BoundedOccurrences(generation);
  }

  next(raw: Buffer): number {
    return this.occurrences.next(hash('sha256', trimEol(raw), 'base64'));
  }
}

export function trimEol(raw: Buffer): Buffer {
  let end = raw.length;
  while (end > 0 && (raw[end - 1] === 0x0a || raw[end - 1] === 0x0d)) end--;
  return end === raw.length ? raw : raw.subarray(0, end);
}

/** The 64-bit fingerprint as 16 hex digits (unsigned), for display and export. */
export function fingerprintHex(fp: bigint): string {
  return BigInt.asUintN(64, fp).toString(16).padStart(16, '0');
}
