import type { Db } from '../vault/database';
import { quarantineDigest } from '../ingest/quarantine-digest';

/**
 * Batches and quarantine rows are plain tables, outside the chain; each import's audit event (chained,
 * import-audit.ts) records what they held when it finished. verify collects those events while it walks
 * the chain (verify-range.ts) and holds the tables to them here: a batch's file, size, SHA-256 and format,
 * and its quarantine's row count and digest (quarantine-digest.ts). A rejected line deleted or edited
 * after the import, or a batch re-labelled, is reported at the audit event that recorded it.
 */
export interface ImportRecord {
  seq: number;
  batchId: number;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  format: string | null;
  /** Who ran it (the event's actor) and how it ended (done, cancelled, failed, refused). */
  operator: string | null;
  outcome: string | null;
  /** Absent in audit events written before the quarantine digest existed. */
  quarantineRows: number | null;
  quarantineSha256: string | null;
}

const IMPORT_OPERATION = 'ingest.import';

/** The import record in a self-audit event's stored JSON, or null for any other event. */
export function importRecordOf(seq: number, json: string): ImportRecord | null {
  let event: unknown;
  try {
    event = JSON.parse(json);
  } catch {
    return null; // the chain verified these exact bytes; a malformed one is not an import record
  }
  if (!isObject(event) || !isObject(event.api) || event.api.operation !== IMPORT_OPERATION) return null;
  const resource = Array.isArray(event.resources) ? event.resources[0] : undefined;
  const batchId = isObject(resource) && typeof resource.uid === 'string' && /^[1-9][0-9]{0,15}$/.test(resource.uid) ? Number(resource.uid) : null;
  if (batchId === null) return null; // a refused file never got a batch
  const d = isObject(event.unmapped) ? event.unmapped : {};
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
  return {
    seq,
    batchId,
    file: text(d.file),
    bytes: int(d.bytes),
    sha256: text(d.sha256),
    format: text(d.format),
    operator: isObject(event.actor) && isObject(event.actor.user) ? text(event.actor.user.name) : null,
    outcome: text(d.outcome),
    quarantineRows: int(d.quarantine_rows),
    quarantineSha256: text(d.quarantine_sha256),
  };
}

/**
 * The first batch (in chain order) whose rows disagree with its latest chained import record. A batch can
 * have two: marked interrupted while its importer was thought gone, then finished by that importer.
 */
export function importsProblem(db: Db, records: ImportRecord[]): { seq: number; message: string } | null {
  const batch = db.prepare<[number], { file: unknown; bytes: unknown; sha256: unknown; format: unknown; operator: unknown; state: unknown }>(
    'SELECT file, bytes, sha256, format, operator, state FROM batches WHERE id = ?',
  );
  const latest = new Map<number, ImportRecord>();
  for (const r of records) {
    const seen = latest.get(r.batchId);
    if (seen === undefined || r.seq > seen.seq) latest.set(r.batchId, r);
  }
  for (const r of [...latest.values()].sort((a, b) => a.seq - b.seq)) {
    const at = `batch ${r.batchId}${r.file !== null ? ` (${r.file})` : ''}, recorded by event ${r.seq}`;
    const row = batch.get(r.batchId);
    if (!row) return { seq: r.seq, message: `The record of ${at} was deleted from the import history.` };
    const changed: string[] = [];
    if (r.file !== null && row.file !== r.file) changed.push('file name');
    if (r.bytes !== null && row.bytes !== r.bytes) changed.push('size');
    if (r.sha256 !== null && row.sha256 !== r.sha256) changed.push('SHA-256');
    if (r.format !== null && row.format !== r.format) changed.push('format');
    if (r.operator !== null && row.operator !== r.operator) changed.push('operator');
    // The batch's state is what the recorded outcome says (a failed import's batch says failed).
    if (r.outcome !== null && row.state !== r.outcome) changed.push('outcome');
    if (changed.length > 0) return { seq: r.seq, message: `The import history of ${at} was altered: its ${changed.join(', ')} no longer match what was recorded.` };
    if (r.quarantineRows === null || r.quarantineSha256 === null) continue;
    const now = quarantineDigest(db, r.batchId);
    if (now.rows !== r.quarantineRows) {
      return { seq: r.seq, message: `The quarantine of ${at} was altered: it holds ${now.rows} rejected record(s), ${r.quarantineRows} were recorded.` };
    }
    if (now.sha256 !== r.quarantineSha256) {
      return { seq: r.seq, message: `The quarantine of ${at} was altered: a rejected record's line number or bytes changed.` };
    }
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
