import type { Migration } from './migration';

/**
 * signed_envelopes keeps each signed batch's JWS once (chain/signed-envelope.ts). Before, every event of a
 * batch kept the whole JWS as its raw bytes, so a JWS of n records was stored n times and large batches
 * were refused. Events from before keep their raw JWS (version 1 records) and verify as before.
 * quarantine.envelope: a record of such a batch that could not be read is quarantined as its own bytes with
 * the batch's envelope (a retry verifies that JWS again), not as one more copy of the whole JWS.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'signed-envelopes',
  up: `
    CREATE TABLE signed_envelopes (
      id INTEGER PRIMARY KEY,
      sha256 BLOB NOT NULL UNIQUE,
      jws BLOB NOT NULL,
      records INTEGER NOT NULL
    );
    ALTER TABLE quarantine ADD COLUMN envelope INTEGER REFERENCES signed_envelopes (id);
    INSERT OR REPLACE INTO meta (key, value) VALUES ('chain_record_versions', '1,2,3');
  `,
};
