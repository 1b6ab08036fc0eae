import type { Migration } from './migration';

/**
 * The first schema: vault metadata, ingestion sources and batches, the event log (one hash chain over
 * every event, ingested or self-audit), quarantine, and checkpoint signing.
 *
 * Layout choices, measured in the environment guide: inserts arriving in time order are cheap, every
 * per-row index on a scattered key (actor, IP, random hash) costs a large share of the insert rate. So:
 * - dedup uses a unique index on (time, fp) where fp is 64 bits of the fingerprint: time-ordered, compact;
 * - actor and IP are dictionary-encoded (dim_values) and searched through postings: one row per
 *   (appended chunk, dimension) holding every key's seq list for that chunk (chain/postings-codec.ts),
 *   appended in seq order once per chunk, never one index entry per event or per key.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

    CREATE TABLE sources (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      signed_only INTEGER NOT NULL DEFAULT 0,
      jwks TEXT,
      issuer TEXT,
      csv_mapping TEXT,
      syslog_year INTEGER,
      syslog_zone TEXT,
      created_at INTEGER NOT NULL
    );

    CREATE TABLE batches (
      id INTEGER PRIMARY KEY,
      source_id INTEGER NOT NULL REFERENCES sources(id),
      file TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      format TEXT NOT NULL,
      options TEXT NOT NULL,
      operator TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      finished_at INTEGER,
      state TEXT NOT NULL,
      read INTEGER NOT NULL DEFAULT 0,
      imported INTEGER NOT NULL DEFAULT 0,
      duplicates INTEGER NOT NULL DEFAULT 0,
      quarantined INTEGER NOT NULL DEFAULT 0,
      first_seq INTEGER,
      last_seq INTEGER
    );

    CREATE TABLE dim_values (
      id INTEGER PRIMARY KEY,
      kind INTEGER NOT NULL,
      value TEXT NOT NULL,
      UNIQUE (kind, value)
    );

    CREATE TABLE events (
      seq INTEGER PRIMARY KEY,
      time INTEGER NOT NULL,
      fp INTEGER NOT NULL,
      class_uid INTEGER NOT NULL,
      activity_id INTEGER NOT NULL,
      status_id INTEGER NOT NULL,
      severity_id INTEGER NOT NULL,
      actor_id INTEGER,
      ip_id INTEGER,
      source_id INTEGER NOT NULL,
      batch_id INTEGER,
      event TEXT NOT NULL,
      raw BLOB NOT NULL,
      hash BLOB NOT NULL
    );
    CREATE UNIQUE INDEX events_time_fp ON events (time, fp);

    CREATE TABLE postings (
      first_seq INTEGER NOT NULL,
      dim INTEGER NOT NULL,
      keys BLOB NOT NULL,
      PRIMARY KEY (first_seq, dim)
    ) WITHOUT ROWID;

    CREATE TABLE quarantine (
      id INTEGER PRIMARY KEY,
      batch_id INTEGER NOT NULL REFERENCES batches(id),
      line INTEGER NOT NULL,
      reason TEXT NOT NULL,
      raw BLOB NOT NULL,
      status TEXT NOT NULL DEFAULT 'open'
    );
    CREATE INDEX quarantine_batch ON quarantine (batch_id, id);

    CREATE TABLE checkpoints (
      seq INTEGER PRIMARY KEY,
      head_hash BLOB NOT NULL,
      time INTEGER NOT NULL,
      jws TEXT NOT NULL
    );

    CREATE TABLE signing_keys (
      kid TEXT PRIMARY KEY,
      private_jwk TEXT NOT NULL,
      public_jwk TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `,
};
