import { hash as oneShotHash } from 'node:crypto';
import type { Db } from '../vault/database';
import {
  CHAIN_RECORD_VERSION,
  CHAIN_RECORD_VERSION_RAW_IS_EVENT,
  CHAIN_RECORD_VERSION_SIGNED_PART,
  GENESIS_HASH,
  SIGNED_PART_BYTES,
  recordBound,
  writeRecord,
  type ChainRecord,
  type SignedPartRef,
} from './chain-record';

/**
 * The event log is stored in blocks (event_blocks rows) of consecutive events, not one row per event:
 * one SQLite row per event cost more than all the rest of an import (environment guide: a row plus its
 * index entries is several µs), and verification is a straight pass over large blobs.
 *
 * event_blocks.data, for events first_seq..last_seq:
 *   32 bytes   hash of the event before first_seq (32 zero bytes before seq 1)
 *   then per event, in seq order:
 *     its canonical bytes (chain-record.ts, version 1, 2 or 3; self-delimiting: fixed header, length-prefixed
 *     event JSON and raw bytes, or in version 2 one length-prefixed string that is both; version 3 ends
 *     with its signed batch's JWS SHA-256 and record index)
 *     32 bytes  its hash = SHA-256(the 32 bytes before the canonical bytes ‖ the canonical bytes)
 * So every event's hash input is one contiguous view of the blob (no copy when appending or verifying),
 * and the chain bytes are exactly those of a row-per-event log: the hashes do not depend on the layout.
 */
export const BLOCK_MAX_EVENTS = 1024;
/** A block is closed once it holds this many bytes (a few huge records get blocks of their own). */
export const BLOCK_TARGET_BYTES = 1024 * 1024;

const HASH_BYTES = 32;
const TWO_32 = 4294967296;
/** Bytes before the first optional column: version, seq, time, fp, class, activity, status, severity. */
const FIXED_PREFIX = 1 + 8 * 7;

export interface BuiltBlock {
  firstSeq: number;
  lastSeq: number;
  minTime: number;
  maxTime: number;
  count: number;
  /** A view of the builder's buffer: valid until the builder is reset. */
  data: Buffer;
  /** The last event's hash (a copy). */
  headHash: Buffer;
}

/** Appends events to one block at a time; reuses its buffer between blocks. */
export class BlockBuilder {
  private buf = Buffer.allocUnsafe(BLOCK_TARGET_BYTES + 64 * 1024);
  private end = HASH_BYTES;
  private firstSeq = 0;
  private lastSeq = 0;
  private minTime = Number.POSITIVE_INFINITY;
  private maxTime = Number.NEGATIVE_INFINITY;
  count = 0;

  /** Starts a block after the event whose hash is prev. */
  reset(prev: Buffer): void {
    if (prev.length !== HASH_BYTES) throw new Error('A chain hash is 32 bytes.');
    prev.copy(this.buf, 0);
    this.end = HASH_BYTES;
    this.count = 0;
    this.minTime = Number.POSITIVE_INFINITY;
    this.maxTime = Number.NEGATIVE_INFINITY;
  }

  get full(): boolean {
    return this.count >= BLOCK_MAX_EVENTS || this.end >= BLOCK_TARGET_BYTES;
  }

  /** Appends r (r.seq must follow the block's last seq) and hashes it after the one before. */
  append(r: ChainRecord): void {
    this.put(r, null);
  }

  /**
   * Appends r with a hash computed elsewhere (a migration repacking stored rows copies their stored
   * hashes: recomputing them would launder any tampering that happened before).
   */
  appendStored(r: ChainRecord, storedHash: Buffer): void {
    // The bytes must be the ones that were hashed: never let writeRecord pick the version.
    if (r.version === undefined) throw new TypeError('A stored record is repacked with the version it was hashed with.');
    this.put(r, storedHash);
  }

  private put(r: ChainRecord, storedHash: Buffer | null): void {
    const needed = this.end + recordBound(r) + HASH_BYTES;
    if (needed > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.end);
      this.buf = grown;
    }
    const start = this.end;
    const recordEnd = writeRecord(this.buf, start, r);
    if (storedHash !== null) storedHash.copy(this.buf, recordEnd, 0, HASH_BYTES);
    // A latin1 digest string is cheaper than a digest Buffer per event (no backing store for the GC).
    else this.buf.write(oneShotHash('sha256', this.buf.subarray(start - HASH_BYTES, recordEnd), 'binary'), recordEnd, HASH_BYTES, 'latin1');
    this.end = recordEnd + HASH_BYTES;
    if (this.count === 0) this.firstSeq = r.seq;
    this.lastSeq = r.seq;
    this.count++;
    if (r.time < this.minTime) this.minTime = r.time;
    if (r.time > this.maxTime) this.maxTime = r.time;
  }

  /** The block so far. */
  build(): BuiltBlock {
    if (this.count === 0) throw new Error('An empty block is never stored.');
    return {
      firstSeq: this.firstSeq,
      lastSeq: this.lastSeq,
      minTime: this.minTime,
      maxTime: this.maxTime,
      count: this.count,
      data: this.buf.subarray(0, this.end),
      headHash: Buffer.from(this.buf.subarray(this.end - HASH_BYTES, this.end)),
    };
  }
}

/** A statement storing built blocks as event_blocks rows (the data is copied: the builder may be reused). */
export function blockInserter(db: Db): (b: BuiltBlock) => void {
  const insert = db.prepare(
    'INSERT INTO event_blocks (first_seq, last_seq, min_time, max_time, count, head_hash, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  return (b) => {
    insert.run(b.firstSeq, b.lastSeq, b.minTime, b.maxTime, b.count, b.headHash, b.data);
  };
}

/**
 * Packs rows that already carry their hashes (a migration from the row-per-event layout; tests playing
 * an attacker) into blocks, in the order given: a seq gap or a full block starts a new block, which
 * starts from the stored hash of the row before it. Hashes are copied, never recomputed.
 */
export class StoredBlockPacker {
  private readonly builder = new BlockBuilder();
  private lastSeq: number | null = null;
  private prev: Buffer = GENESIS_HASH;

  constructor(
    private readonly write: (b: BuiltBlock) => void,
    private readonly maxEvents: number = BLOCK_MAX_EVENTS,
  ) {
    this.builder.reset(this.prev);
  }

  add(r: ChainRecord, storedHash: Buffer): void {
    if ((this.lastSeq !== null && r.seq !== this.lastSeq + 1) || this.builder.full || this.builder.count >= this.maxEvents) {
      this.finish();
      this.builder.reset(this.prev);
    }
    this.builder.appendStored(r, storedHash);
    this.prev = storedHash;
    this.lastSeq = r.seq;
  }

  /** Writes the block being filled (call once after the last row). */
  finish(): void {
    if (this.builder.count > 0) this.write(this.builder.build());
  }
}

/** The columns of one event as stored in a block (ChainRecord's), with the offsets of its variable parts. */
export interface EventRecord extends Omit<ChainRecord, 'fpHi' | 'fpLo' | 'event' | 'raw' | 'signedPart'> {
  /** Where the canonical bytes start (the 32 bytes before are the previous hash). */
  start: number;
  eventStart: number;
  eventEnd: number;
  rawStart: number;
  rawEnd: number;
  /** Version 3: where its JWS's SHA-256 starts (the u32 index follows); -1 for other versions. */
  signedPartStart: number;
  /** The event's hash is data[hashStart, hashStart + 32). */
  hashStart: number;
}

export class BlockFormatError extends Error {}

function readI64(b: Buffer, o: number): number {
  return b.readInt32BE(o) * TWO_32 + b.readUInt32BE(o + 4);
}

/** Parses the record starting at p (bounds-checked: a malformed block throws BlockFormatError). */
export function readRecord(b: Buffer, p: number): EventRecord {
  if (p + FIXED_PREFIX + 3 + 8 + 1 + 4 > b.length) throw new BlockFormatError('truncated record');
  const version = b[p];
  if (version !== CHAIN_RECORD_VERSION && version !== CHAIN_RECORD_VERSION_RAW_IS_EVENT && version !== CHAIN_RECORD_VERSION_SIGNED_PART) {
    throw new BlockFormatError('unknown record version');
  }
  let q = p + FIXED_PREFIX;
  const optional = (): number | null => {
    const flag = b[q];
    if (flag === 0) {
      q += 1;
      return null;
    }
    if (flag !== 1 || q + 9 > b.length) throw new BlockFormatError('malformed optional column');
    const v = readI64(b, q + 1);
    q += 9;
    return v;
  };
  const actorId = optional();
  const ipId = optional();
  if (q + 8 > b.length) throw new BlockFormatError('truncated record');
  const sourceId = readI64(b, q);
  q += 8;
  const batchId = optional();
  if (q + 4 > b.length) throw new BlockFormatError('truncated record');
  const eventStart = q + 4;
  const eventEnd = eventStart + b.readUInt32BE(q);
  let rawStart = eventStart;
  let rawEnd = eventEnd;
  if (version !== CHAIN_RECORD_VERSION_RAW_IS_EVENT) {
    if (eventEnd + 4 > b.length) throw new BlockFormatError('truncated record');
    rawStart = eventEnd + 4;
    rawEnd = rawStart + b.readUInt32BE(eventEnd);
  }
  const signedPartStart = version === CHAIN_RECORD_VERSION_SIGNED_PART ? rawEnd : -1;
  const hashStart = signedPartStart === -1 ? rawEnd : rawEnd + SIGNED_PART_BYTES;
  if (hashStart + HASH_BYTES > b.length) throw new BlockFormatError('truncated record');
  return {
    seq: readI64(b, p + 1),
    time: readI64(b, p + 9),
    classUid: readI64(b, p + 25),
    activityId: readI64(b, p + 33),
    statusId: readI64(b, p + 41),
    severityId: readI64(b, p + 49),
    version,
    actorId,
    ipId,
    sourceId,
    batchId,
    start: p,
    eventStart,
    eventEnd,
    rawStart,
    rawEnd,
    signedPartStart,
    hashStart,
  };
}

/** One stored block, decoded: its records in seq order and accessors for their bytes. */
export class DecodedBlock {
  readonly records: EventRecord[] = [];

  constructor(readonly data: Buffer, readonly firstSeq: number) {
    if (data.length < HASH_BYTES) throw new BlockFormatError('truncated block');
    let p = HASH_BYTES;
    while (p < data.length) {
      const r = readRecord(data, p);
      this.records.push(r);
      p = r.hashStart + HASH_BYTES;
    }
  }

  get lastSeq(): number {
    return this.firstSeq + this.records.length - 1;
  }

  /** The record of seq, when this block holds it at the position its seq implies. */
  record(seq: number): EventRecord | undefined {
    const r = this.records[seq - this.firstSeq];
    return r !== undefined && r.seq === seq ? r : undefined;
  }

  eventJson(r: EventRecord): string {
    return this.data.toString('utf8', r.eventStart, r.eventEnd);
  }

  raw(r: EventRecord): Buffer {
    return Buffer.from(this.data.subarray(r.rawStart, r.rawEnd));
  }

  /** The signed batch an event of version 3 came from (a copy), or null. */
  signedPart(r: EventRecord): SignedPartRef | null {
    if (r.signedPartStart < 0) return null;
    return { jwsSha256: Buffer.from(this.data.subarray(r.signedPartStart, r.signedPartStart + 32)), index: this.data.readUInt32BE(r.signedPartStart + 32) };
  }

  hash(r: EventRecord): Buffer {
    return Buffer.from(this.data.subarray(r.hashStart, r.hashStart + HASH_BYTES));
  }

  /** The 64-bit fingerprint as stored (signed). */
  fingerprint(r: EventRecord): bigint {
    return this.data.readBigInt64BE(r.start + 17);
  }

  /** The hash the block starts from (its predecessor's). */
  get prevHash(): Buffer {
    return this.data.subarray(0, HASH_BYTES);
  }
}
