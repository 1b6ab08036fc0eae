import type { Writable } from 'node:stream';
import type { QuarantineRow } from '../../../shared/contract/events';
import type { Db } from '../vault/database';
import { writeOrStop } from '../io/write-or-stop';

export { retryQuarantine, type RetryResult } from './import-retry';

/**
 * Quarantine: every record that could not be parsed, validated or verified, kept with its line number,
 * its exact bytes and the reason, so nothing an import read is lost. Rows are listed and exported here;
 * retryQuarantine (quarantine-retry.ts) re-processes them after the operator fixes a source's settings.
 */

interface QuarantineDbRow {
  id: number;
  batch_id: number;
  file: string;
  line: number;
  element: number | null;
  reason: string;
  raw: Buffer;
  status: string;
  /** hex(signed_envelopes.sha256) of a record of a signed batch, else null. */
  envelope_sha256: string | null;
}

/** What identifies a quarantined record across imports: the fingerprint its first event would have had
 * (source, raw bytes, occurrence in its file), and that occurrence (a retry recomputes the fingerprint;
 * null where it is not known, and the retry counts identical rows as before). */
export interface QuarantineKey {
  fp: bigint;
  occurrence: number | null;
}

export class QuarantineWriter {
  private readonly stmt;
  private readonly statusOf;
  constructor(db: Db) {
    // The unique index on fp makes a record already in quarantine (an earlier import of the same file) a
    // conflict: one statement both checks and inserts.
    this.stmt = db.prepare('INSERT INTO quarantine (batch_id, line, element, reason, raw, fp, occurrence, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.statusOf = db.prepare<[bigint], string>('SELECT status FROM quarantine WHERE fp = ?').pluck();
  }

  /**
   * Stores the record: 'stored', or when a record with its key is already known, 'open' (still in
   * quarantine) or 'resolved' (a retry has since put it in the event log). key null: no dedup.
   * envelopeId: the signed batch (signed_envelopes row) a record of a batch came from, or null.
   */
  insert(batchId: number, at: { line: number; element: number | null }, reason: string, raw: Buffer, key: QuarantineKey | null, envelopeId: number | null = null): 'stored' | 'open' | 'resolved' {
    const fp = key === null ? null : BigInt.asIntN(64, key.fp);
    if (this.stmt.run(batchId, at.line, at.element, reason, raw, fp, key?.occurrence ?? null, envelopeId).changes === 1 || fp === null) return 'stored';
    return this.statusOf.get(fp) === 'open' ? 'open' : 'resolved';
  }
}

export interface QuarantineQuery {
  batchId?: number;
  /** Keyset cursor: rows with id above this. */
  afterId?: number;
  limit: number;
}

/** Rows oldest first; total counts every row of the filter (open and resolved). */
export function listQuarantine(db: Db, query: QuarantineQuery): { rows: QuarantineRow[]; total: number } {
  const limit = Math.max(1, Math.min(5000, Math.floor(query.limit)));
  const rows = selectPage(db, query.batchId, query.afterId ?? 0, limit).map((r) => toRow(r, LIST_RAW_BYTES));
  const total =
    query.batchId === undefined
      ? (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n
      : (db.prepare('SELECT count(*) AS n FROM quarantine WHERE batch_id = ?').get(query.batchId) as { n: number }).n;
  return { rows, total };
}

/**
 * Writes the quarantine as JSON Lines: one object per row with the exact bytes as base64 (rawBase64) and a
 * UTF-8 rendering (rawText). Text fields that a spreadsheet would read as a formula (=, +, -, @, tab, CR
 * at the start, after any spaces) are prefixed with an apostrophe; rawBase64 keeps the bytes exact.
 * Reads in pages so the connection is never held busy across an await. Returns the number of rows.
 */
export async function exportQuarantine(db: Db, filter: { batchId?: number }, out: Writable): Promise<number> {
  let afterId = 0;
  let count = 0;
  for (;;) {
    const page = selectPage(db, filter.batchId, afterId, 1000);
    if (page.length === 0) break;
    for (const r of page) {
      const row = toRow(r);
      const line = JSON.stringify({
        id: row.id,
        batchId: row.batchId,
        file: spreadsheetSafe(row.file),
        line: row.line,
        element: row.element,
        status: row.status,
        reason: spreadsheetSafe(row.reason),
        rawText: spreadsheetSafe(row.rawText),
        rawBase64: row.rawBase64,
        ...(row.signedBatchSha256 ? { signedBatchSha256: row.signedBatchSha256 } : {}),
      });
      // A destination its reader closed (a pipe into `head`) takes no more: stop, with what was written.
      if (!(await writeOrStop(out, line + '\n'))) return count;
      count++;
    }
    afterId = page[page.length - 1]!.id;
  }
  return count;
}

const FORMULA_START = /^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;

/** Neutralises a leading spreadsheet formula (OWASP CSV injection guidance): prefix with an apostrophe. */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function selectPage(db: Db, batchId: number | undefined, afterId: number, limit: number): QuarantineDbRow[] {
  const base = `SELECT q.id, q.batch_id, b.file, q.line, q.element, q.reason, q.raw, q.status, hex(e.sha256) AS envelope_sha256
                  FROM quarantine q JOIN batches b ON b.id = q.batch_id LEFT JOIN signed_envelopes e ON e.id = q.envelope`;
  return (
    batchId === undefined
      ? db.prepare(`${base} WHERE q.id > ? ORDER BY q.id LIMIT ?`).all(afterId, limit)
      : db.prepare(`${base} WHERE q.batch_id = ? AND q.id > ? ORDER BY q.id LIMIT ?`).all(batchId, afterId, limit)
  ) as QuarantineDbRow[];
}

/** Raw bytes a listed row carries (a page must stay small); export always carries every byte. */
export const LIST_RAW_BYTES = 64 * 1024;

function toRow(r: QuarantineDbRow, maxRaw = Number.POSITIVE_INFINITY): QuarantineRow {
  const raw = r.raw.length > maxRaw ? r.raw.subarray(0, maxRaw) : r.raw;
  const cut = r.raw.length - raw.length;
  return {
    id: r.id,
    batchId: r.batch_id,
    file: r.file,
    line: r.line,
    element: r.element,
    reason: r.reason,
    rawText: raw.toString('utf8') + (cut > 0 ? ` [... ${cut} more bytes not shown; attest quarantine export writes the whole record]` : ''),
    rawBase64: raw.toString('base64'),
    status: r.status === 'resolved' ? 'resolved' : 'open',
    ...(r.envelope_sha256 ? { signedBatchSha256: r.envelope_sha256.toLowerCase() } : {}),
  };
}
