import type { Migration } from './migration';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-event-summaries';
import { migration0003 } from './0003-event-blocks';
import { migration0004 } from './0004-record-v2-dictionary-first-use';
import { migration0005 } from './0005-import-keys';
import { migration0006 } from './0006-signed-envelopes';
import { migration0007 } from './0007-own-events-apart';
import { migration0008 } from './0008-quarantine-element';

/** Ordered list of every schema migration. Append only; never edit a released one. */
export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]?.version ?? 0;
