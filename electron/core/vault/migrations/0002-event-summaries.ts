import type { Migration } from './migration';

/**
 * Per-chunk side tables the event log writes once per appended chunk (never one index entry per event):
 * - event_chunks: a zone map, one row per appended chunk with its seq range and time range, so time
 *   filters skip whole chunks and postings (whose first_seq is the chunk's first seq) know their chunk;
 * - event_summary: counts per (minute, outcome) and failure counts per (minute, actor) and (minute, IP),
 *   upserted per chunk, so the overview never scans events.
 * outcome: 0 success, 1 failure, 2 other. dim: 0 for the totals row (key_id 0), 1 actor, 2 source IP.
 * The key leads with (dim, outcome) so the overview reads each series as one contiguous range.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'event-summaries',
  up: `
    CREATE TABLE event_chunks (
      first_seq INTEGER PRIMARY KEY,
      last_seq INTEGER NOT NULL,
      min_time INTEGER NOT NULL,
      max_time INTEGER NOT NULL,
      count INTEGER NOT NULL
    );

    CREATE TABLE event_summary (
      dim INTEGER NOT NULL,
      outcome INTEGER NOT NULL,
      minute INTEGER NOT NULL,
      key_id INTEGER NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (dim, outcome, minute, key_id)
    ) WITHOUT ROWID;
  `,
};
