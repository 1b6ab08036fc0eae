import type { Migration } from './migration';

/**
 * Two keys that make re-running an import safe:
 * - batches.importer names the process running an import ("pid@host"). A batch left 'running' is marked
 *   'interrupted' (and that is chained as an audit event) only once its importer is gone: before, any new
 *   import marked every running batch interrupted, including one another process was still writing.
 *   Batches from before this column have no importer and are judged as before.
 * - quarantine.fp is the fingerprint the record's first event would have had (source, raw bytes, occurrence
 *   in its file; ingest/fingerprint.ts): importing the same file again counts a line already in quarantine
 *   as a duplicate instead of quarantining it a second time (the unique index makes that one insert).
 *   quarantine.occurrence is that occurrence, which a retry needs: the batch no longer holds every earlier
 *   copy of the line to count. Rows from before have neither, match nothing, and are counted as before.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'import-keys',
  up: `
    ALTER TABLE batches ADD COLUMN importer TEXT;
    ALTER TABLE quarantine ADD COLUMN fp INTEGER;
    ALTER TABLE quarantine ADD COLUMN occurrence INTEGER;
    CREATE UNIQUE INDEX quarantine_fp ON quarantine (fp) WHERE fp IS NOT NULL;
  `,
};
