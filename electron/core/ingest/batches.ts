import type { Batch, BatchState } from '../../../shared/contract/events';
import type { Db } from '../vault/database';

interface BatchRow {
  id: number;
  file: string;
  bytes: number;
  sha256: string;
  format: string;
  options: string;
  source: string;
  operator: string;
  started_at: number;
  finished_at: number | null;
  state: BatchState;
  read: number;
  imported: number;
  duplicates: number;
  quarantined: number;
  first_seq: number | null;
  last_seq: number | null;
}

export interface BatchPage {
  rows: Batch[];
  /** All batches in the vault. */
  total: number;
}

const COLUMNS = `b.id, b.file, b.bytes, b.sha256, b.format, b.options, s.name AS source, b.operator, b.started_at, b.finished_at,
  b.state, b.read, b.imported, b.duplicates, b.quarantined, b.first_seq, b.last_seq`;

/**
 * The import history, most recent first (keyset paging on the batch number): what was imported, when,
 * by whom, with which settings, and how every record was accounted for.
 */
export function listBatches(db: Db, opts: { limit: number; beforeId?: number }): BatchPage {
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM batches b JOIN sources s ON s.id = b.source_id
        WHERE b.id < ? ORDER BY b.id DESC LIMIT ?`,
    )
    .all(opts.beforeId ?? Number.MAX_SAFE_INTEGER, opts.limit) as BatchRow[];
  const total = (db.prepare('SELECT count(*) AS n FROM batches').get() as { n: number }).n;
  return { rows: rows.map(toBatch), total };
}

/** One batch by its number, or null. */
export function findBatch(db: Db, id: number): Batch | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM batches b JOIN sources s ON s.id = b.source_id WHERE b.id = ?`).get(id) as
    | BatchRow
    | undefined;
  return row ? toBatch(row) : null;
}

/** Options recorded for bookkeeping, shown as members of their own (notes, identicalTo, error). */
const NOT_A_SETTING = new Set(['notes', 'identicalTo', 'error']);

function toBatch(r: BatchRow): Batch {
  const options = parseOptions(r.options);
  const notes = Array.isArray(options.notes) ? options.notes.filter((n): n is string => typeof n === 'string') : [];
  const identicalTo = typeof options.identicalTo === 'number' && Number.isSafeInteger(options.identicalTo) ? options.identicalTo : null;
  const settings = Object.entries(options)
    .filter(([name, value]) => !NOT_A_SETTING.has(name) && value !== undefined)
    .map(([name, value]) => ({ name, value: JSON.stringify(value) ?? 'null' }));
  return {
    id: r.id,
    file: r.file,
    bytes: r.bytes,
    sha256: r.sha256,
    format: r.format,
    source: r.source,
    operator: r.operator,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    state: r.state,
    read: r.read,
    imported: r.imported,
    duplicates: r.duplicates,
    quarantined: r.quarantined,
    firstSeq: r.first_seq,
    lastSeq: r.last_seq,
    settings,
    notes,
    identicalTo,
    error: typeof options.error === 'string' ? options.error : null,
  };
}

function parseOptions(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Written by this program as JSON; an unreadable column only loses the settings shown, not the batch.
  }
  return {};
}
