import type { Db } from '../database';
import type { Migration } from './migration';
import { DecodedBlock } from '../../chain/event-block';
import { eventIdentity } from '../../chain/event-identity';
import { DIM } from '../../chain/dimensions';

/**
 * Two changes that verification relies on:
 * - From this schema on, the event log may hold version 2 chain records (an event whose JSON is byte for
 *   byte its raw record is stored once; chain/chain-record.ts). The version bump makes an older Attest
 *   refuse such a vault as "written by a newer version" instead of reading the new records as malformed
 *   and reporting tampering; the meta row tells tools outside Attest which record versions to expect.
 * - Each dictionary entry records the seq of the first event carrying its value (dim_values.first_seq),
 *   so verification checks every entry once against that event (chain/verify-range.ts). Existing entries
 *   are filled in from the log: the first event naming each value, as the writer would have recorded it.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'record-v2-dictionary-first-use',
  up: (db: Db) => {
    db.exec(`
      INSERT OR REPLACE INTO meta (key, value) VALUES ('chain_record_versions', '1,2');
      ALTER TABLE dim_values ADD COLUMN first_seq INTEGER;
    `);
    backfillFirstSeq(db);
    // Covering (kind and value ride along; the id is in every index): verify streams each thread's
    // entries in first_seq order without a table lookup per entry, which had cost 4-5 µs each.
    db.exec('CREATE INDEX dim_values_first_seq ON dim_values (first_seq, kind, value)');
  },
};

function backfillFirstSeq(db: Db): void {
  const firstByValue = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  const note = (kind: number, value: string | null, seq: number) => {
    if (value === null || value === '') return;
    const seen = firstByValue[kind]!;
    if (!seen.has(value)) seen.set(value, seq);
  };
  // Read in pages: better-sqlite3 cannot write on a connection while one of its statements iterates.
  const page = db.prepare<[number], { first_seq: number; data: Buffer }>('SELECT first_seq, data FROM event_blocks WHERE first_seq > ? ORDER BY first_seq LIMIT 16');
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = page.all(after);
    if (rows.length === 0) break;
    for (const row of rows) {
      const block = new DecodedBlock(row.data, row.first_seq);
      for (const r of block.records) {
        const identity = eventIdentity(block.data, r.eventStart, r.eventEnd);
        note(DIM.actor, identity.name, r.seq);
        note(DIM.actor, identity.uid, r.seq);
        note(DIM.ip, identity.ip, r.seq);
      }
    }
    after = rows[rows.length - 1]!.first_seq;
  }
  const update = db.prepare('UPDATE dim_values SET first_seq = ? WHERE kind = ? AND value = ?');
  for (const kind of [DIM.actor, DIM.ip]) for (const [value, seq] of firstByValue[kind]!) update.run(seq, kind, value);
}
