import type { Db } from '../database';
import type { Migration } from './migration';

/**
 * A quarantined record cut from a JSON document ({"Records":[…]}, an Okta array) keeps its place in that
 * array: such a file is often one line, and every one of its refused records said "line 1". Null for a
 * record that is a line of its own, and for rows quarantined before this column.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'quarantine-element',
  up: (db: Db) => {
    db.exec('ALTER TABLE quarantine ADD COLUMN element INTEGER');
  },
};
