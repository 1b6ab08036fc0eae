import type { Db } from '../database';
import type { Migration } from './migration';
import { StoredBlockPacker, blockInserter } from '../../chain/event-block';
import { CHAIN_RECORD_VERSION } from '../../chain/chain-record';

/**
 * The event log moves from one row per event to blocks of consecutive events (chain/event-block.ts):
 * - event_blocks: one row per block, its seq and time ranges (the zone map that event_chunks was), its
 *   last hash, and the data blob: the canonical bytes and hash of each event, hash-interleaved;
 * - event_keys: the dedup key (time, fp) of every event ever appended, time-ordered and compact, so a
 *   re-import finds duplicates without reading blocks.
 * Existing rows are repacked with their STORED hashes (the chain bytes are unchanged, so signed
 * checkpoints and held head hashes stay valid, and earlier tampering stays detectable). A seq gap starts
 * a new block, so verification still reports the missing events.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'event-blocks',
  up: (db: Db) => {
    db.exec(`
      CREATE TABLE event_blocks (
        first_seq INTEGER PRIMARY KEY,
        last_seq INTEGER NOT NULL,
        min_time INTEGER NOT NULL,
        max_time INTEGER NOT NULL,
        count INTEGER NOT NULL,
        head_hash BLOB NOT NULL,
        data BLOB NOT NULL
      );
      CREATE TABLE event_keys (
        time INTEGER NOT NULL,
        fp INTEGER NOT NULL,
        PRIMARY KEY (time, fp)
      ) WITHOUT ROWID;
    `);
    repackEvents(db);
    db.exec(`
      INSERT OR IGNORE INTO event_keys (time, fp) SELECT time, fp FROM events;
      DROP TABLE events;
      DROP TABLE event_chunks;
    `);
  },
};

interface OldRow {
  seq: bigint;
  time: bigint;
  fp: bigint;
  class_uid: bigint;
  activity_id: bigint;
  status_id: bigint;
  severity_id: bigint;
  actor_id: bigint | null;
  ip_id: bigint | null;
  source_id: bigint;
  batch_id: bigint | null;
  event: string;
  raw: Buffer | string;
  hash: Buffer;
}

function repackEvents(db: Db): void {
  const packer = new StoredBlockPacker(blockInserter(db));
  // Read in pages: better-sqlite3 cannot write on a connection while one of its statements iterates.
  const page = db
    .prepare<[bigint], OldRow>(
      'SELECT seq, time, fp, class_uid, activity_id, status_id, severity_id, actor_id, ip_id, source_id, batch_id, event, raw, hash FROM events WHERE seq > ? ORDER BY seq LIMIT 2048',
    )
    .safeIntegers(true);
  function* allRows(): Generator<OldRow> {
    let after = -(2n ** 63n);
    for (;;) {
      const rows = page.all(after);
      if (rows.length === 0) return;
      yield* rows;
      after = rows[rows.length - 1]!.seq;
    }
  }
  const rows = allRows();
  const n = (v: bigint | null): number | null => (v === null ? null : Number(v));
  for (const row of rows) {
    const hash = Buffer.isBuffer(row.hash) && row.hash.length === 32 ? row.hash : Buffer.alloc(32);
    const fp = BigInt.asIntN(64, row.fp);
    packer.add(
      {
        seq: Number(row.seq),
        time: Number(row.time),
        fpHi: Number(fp >> 32n),
        fpLo: Number(fp & 0xffffffffn),
        classUid: Number(row.class_uid),
        activityId: Number(row.activity_id),
        statusId: Number(row.status_id),
        severityId: Number(row.severity_id),
        actorId: n(row.actor_id),
        ipId: n(row.ip_id),
        sourceId: Number(row.source_id),
        batchId: n(row.batch_id),
        event: String(row.event),
        raw: Buffer.isBuffer(row.raw) ? row.raw : Buffer.from(String(row.raw), 'utf8'),
        // Rows of this layout were all hashed as version 1 records (chain-record.ts).
        version: CHAIN_RECORD_VERSION,
      },
      hash,
    );
  }
  packer.finish();
}
