import { hash as oneShotHash } from 'node:crypto';
import type { Db } from '../vault/database';
import { CHAIN_RECORD_VERSION, GENESIS_HASH } from './chain-record';

/** Outcome of re-hashing one contiguous seq range. */
export interface RangeResult {
  /** Rows whose hash matched, before the first problem. */
  verified: number;
  firstBadSeq: number | null;
  problem: string | null;
}

const BATCH = 8192;
const TWO_32 = 4294967296;

/**
 * SQL that renders one row as its canonical bytes (chain-record.ts) followed by its stored hash.
 * Building the bytes inside SQLite and aggregating a batch into one blob costs one JavaScript Buffer per
 * batch instead of several per row, which is what makes verification fast. Lengths are taken of the
 * BLOB casts, i.e. in bytes. Integers render as 64-bit two's complement big-endian hex.
 */
const RECORD_SQL = `CAST(
    unhex(printf('%02x%016x%016x%016x%016x%016x%016x%016x', ${CHAIN_RECORD_VERSION}, seq, time, fp, class_uid, activity_id, status_id, severity_id)
      || CASE WHEN actor_id IS NULL THEN '00' ELSE printf('01%016x', actor_id) END
      || CASE WHEN ip_id IS NULL THEN '00' ELSE printf('01%016x', ip_id) END
      || printf('%016x', source_id)
      || CASE WHEN batch_id IS NULL THEN '00' ELSE printf('01%016x', batch_id) END
      || printf('%08x', length(CAST(event AS BLOB))))
    || CAST(event AS BLOB)
    || unhex(printf('%08x', length(CAST(raw AS BLOB))))
    || CAST(raw AS BLOB)
    || hash AS BLOB)`;

/** Columns that must hold integers (or NULL where nullable) and a 32-byte hash; anything else is tampering. */
const MALFORMED_SQL = `(typeof(time) <> 'integer' OR typeof(fp) <> 'integer' OR typeof(class_uid) <> 'integer'
  OR typeof(activity_id) <> 'integer' OR typeof(status_id) <> 'integer' OR typeof(severity_id) <> 'integer'
  OR typeof(source_id) <> 'integer' OR typeof(actor_id) NOT IN ('integer', 'null') OR typeof(ip_id) NOT IN ('integer', 'null')
  OR typeof(batch_id) NOT IN ('integer', 'null') OR typeof(hash) <> 'blob' OR length(hash) <> 32)`;

/**
 * Re-hashes events with seq in [from, to], each row against the STORED hash of its predecessor, so
 * ranges can be checked independently (one per worker thread) and still prove the whole chain: if every
 * row matches, every stored hash equals the recomputed chain. A missing seq is reported at that seq.
 */
export function verifyRange(db: Db, from: number, to: number): RangeResult {
  // One pass per batch: the records (in primary-key scan order; the walk checks the order anyway, so an
  // unexpected order could only cause a false alarm, never hide tampering) and the first malformed row.
  const batchSql = db.prepare<[number, number], { rows: Buffer | null; badType: number | null }>(
    `SELECT CAST(group_concat(${RECORD_SQL}, '') AS BLOB) AS rows, min(CASE WHEN ${MALFORMED_SQL} THEN seq END) AS badType
     FROM events WHERE seq >= ? AND seq <= ?`,
  );
  let prev: Buffer;
  if (from <= 1) {
    prev = GENESIS_HASH;
  } else {
    const before = db.prepare<[number], { hash: unknown }>('SELECT hash FROM events WHERE seq = ?').get(from - 1);
    if (!before) return { verified: 0, firstBadSeq: from - 1, problem: `Event ${from - 1} is missing from the log.` };
    if (!Buffer.isBuffer(before.hash) || before.hash.length !== 32) {
      return { verified: 0, firstBadSeq: from - 1, problem: `Event ${from - 1} has a malformed column.` };
    }
    prev = before.hash;
  }
  let expected = from;
  let verified = 0;
  for (let lo = from; lo <= to; lo += BATCH) {
    const hi = Math.min(to, lo + BATCH - 1);
    const batch = batchSql.get(lo, hi);
    const badType = batch?.badType ?? null;
    const rows = batch?.rows ?? null;
    const blob = rows === null ? prev : Buffer.concat([prev, toBuffer(rows)]);
    const walked = walk(blob, expected, badType ?? hi + 1);
    verified += walked.verified;
    if (walked.failure) return { verified, ...walked.failure };
    if (badType !== null) return { verified, firstBadSeq: badType, problem: `Event ${badType} has a malformed column.` };
    expected = hi + 1;
    if (walked.nextExpected !== expected) {
      return { verified, firstBadSeq: walked.nextExpected, problem: `Event ${walked.nextExpected} is missing from the log.` };
    }
    prev = Buffer.from(blob.subarray(blob.length - 32));
  }
  return { verified, firstBadSeq: null, problem: null };
}

function toBuffer(value: unknown): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
}

interface Walked {
  verified: number;
  nextExpected: number;
  failure: { firstBadSeq: number; problem: string } | null;
}

/**
 * Walks prev_hash ‖ (record ‖ stored hash)*: the 32 bytes before each record are its predecessor's
 * stored hash, so SHA-256 runs over a view of the blob with no copy. Stops before seq `stopAt`.
 */
function walk(b: Buffer, expected: number, stopAt: number): Walked {
  let verified = 0;
  let p = 32;
  const bad = (seq: number, problem: string): Walked => ({ verified, nextExpected: expected, failure: { firstBadSeq: seq, problem } });
  while (p < b.length) {
    if (p + 57 > b.length) return bad(expected, `Event ${expected} has a malformed column.`);
    const seq = b.readInt32BE(p + 1) * TWO_32 + b.readUInt32BE(p + 5);
    if (seq !== expected) return bad(expected, `Event ${expected} is missing from the log.`);
    if (seq >= stopAt) break;
    let q = p + 57;
    q += b[q] === 1 ? 9 : 1; // actor_id
    q += b[q] === 1 ? 9 : 1; // ip_id
    q += 8; // source_id
    q += b[q] === 1 ? 9 : 1; // batch_id
    if (q + 4 > b.length) return bad(seq, `Event ${seq} has a malformed column.`);
    q += 4 + b.readUInt32BE(q);
    if (q + 4 > b.length) return bad(seq, `Event ${seq} has a malformed column.`);
    q += 4 + b.readUInt32BE(q);
    if (q + 32 > b.length) return bad(seq, `Event ${seq} has a malformed column.`);
    const digest = oneShotHash('sha256', b.subarray(p - 32, q), 'buffer');
    if (digest.compare(b, q, q + 32) !== 0) {
      return bad(seq, `Event ${seq} does not match its hash: it was altered, or an event before it was replaced.`);
    }
    verified++;
    expected++;
    p = q + 32;
  }
  return { verified, nextExpected: expected, failure: null };
}
