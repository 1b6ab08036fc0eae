import type { Db } from '../database';
import type { Migration } from './migration';
import { DecodedBlock, type EventRecord } from '../../chain/event-block';
import { eventIdentity } from '../../chain/event-identity';
import { DIM, dictionaryForm } from '../../chain/dimensions';
import { SUMMARY_UPSERT_SQL, SummaryTally, writeSummaryTally } from '../../chain/summary-tally';

/**
 * Two changes that verification relies on:
 * - From this schema on, the event log may hold version 2 chain records (an event whose JSON is byte for
 *   byte its raw record is stored once; chain/chain-record.ts). The version bump makes an older Attest
 *   refuse such a vault as "written by a newer version" instead of reading the new records as malformed
 *   and reporting tampering; the meta row tells tools outside Attest which record versions to expect.
 * - Each dictionary entry records the seq of the first event carrying its value (dim_values.first_seq),
 *   so verification checks every entry once against that event (chain/verify-range.ts). Existing entries
 *   are filled in from the log (backfillFirstSeq): an event that carries each.
 * - event_summary (the Overview's counts) is rebuilt from the log: migration 2 created it empty, so a vault
 *   that held events before it undercounted them in every chart, and verify now holds the table to the
 *   chain.
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
    rebuildSummary(db);
  },
};

/**
 * Sets first_seq from the log in two passes over its blocks, with memory bounded by the dictionary's
 * size, not its text: first the ids each event record carries (one number per id), then, for the entries
 * no record carries (a named actor's uid: the record holds the name's id), the first event naming them.
 */
function backfillFirstSeq(db: Db): void {
  const maxId = db.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM dim_values').get()?.n ?? 0;
  if (maxId === 0) return;
  const first = new Float64Array(maxId + 1);
  forEachRecord(db, (block, r) => {
    for (const id of [r.actorId, r.ipId]) if (id !== null && id >= 1 && id <= maxId && first[id] === 0) first[id] = r.seq;
  });
  const update = db.prepare('UPDATE dim_values SET first_seq = ? WHERE id = ?');
  for (let id = 1; id <= maxId; id++) if (first[id] !== 0) update.run(first[id], id);

  const uids = new Map<string, number>();
  for (const row of db.prepare<[number], { id: number; value: string }>('SELECT id, value FROM dim_values WHERE first_seq IS NULL AND kind = ?').all(DIM.actor)) {
    uids.set(row.value, row.id);
  }
  if (uids.size === 0) return;
  forEachRecord(db, (block, r) => {
    const uid = eventIdentity(block.data, r.eventStart, r.eventEnd).uid;
    const id = uid === null ? undefined : uids.get(dictionaryForm(uid));
    if (id !== undefined && first[id] === 0) first[id] = r.seq;
  });
  for (const id of uids.values()) if (first[id] !== 0) update.run(first[id], id);
}

/** Every stored event record in seq order, read a few blocks at a time (no statement stays open). */
function forEachRecord(db: Db, visit: (block: DecodedBlock, r: EventRecord) => void): void {
  const page = db.prepare<[number], { first_seq: number; data: Buffer }>('SELECT first_seq, data FROM event_blocks WHERE first_seq > ? ORDER BY first_seq LIMIT 16');
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = page.all(after);
    if (rows.length === 0) return;
    for (const row of rows) {
      const block = new DecodedBlock(row.data, row.first_seq);
      for (const r of block.records) visit(block, r);
    }
    after = rows[rows.length - 1]!.first_seq;
  }
}

/** Recounts event_summary from every event, as the writer counts each appended chunk (event-log.ts). */
function rebuildSummary(db: Db): void {
  db.exec('DELETE FROM event_summary');
  const upsert = db.prepare(SUMMARY_UPSERT_SQL);
  let tally = new SummaryTally();
  let pending = 0;
  forEachRecord(db, (_block, r) => {
    tally.add(r.time, r.statusId, r.actorId, r.ipId);
    if (++pending >= 65_536) {
      // Bounded memory: rows are summed, so partial tallies add up.
      writeSummaryTally(upsert, tally.data());
      tally = new SummaryTally();
      pending = 0;
    }
  });
  writeSummaryTally(upsert, tally.data());
}
