import type { Batch } from '../../../shared/contract/events';
import type { Db } from '../vault/database';

interface BatchRow {
  id: number;
  file: string;
  bytes: number;
  sha256: string;
  format: string;
  source: string;
  operator: string;
  started_at: number;
  finished_at: number | null;
  read: number;
  imported: number;
  duplicates: number;
  quarantined: number;
}

/** Most recent import batches first: what was imported, when, by whom, and how every record was accounted for. */
export function listBatches(db: Db, limit: number): Batch[] {
  const rows = db
    .prepare(
      `SELECT b.id, b.file, b.bytes, b.sha256, b.format, s.name AS source, b.operator, b.started_at, b.finished_at,
              b.read, b.imported, b.duplicates, b.quarantined
         FROM batches b JOIN sources s ON s.id = b.source_id
        ORDER BY b.id DESC LIMIT ?`,
    )
    .all(limit) as BatchRow[];
  return rows.map((r) => ({
    id: r.id,
    file: r.file,
    bytes: r.bytes,
    sha256: r.sha256,
    format: r.format,
    source: r.source,
    operator: r.operator,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    read: r.read,
    imported: r.imported,
    duplicates: r.duplicates,
    quarantined: r.quarantined,
  }));
}
