import type { Db } from '../database';
import type { Migration } from './migration';
import { DecodedBlock } from '../../chain/event-block';
import { SUMMARY_UPSERT_SQL, SummaryTally, writeSummaryTally } from '../../chain/summary-tally';
import { SUMMARY_OWN_DIM } from '../../chain/dimensions';
import { ownSourceId } from '../../chain/own-source';

/**
 * Attest's own audit events (vault unlocks, imports, retries) are counted apart in event_summary
 * (SUMMARY_OWN_DIM), out of the Overview's charts and failing-actor lists: the operator's refused imports
 * and locks ranked the operator among the "top failing actors", and today's unlock stretched the time axis
 * of a log from years ago. The table is recounted from the log, as the writer now counts.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'own-events-apart',
  up: (db: Db) => {
    db.exec('DELETE FROM event_summary');
    const own = ownSourceId(db);
    const upsert = db.prepare(SUMMARY_UPSERT_SQL);
    const page = db.prepare<[number], { first_seq: number; data: Buffer }>('SELECT first_seq, data FROM event_blocks WHERE first_seq > ? ORDER BY first_seq LIMIT 16');
    let tally = new SummaryTally();
    let pending = 0;
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const rows = page.all(after);
      if (rows.length === 0) break;
      for (const row of rows) {
        for (const r of new DecodedBlock(row.data, row.first_seq).records) {
          tally.add(r.time, r.statusId, r.actorId, r.ipId, r.sourceId === own);
          if (++pending >= 65_536) {
            // Bounded memory: rows are summed, so partial tallies add up.
            writeSummaryTally(upsert, tally.data());
            tally = new SummaryTally();
            pending = 0;
          }
        }
      }
      after = rows[rows.length - 1]!.first_seq;
    }
    writeSummaryTally(upsert, tally.data());
    // Says which dim holds them (dimensions.ts SUMMARY_OWN_DIM), for anyone reading the table directly.
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('summary_own_dim', ?)").run(String(SUMMARY_OWN_DIM));
  },
};
