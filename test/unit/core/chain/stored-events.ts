import type { Db } from '../../../../electron/core/vault/database';
import { DecodedBlock, StoredBlockPacker, blockInserter } from '../../../../electron/core/chain/event-block';
import { openEncryptedDatabase } from '../../../../electron/core/vault/database';
import type { Cipher } from '../../../../shared/contract/vault';
import type { SignedPartRef } from '../../../../electron/core/chain/chain-record';

/**
 * Test access to the event log as one row per event, the shape tests reason about, over the block
 * storage (event-block.ts). readStoredEvents/writeStoredEvents let a test play the attacker who holds
 * the key: edit, delete, insert or renumber events, keeping (not recomputing) the stored hashes unless
 * the test sets them. registerEventsTable adds a read-only `events` table to a connection so plain SQL
 * (joins with sources and dim_values) can read the log.
 */
export interface StoredEvent {
  seq: number;
  time: number;
  fp: bigint;
  class_uid: number;
  activity_id: number;
  status_id: number;
  severity_id: number;
  actor_id: number | null;
  ip_id: number | null;
  source_id: number;
  batch_id: number | null;
  event: string;
  raw: Buffer;
  hash: Buffer;
  /** The chain record version it was hashed as (chain-record.ts): kept when rows are written back. */
  version: number;
  /** Version 3: the signed batch it came from. */
  signedPart?: SignedPartRef;
}

export function readStoredEvents(db: Db): StoredEvent[] {
  const out: StoredEvent[] = [];
  const rows = db.prepare<[], { first_seq: number; data: Buffer }>('SELECT first_seq, data FROM event_blocks ORDER BY first_seq').all();
  for (const row of rows) {
    const block = new DecodedBlock(row.data, row.first_seq);
    for (const r of block.records) {
      out.push({
        seq: r.seq,
        time: r.time,
        fp: block.fingerprint(r),
        class_uid: r.classUid,
        activity_id: r.activityId,
        status_id: r.statusId,
        severity_id: r.severityId,
        actor_id: r.actorId,
        ip_id: r.ipId,
        source_id: r.sourceId,
        batch_id: r.batchId,
        event: block.eventJson(r),
        raw: block.raw(r),
        hash: block.hash(r),
        version: r.version ?? 1,
        ...(block.signedPart(r) !== null ? { signedPart: block.signedPart(r)! } : {}),
      });
    }
  }
  return out;
}

/**
 * Replaces the whole log with these rows, in the order given, each keeping the hash it carries (no
 * recomputation: what an attacker who edits rows without re-hashing leaves behind). Consecutive seqs
 * share blocks; a block starts from the stored hash of the row before it. Zone-map columns are written
 * to match the rows, as a careful attacker would.
 */
export function writeStoredEvents(db: Db, rows: StoredEvent[], options: { blockEvents?: number } = {}): void {
  db.transaction(() => {
    db.prepare('DELETE FROM event_blocks').run();
    const packer = new StoredBlockPacker(blockInserter(db), options.blockEvents);
    for (const row of rows) {
      const fp = BigInt.asIntN(64, row.fp);
      packer.add(
        {
          seq: row.seq, time: row.time, fpHi: Number(fp >> 32n), fpLo: Number(fp & 0xffffffffn),
          classUid: row.class_uid, activityId: row.activity_id, statusId: row.status_id, severityId: row.severity_id,
          actorId: row.actor_id, ipId: row.ip_id, sourceId: row.source_id, batchId: row.batch_id,
          event: row.event, raw: row.raw, version: row.version,
          ...(row.signedPart !== undefined ? { signedPart: row.signedPart } : {}),
        },
        row.hash,
      );
    }
    packer.finish();
  })();
}

/** Edits the log as rows: fn gets every row and returns the rows to store (see writeStoredEvents). */
export function tamperEvents(db: Db, fn: (rows: StoredEvent[]) => StoredEvent[]): void {
  writeStoredEvents(db, fn(readStoredEvents(db)));
}

/**
 * A read-only `events` table (one row per event, the old row layout) on db, for SQL in tests. A virtual
 * table cannot query its own connection while it runs, so rows come from a second connection to the same
 * file (committed data), opened per query by openReader.
 */
export function registerEventsTable(db: Db, openReader: () => Db): Db {
  db.table('events', {
    columns: ['seq', 'time', 'fp', 'class_uid', 'activity_id', 'status_id', 'severity_id', 'actor_id', 'ip_id', 'source_id', 'batch_id', 'event', 'raw', 'hash'],
    *rows() {
      const reader = openReader();
      let events: StoredEvent[];
      try {
        events = readStoredEvents(reader);
      } finally {
        reader.close();
      }
      for (const e of events) {
        // BigInt so SQLite sees INTEGER values (a JS number reaches a virtual table as REAL).
        const i = (v: number | null) => (v === null ? null : BigInt(v));
        yield {
          seq: i(e.seq), time: i(e.time), fp: e.fp, class_uid: i(e.class_uid), activity_id: i(e.activity_id), status_id: i(e.status_id),
          severity_id: i(e.severity_id), actor_id: i(e.actor_id), ip_id: i(e.ip_id), source_id: i(e.source_id), batch_id: i(e.batch_id),
          event: e.event, raw: e.raw, hash: e.hash,
        };
      }
    },
  });
  return db;
}

/** A test connection with the read-only `events` table registered (see registerEventsTable). */
export function openWithEventsTable(file: string, key: Buffer, cipher: Cipher): Db {
  return registerEventsTable(openEncryptedDatabase(file, key, cipher), () => openEncryptedDatabase(file, key, cipher, { readonly: true }));
}
