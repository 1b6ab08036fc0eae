import type { Migration } from './migration';

/**
 * No table changes: from this schema on, the event log may hold version 2 chain records (an event whose
 * JSON is byte for byte its raw record is stored once; chain/chain-record.ts). The version bump is what
 * makes an older Attest refuse such a vault as "written by a newer version" instead of reading the new
 * records as malformed and reporting tampering; the meta row tells tools outside Attest which record
 * versions to expect.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'raw-is-event-records',
  up: "INSERT OR REPLACE INTO meta (key, value) VALUES ('chain_record_versions', '1,2')",
};
