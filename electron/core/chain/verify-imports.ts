import type { Db } from '../vault/database';
import { quarantineDigest } from '../ingest/quarantine-digest';

/**
 * Batches and quarantine rows are plain tables, outside the chain; each import's audit event (chained,
 * import-audit.ts) records what they held when it finished. verify collects those events while it walks
 * the chain (verify-range.ts) and holds the tables to them here: a batch's file, size, SHA-256 and format,
 * and its quarantine's row count and digest (quarantine-digest.ts). A rejected line deleted or edited
 * after the import, or a batch re-labelled, is reported at the audit event that recorded it. Each batch's
 * events, counted as the chain has them, must be its `imported` count and seq range, its `quarantined`
 * count the quarantine rows still open, and its counts must add up (read = imported + duplicates +
 * quarantined); its source must still bear the recorded name.
 */
export interface ImportRecord {
  seq: number;
  batchId: number;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  format: string | null;
  /** The source's name at the import; absent in audit events written before it was recorded. */
  source: string | null;
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
    source: text(d.source),
    operator: isObject(event.actor) && isObject(event.actor.user) ? text(event.actor.user.name) : null,
    outcome: text(d.outcome),
    quarantineRows: int(d.quarantine_rows),
    quarantineSha256: text(d.quarantine_sha256),
  };
}

/**
 * The first batch (in chain order) whose rows disagree with its latest chained import record, or with its
 * events as the chain has them (`tally`: per batch [id, events, first seq, last seq, source id], from
 * verify-range.ts). A batch can have two records: marked interrupted while its importer was thought gone,
 * then finished by that importer. A retry moves a batch's counts after its import record, so the counts
 * are held to the chain and to each other, not to the record.
 */
export function importsProblem(db: Db, records: ImportRecord[], tally: readonly number[] = []): { seq: number; message: string } | null {
  const batch = db.prepare<[number], Pick<BatchRow, 'file' | 'bytes' | 'sha256' | 'format' | 'operator' | 'state' | 'source_name'>>(
    'SELECT b.file, b.bytes, b.sha256, b.format, b.operator, b.state, s.name AS source_name FROM batches b LEFT JOIN sources s ON s.id = b.source_id WHERE b.id = ?',
  );
  const latest = new Map<number, ImportRecord>();
  for (const r of records) {
    const seen = latest.get(r.batchId);
    if (seen === undefined || r.seq > seen.seq) latest.set(r.batchId, r);
  }
  const events = new Map<number, { n: number; first: number; last: number; source: number }>();
  for (let i = 0; i + 4 < tally.length; i += 5) {
    const [id, n, first, last, source] = [tally[i]!, tally[i + 1]!, tally[i + 2]!, tally[i + 3]!, tally[i + 4]!];
    const seen = events.get(id);
    if (seen === undefined) events.set(id, { n, first, last, source });
    else {
      seen.n += n;
      seen.first = Math.min(seen.first, first);
      seen.last = Math.max(seen.last, last);
      if (seen.source !== source) seen.source = -1;
    }
  }
  const problems: Array<{ seq: number; message: string }> = [];
  for (const r of [...latest.values()].sort((a, b) => a.seq - b.seq)) {
    const at = `batch ${r.batchId}${r.file !== null ? ` (${r.file})` : ''}, recorded by event ${r.seq}`;
    const row = batch.get(r.batchId);
    if (!row) {
      problems.push({ seq: r.seq, message: `The record of ${at} was deleted from the import history.` });
      break;
    }
    const changed: string[] = [];
    if (r.file !== null && row.file !== r.file) changed.push('file name');
    if (r.bytes !== null && row.bytes !== r.bytes) changed.push('size');
    if (r.sha256 !== null && row.sha256 !== r.sha256) changed.push('SHA-256');
    if (r.format !== null && row.format !== r.format) changed.push('format');
    if (r.source !== null && row.source_name !== r.source) changed.push('source');
    if (r.operator !== null && row.operator !== r.operator) changed.push('operator');
    // The batch's state is what the recorded outcome says (a failed import's batch says failed).
    if (r.outcome !== null && row.state !== r.outcome) changed.push('outcome');
    if (changed.length > 0) {
      problems.push({ seq: r.seq, message: `The import history of ${at} was altered: its ${changed.join(', ')} no longer match what was recorded.` });
      break;
    }
    if (r.quarantineRows === null || r.quarantineSha256 === null) continue;
    const now = quarantineDigest(db, r.batchId);
    if (now.rows !== r.quarantineRows) {
      problems.push({ seq: r.seq, message: `The quarantine of ${at} was altered: it holds ${now.rows} rejected record(s), ${r.quarantineRows} were recorded.` });
      break;
    }
    if (now.sha256 !== r.quarantineSha256) {
      problems.push({ seq: r.seq, message: `The quarantine of ${at} was altered: a rejected record's line number, place in its array or bytes changed.` });
      break;
    }
  }
  const countProblem = countsProblem(db, latest, events);
  if (countProblem !== null) problems.push(countProblem);
  return problems.sort((a, b) => a.seq - b.seq)[0] ?? null;
}

/** Every batch's counts and seq range against its events in the chain; the first (by seq) that disagrees. */
function countsProblem(db: Db, latest: Map<number, ImportRecord>, events: Map<number, { n: number; first: number; last: number; source: number }>): { seq: number; message: string } | null {
  const rows = db.prepare<[], BatchRow & { id: unknown }>('SELECT id, file, read, imported, duplicates, quarantined, first_seq, last_seq, source_id FROM batches').all();
  const open = new Map<number, number>();
  for (const r of db.prepare<[], { batch_id: number; n: number }>("SELECT batch_id, count(*) AS n FROM quarantine WHERE status = 'open' GROUP BY batch_id").all()) open.set(r.batch_id, r.n);
  let found: { seq: number; message: string } | null = null;
  const report = (seq: number, message: string) => {
    if (found === null || seq < found.seq) found = { seq, message };
  };
  for (const row of rows) {
    if (typeof row.id !== 'number') continue;
    const e = events.get(row.id);
    const recorded = latest.get(row.id);
    const seq = recorded?.seq ?? e?.first ?? 1;
    const at = `batch ${row.id}${typeof row.file === 'string' ? ` (${row.file})` : ''}`;
    const n = e?.n ?? 0;
    if (row.imported !== n || row.first_seq !== (e?.first ?? null) || row.last_seq !== (e?.last ?? null)) {
      report(seq, `The import history of ${at} was altered: it says ${String(row.imported)} event(s) imported${row.first_seq !== null ? ` (${String(row.first_seq)}–${String(row.last_seq)})` : ''}, the log holds ${n}${e ? ` (${e.first}–${e.last})` : ''}.`);
    } else if (typeof row.read !== 'number' || typeof row.duplicates !== 'number' || typeof row.quarantined !== 'number' || row.read !== n + row.duplicates + row.quarantined) {
      report(seq, `The import history of ${at} was altered: its counts no longer add up (read ${String(row.read)} ≠ imported ${n} + duplicates ${String(row.duplicates)} + quarantined ${String(row.quarantined)}).`);
    } else if (row.quarantined !== (open.get(row.id) ?? 0)) {
      report(seq, `The import history of ${at} was altered: it says ${String(row.quarantined)} record(s) quarantined, its quarantine holds ${open.get(row.id) ?? 0} still open.`);
    } else if (e !== undefined && row.source_id !== e.source) {
      report(seq, `The import history of ${at} was altered: it names another source than its events do.`);
    }
  }
  // Events naming a batch with no row: a deleted row is reported at its import record (above).
  return found;
}

interface BatchRow {
  file: unknown;
  bytes: unknown;
  sha256: unknown;
  format: unknown;
  operator: unknown;
  state: unknown;
  read: unknown;
  imported: unknown;
  duplicates: unknown;
  quarantined: unknown;
  first_seq: unknown;
  last_seq: unknown;
  source_id: unknown;
  source_name?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
