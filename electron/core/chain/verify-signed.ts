import { createHash } from 'node:crypto';
import type { Db } from '../vault/database';
import { jwsRecords } from '../ingest/signed-batch';

/**
 * Verification of the events of signed batches (version 3 chain records, signed-envelope.ts). The chain
 * holds each such event's record bytes and its JWS's SHA-256 and index; this checks that the JWS is still
 * in signed_envelopes, still hashes to that SHA-256, and still yields those bytes at that index, so the
 * signature an auditor can check with the source's public keys covers exactly what the log holds.
 * Events of one batch are consecutive: the last JWS taken apart is kept for the next event.
 */
export class SignedPartCheck {
  private lastSha = '';
  private lastRecords: Buffer[] | string = '';

  constructor(private readonly db: Db) {}

  /** Null when event seq's raw bytes (data[rawStart, rawEnd)) are record `index` of its JWS; else why not. */
  check(seq: number, data: Buffer, signedPartStart: number, rawStart: number, rawEnd: number): string | null {
    const sha = data.subarray(signedPartStart, signedPartStart + 32);
    const index = data.readUInt32BE(signedPartStart + 32);
    const key = sha.toString('hex');
    if (key !== this.lastSha) {
      this.lastSha = key;
      this.lastRecords = this.load(sha);
    }
    const records = this.lastRecords;
    const short = key.slice(0, 16);
    if (typeof records === 'string') return `Event ${seq} came from a signed batch (JWS SHA-256 ${short}…) ${records}`;
    const record = records[index];
    if (record === undefined || !record.equals(data.subarray(rawStart, rawEnd))) {
      return `Event ${seq} is not record ${index + 1} of the signed batch it names (JWS SHA-256 ${short}…): the event or the stored JWS was altered.`;
    }
    return null;
  }

  private load(sha: Buffer): Buffer[] | string {
    // Prepared here, not up front: most logs hold no signed batch (and older schemas have no table).
    const row = this.db.prepare<[Buffer], { jws: unknown; records: unknown }>('SELECT jws, records FROM signed_envelopes WHERE sha256 = ?').get(sha);
    if (!row) return 'whose JWS is no longer in the vault: its signature can no longer be shown.';
    const altered = 'whose stored JWS was altered: it no longer has the SHA-256 the chain holds.';
    if (!Buffer.isBuffer(row.jws) || !createHash('sha256').update(row.jws).digest().equals(sha)) return altered;
    const split = jwsRecords(row.jws);
    if (!split.ok) return `whose stored JWS cannot be read (${split.reason}).`;
    // The count the event detail shows ("record k of n") must be the JWS's own.
    if (row.records !== split.records.length) return `whose stored record count (${String(row.records)}) is not the ${split.records.length} its JWS holds: the batch's entry was altered.`;
    return split.records;
  }
}
