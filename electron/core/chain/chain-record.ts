import { hash as oneShotHash } from 'node:crypto';

/**
 * The bytes each event contributes to the hash chain, and the chain step itself.
 *
 * hash(seq) = SHA-256(hash(seq - 1) || canonical bytes of row seq); the genesis predecessor is 32 zero bytes.
 *
 * Canonical bytes of a row, version 1 (integers are 64-bit two's complement, big-endian):
 *   u8  version = 1
 *   i64 seq, i64 time (ms), i64 fp (the 64-bit fingerprint, as stored: signed)
 *   i64 class_uid, i64 activity_id, i64 status_id, i64 severity_id
 *   opt actor_id, opt ip_id            (opt = u8 0 for NULL, or u8 1 followed by i64)
 *   i64 source_id, opt batch_id
 *   u32 byte length of the event JSON, then its UTF-8 bytes exactly as stored in events.event (written
 *       once at append by serialiseEvent, event-json.ts; verification hashes the stored bytes and never
 *       re-serialises, so the JSON needs no sorted-key canonical form)
 *   u32 byte length of raw, then the raw bytes exactly as received
 * Every column of an events row except hash itself is covered, each at a fixed offset or behind a length
 * prefix, so no two different rows share canonical bytes.
 *
 * Version 2 is version 1 for an event whose stored JSON is byte for byte its raw record (an OCSF source
 * that already writes the canonical model): the same header with u8 version = 2, then ONE length-prefixed
 * copy of those bytes, which are both the event JSON and the raw record. Storing and hashing them twice
 * doubled the bytes an import writes and verify reads and hashes. The version byte is hashed, so a
 * version 1 and a version 2 record never share canonical bytes; writeRecord picks the version, readers
 * accept both.
 *
 * Version 3 is version 1 for an event that came from a signed batch (one JWS whose payload holds several
 * records): its raw bytes are its own record as the verified payload gives it, not the whole JWS, and after
 * them come
 *   32 bytes  SHA-256 of the JWS (kept once, in signed_envelopes: signed-envelope.ts)
 *   u32       the record's index in the JWS payload
 * so the chain binds each event to the signed batch it came from while the JWS is stored once. Keeping the
 * whole JWS as every record's raw bytes stored a batch of n records n times (8,000 records in a 3 MB JWS:
 * 25 GB), which made large signed batches impossible to import.
 */
export const CHAIN_RECORD_VERSION = 1;
/** The record version whose single byte string is both the event JSON and the raw record. */
export const CHAIN_RECORD_VERSION_RAW_IS_EVENT = 2;
/** The record version of an event from a signed batch: version 1 plus its JWS's SHA-256 and its index. */
export const CHAIN_RECORD_VERSION_SIGNED_PART = 3;
/** Bytes after the raw record in a version 3 record. */
export const SIGNED_PART_BYTES = 32 + 4;
export const GENESIS_HASH: Buffer = Buffer.alloc(32);
const HEADER_BYTES = 1 + 8 * 7 + 9 + 9 + 8 + 9;
const TWO_32 = 4294967296;

export interface ChainRecord {
  seq: number;
  time: number;
  /** The fingerprint split into its high (signed) and low (unsigned) 32-bit halves. */
  fpHi: number;
  fpLo: number;
  classUid: number;
  activityId: number;
  statusId: number;
  severityId: number;
  actorId: number | null;
  ipId: number | null;
  sourceId: number;
  batchId: number | null;
  /** The stored event JSON: its UTF-8 bytes, or the string (encoded straight into the hash input). */
  event: Buffer | string;
  raw: Buffer;
  /** Set for an event from a signed batch: version 3 (the JWS's SHA-256 and the record's index in it). */
  signedPart?: SignedPartRef;
  /**
   * The record version to write. Left out for new events (version 2 exactly when the event JSON's bytes
   * equal raw); given when repacking stored rows, which must keep the version they were hashed with.
   */
  version?: number;
}

/** Where an event of a signed batch came from: its JWS (by SHA-256) and its index in the payload. */
export interface SignedPartRef {
  jwsSha256: Buffer;
  index: number;
}

/** A fingerprint from its signed high and unsigned low 32 bits (splitFingerprint's halves). */
export function joinFingerprint(fpHi: number, fpLo: number): bigint {
  return (BigInt(fpHi) << 32n) | BigInt(fpLo);
}

/** Splits a fingerprint (unsigned or signed 64-bit) into the halves ChainRecord carries. */
export function splitFingerprint(fp: bigint): { fpHi: number; fpLo: number; stored: bigint } {
  const stored = BigInt.asIntN(64, fp);
  return { fpHi: Number(stored >> 32n), fpLo: Number(stored & 0xffffffffn), stored };
}

/**
 * The chain step for one record on its own (SHA-256 of prev and the record's canonical bytes), for callers
 * that hold rows rather than a block: tests, tools. Appending and verification work on blocks
 * (event-block.ts, verify-range.ts), which lay the same bytes out so no copy is needed.
 */
export class ChainHasher {
  private scratch = Buffer.allocUnsafe(4096);

  /** Canonical bytes of a record (a fresh copy: for tests and documentation). */
  canonicalBytes(record: ChainRecord): Buffer {
    const length = this.fill(GENESIS_HASH, record);
    return Buffer.from(this.scratch.subarray(32, length));
  }

  /** SHA-256(prev || canonical bytes of record). */
  next(prev: Buffer, record: ChainRecord): Buffer {
    const length = this.fill(prev, record);
    // One-shot hash: no Hash object per row (about twice as fast as createHash for ~500-byte inputs).
    return oneShotHash('sha256', this.scratch.subarray(0, length), 'buffer');
  }

  private fill(prev: Buffer, r: ChainRecord): number {
    if (prev.length !== 32) throw new Error('A chain hash is 32 bytes.');
    const needed = 32 + recordBound(r);
    if (needed > this.scratch.length) this.scratch = Buffer.allocUnsafe(Math.max(needed, this.scratch.length * 2));
    prev.copy(this.scratch, 0);
    return writeRecord(this.scratch, 32, r);
  }
}

/** An upper bound of the canonical bytes of r (a string event counts 3 bytes per UTF-16 unit). */
export function recordBound(r: ChainRecord): number {
  const eventBound = typeof r.event === 'string' ? r.event.length * 3 : r.event.length;
  return HEADER_BYTES + 4 + eventBound + 4 + r.raw.length + (r.signedPart ? SIGNED_PART_BYTES : 0);
}

/**
 * Writes the canonical bytes of r at b[o...] (the caller made room: recordBound) and returns their end:
 * version 3 for an event of a signed batch, else version 2 when the event JSON's bytes equal the raw
 * bytes, else version 1.
 */
export function writeRecord(b: Buffer, o: number, r: ChainRecord): number {
  const start = o;
  const signed = r.signedPart;
  if ((signed !== undefined) !== (r.version === CHAIN_RECORD_VERSION_SIGNED_PART) && r.version !== undefined) {
    throw new TypeError('A version 3 record is exactly one with its signed batch named.');
  }
  if (signed !== undefined && (signed.jwsSha256.length !== 32 || !Number.isInteger(signed.index) || signed.index < 0 || signed.index > 0xffffffff)) {
    throw new TypeError('A signed batch is named by a 32-byte SHA-256 and a record index.');
  }
  b[o++] = CHAIN_RECORD_VERSION;
  o = writeI64(b, o, r.seq);
  o = writeI64(b, o, r.time);
  b.writeInt32BE(r.fpHi, o);
  b.writeUInt32BE(r.fpLo, o + 4);
  o += 8;
  o = writeI64(b, o, r.classUid);
  o = writeI64(b, o, r.activityId);
  o = writeI64(b, o, r.statusId);
  o = writeI64(b, o, r.severityId);
  o = writeOptionalI64(b, o, r.actorId);
  o = writeOptionalI64(b, o, r.ipId);
  o = writeI64(b, o, r.sourceId);
  o = writeOptionalI64(b, o, r.batchId);
  const eventBytes = typeof r.event === 'string' ? b.write(r.event, o + 4, 'utf8') : r.event.copy(b, o + 4);
  b.writeUInt32BE(eventBytes, o);
  const rawIsEvent = signed === undefined && r.version !== CHAIN_RECORD_VERSION && eventBytes === r.raw.length && r.raw.compare(b, o + 4, o + 4 + eventBytes) === 0;
  if (r.version === CHAIN_RECORD_VERSION_RAW_IS_EVENT && !rawIsEvent) throw new TypeError('A version 2 record needs event JSON equal to its raw bytes.');
  if (r.version !== undefined && r.version !== CHAIN_RECORD_VERSION && r.version !== CHAIN_RECORD_VERSION_RAW_IS_EVENT && r.version !== CHAIN_RECORD_VERSION_SIGNED_PART) {
    throw new TypeError('Unknown chain record version.');
  }
  if (rawIsEvent) {
    // The event JSON is the raw record: version 2 keeps the one copy already written.
    b[start] = CHAIN_RECORD_VERSION_RAW_IS_EVENT;
    return o + 4 + eventBytes;
  }
  o += 4 + eventBytes;
  b.writeUInt32BE(r.raw.length, o);
  o += 4;
  o += r.raw.copy(b, o);
  if (signed !== undefined) {
    b[start] = CHAIN_RECORD_VERSION_SIGNED_PART;
    o += signed.jwsSha256.copy(b, o);
    b.writeUInt32BE(signed.index, o);
    o += 4;
  }
  return o;
}

function writeI64(b: Buffer, o: number, value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError('A chained integer column is not a safe integer.');
  const hi = Math.floor(value / TWO_32);
  b.writeInt32BE(hi, o);
  b.writeUInt32BE(value - hi * TWO_32, o + 4);
  return o + 8;
}

function writeOptionalI64(b: Buffer, o: number, value: number | null): number {
  if (value === null) {
    b[o] = 0;
    return o + 1;
  }
  b[o] = 1;
  return writeI64(b, o + 1, value);
}
