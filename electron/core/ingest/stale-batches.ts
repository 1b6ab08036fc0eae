import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import type { Db } from '../vault/database';
import { IngestFormatSchema } from '../../../shared/contract/events';
import { recordImportAudit } from './import-audit';

/** "pid@host#thread" of this thread: stored with each batch it creates (batches.importer). */
export function currentImporter(): string {
  return `${process.pid}@${hostname()}#${threadId}`;
}

/**
 * Whether the thread named by an importer id may still be writing its batch. A batch from before
 * importers were recorded (null), or from another host (a vault copied or restored here), has nobody
 * here to finish it. In this process only this thread can be importing: IngestJobs runs one import
 * worker at a time, so a batch of another of our threads was left by a worker that died (out of memory,
 * terminated). A pid reused by an unrelated process only delays the marking until that one ends.
 */
export function isImporterAlive(importer: string | null): boolean {
  if (importer === null) return false;
  const at = importer.indexOf('@');
  const hash = importer.lastIndexOf('#');
  const pid = Number(importer.slice(0, at));
  const host = importer.slice(at + 1, hash > at ? hash : undefined);
  if (at < 1 || !Number.isSafeInteger(pid) || pid <= 0 || host !== hostname()) return false;
  if (pid === process.pid) return hash > at ? importer.slice(hash + 1) === String(threadId) : true;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface RunningBatch {
  id: number;
  file: string;
  bytes: number;
  sha256: string;
  format: string;
  operator: string;
  importer: string | null;
  read: number;
  imported: number;
  duplicates: number;
  quarantined: number;
}

/**
 * Marks batches whose importing process died mid-import (kill -9, a crash, a power cut) as 'interrupted'
 * and chains that as an import audit event with what was committed, so the import history of every batch
 * is held by the chain and checked by verify like any other import. Their committed chunks stay;
 * re-running the import creates a new batch whose duplicates are recognised by fingerprint. A batch whose
 * importer is still running (another window, the CLI) is left alone. Returns how many were marked.
 */
export function markStaleBatches(db: Db, now: number, alive: (importer: string | null) => boolean = isImporterAlive): number {
  const running = db
    .prepare<[], RunningBatch>(
      `SELECT id, file, bytes, sha256, format, operator, importer, read, imported, duplicates, quarantined
         FROM batches WHERE state = 'running' ORDER BY id`,
    )
    .all();
  const mark = db.prepare(`UPDATE batches SET state = 'interrupted', finished_at = ? WHERE id = ? AND state = 'running'`);
  let marked = 0;
  for (const b of running) {
    if (alive(b.importer)) continue;
    // The state change and its audit event in one transaction: the chain never disagrees with the row.
    db.transaction(() => {
      if (mark.run(now, b.id).changes === 0) return; // another process marked it meanwhile
      marked++;
      recordImportAudit(
        db,
        {
          file: b.file, sha256: b.sha256, format: IngestFormatSchema.safeParse(b.format).data ?? null, bytes: b.bytes, read: b.read, imported: b.imported,
          duplicates: b.duplicates, quarantined: b.quarantined, batchId: b.id, cancelled: false, error: 'the importing process stopped before the import finished',
        },
        b.operator,
        'interrupted',
        now,
      );
    }).immediate();
  }
  return marked;
}
