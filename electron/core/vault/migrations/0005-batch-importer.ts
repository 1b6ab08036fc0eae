import type { Migration } from './migration';

/**
 * batches.importer names the process running an import ("pid@host"). A batch left 'running' is marked
 * 'interrupted' (and that is chained as an audit event) only once its importer is gone: before, any new
 * import marked every running batch interrupted, including one another process was still writing.
 * Batches from before this column have no importer and are judged as before.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'batch-importer',
  up: 'ALTER TABLE batches ADD COLUMN importer TEXT;',
};
