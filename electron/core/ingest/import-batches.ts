import type { Db } from '../vault/database';
import type { BatchState } from '../../../shared/contract/events';
import { currentImporter } from './stale-batches';

/** Lifecycle of a row in `batches` (defined with the IPC contract, which lists batches). */
export type { BatchState };

export interface NewBatch {
  sourceId: number;
  file: string;
  bytes: number;
  sha256: string;
  format: string;
  /** Options actually used (format, source, syslog year/zone, CSV header and mapping, signed). */
  options: Record<string, unknown>;
  operator: string;
  startedAt: number;
  state?: BatchState;
}

export interface BatchCounts {
  read: number;
  imported: number;
  duplicates: number;
  quarantined: number;
}

export interface BatchRecord extends BatchCounts {
  id: number;
  sourceId: number;
  file: string;
  format: string;
  options: Record<string, unknown>;
  state: BatchState;
  /** When the import began (ms): the time Attest received the file. */
  startedAt: number;
  firstSeq: number | null;
  lastSeq: number | null;
}

export function createBatch(db: Db, batch: NewBatch): number {
  const info = db
    .prepare(
      `INSERT INTO batches (source_id, file, bytes, sha256, format, options, operator, started_at, state, importer)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      batch.sourceId, batch.file, batch.bytes, batch.sha256, batch.format, JSON.stringify(batch.options), batch.operator, batch.startedAt,
      batch.state ?? 'running', currentImporter(),
    );
  return Number(info.lastInsertRowid);
}

export function getBatch(db: Db, id: number): BatchRecord | null {
  const row = db
    .prepare(
      `SELECT id, source_id, file, format, options, state, started_at, read, imported, duplicates, quarantined, first_seq, last_seq
         FROM batches WHERE id = ?`,
    )
    .get(id) as
    | {
        id: number;
        source_id: number;
        file: string;
        format: string;
        options: string;
        state: BatchState;
        started_at: number;
        read: number;
        imported: number;
        duplicates: number;
        quarantined: number;
        first_seq: number | null;
        last_seq: number | null;
      }
    | undefined;
  if (!row) return null;
  let options: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.options);
    if (typeof parsed === 'object' && parsed !== null) options = parsed as Record<string, unknown>;
  } catch {
    // An unreadable options column only loses retry hints; the batch itself stays listed.
  }
  return {
    id: row.id,
    sourceId: row.source_id,
    file: row.file,
    format: row.format,
    options,
    state: row.state,
    startedAt: row.started_at,
    read: row.read,
    imported: row.imported,
    duplicates: row.duplicates,
    quarantined: row.quarantined,
    firstSeq: row.first_seq,
    lastSeq: row.last_seq,
  };
}

/** Prepared statements for the per-chunk counter update (inside the chunk's transaction). */
export class BatchCounters {
  private readonly add;
  private readonly finish;
  constructor(db: Db) {
    this.add = db.prepare(
      `UPDATE batches SET read = read + ?, imported = imported + ?, duplicates = duplicates + ?, quarantined = quarantined + ?,
              first_seq = COALESCE(first_seq, ?), last_seq = COALESCE(?, last_seq)
        WHERE id = ?`,
    );
    this.finish = db.prepare(`UPDATE batches SET state = ?, finished_at = ? WHERE id = ?`);
  }

  addCounts(batchId: number, delta: BatchCounts, firstSeq: number | null, lastSeq: number | null): void {
    this.add.run(delta.read, delta.imported, delta.duplicates, delta.quarantined, firstSeq, lastSeq, batchId);
  }

  setState(batchId: number, state: BatchState, finishedAt: number | null): void {
    this.finish.run(state, finishedAt, batchId);
  }
}
