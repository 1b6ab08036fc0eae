import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../vault/database';

/**
 * The JWS of a signed batch (one JWS whose payload holds several records), kept once in signed_envelopes.
 * Each event of its records is chained as a version 3 record (chain-record.ts): its own record as raw
 * bytes, plus this JWS's SHA-256 and the record's index, so the chain binds the event to the signed bytes
 * while they are stored once instead of once per record. Verify checks that the JWS is still there, still
 * hashes to what the chain holds, and still yields the event's raw bytes at its index (verify-signed.ts).
 */
export interface SignedEnvelope {
  /** The JWS line exactly as read (the bytes its events' fingerprints were computed from). */
  jws: Buffer;
  sha256: Buffer;
  /** How many records its payload holds. */
  records: number;
}

/** An envelope for a verified JWS line. */
export function signedEnvelope(jwsLine: Buffer, records: number): SignedEnvelope {
  // A copy: the line may be a view into a larger read buffer.
  const jws = Buffer.from(jwsLine);
  return { jws, sha256: createHash('sha256').update(jws).digest(), records };
}

/** Stores envelopes inside the caller's write transaction; an envelope already stored is left as it is. */
export class EnvelopeWriter {
  /** Prepared on first use: most imports hold no signed batch (and a vault being migrated has no table yet). */
  private statements: { insert: Statement; selectId: Statement<[Buffer], number> } | null = null;
  /** The last envelope stored and its id: the events of one batch arrive together, so most calls stop here. */
  private last: SignedEnvelope | null = null;
  private lastId = 0;

  constructor(private readonly db: Db) {}

  /** Stores the envelope unless it is stored already; returns its row id. */
  store(envelope: SignedEnvelope): number {
    if (envelope === this.last) return this.lastId;
    this.statements ??= {
      insert: this.db.prepare('INSERT INTO signed_envelopes (sha256, jws, records) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING'),
      selectId: this.db.prepare<[Buffer], number>('SELECT id FROM signed_envelopes WHERE sha256 = ?').pluck(),
    };
    this.statements.insert.run(envelope.sha256, envelope.jws, envelope.records);
    const id = this.statements.selectId.get(envelope.sha256);
    if (typeof id !== 'number') throw new Error('A signed batch could not be stored.');
    this.last = envelope;
    this.lastId = id;
    return id;
  }

  /** Called when a transaction starts: what the last one stored may have been rolled back. */
  reset(): void {
    this.last = null;
  }
}

/** The stored JWS of an envelope row id, or null. */
export function storedEnvelopeById(db: Db, id: number): Buffer | null {
  const row = db.prepare<[number], { jws: unknown }>('SELECT jws FROM signed_envelopes WHERE id = ?').get(id);
  return row && Buffer.isBuffer(row.jws) ? row.jws : null;
}

/** The stored JWS with this SHA-256, or null. */
export function storedEnvelope(db: Db, sha256: Buffer): Buffer | null {
  const row = db.prepare<[Buffer], { jws: unknown }>('SELECT jws FROM signed_envelopes WHERE sha256 = ?').get(sha256);
  return row && Buffer.isBuffer(row.jws) ? row.jws : null;
}
