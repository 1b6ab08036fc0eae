import { createHash } from 'node:crypto';
import type { Db } from '../vault/database';

/** How one import's quarantine looked when it finished: recorded in its chained audit event. */
export interface QuarantineDigest {
  rows: number;
  /** Hex SHA-256 over every row of the batch in id order: ["element N|" for a record cut from a JSON
   * document's array] ‖ u64 line ‖ u32 byte length of raw ‖ raw. */
  sha256: string;
}

const PAGE = 1024;

/**
 * The digest of a batch's quarantined records over what never changes after the import: each row's
 * line, place in its array (when it has one: rows without, as every row before schema 8, hash as they
 * always did, so digests chained before it still match) and exact bytes (a retry only marks rows
 * resolved or rewords their reason; rows are never deleted). Chaining it in the import's audit event
 * makes the quarantine tamper-evident: verify recomputes it (verify-imports.ts), so a rejected line
 * removed or altered later is reported.
 */
export function quarantineDigest(db: Db, batchId: number): QuarantineDigest {
  const page = db.prepare<[number, number, number], { id: number; line: number; element: unknown; raw: Buffer }>(
    'SELECT id, line, element, raw FROM quarantine WHERE batch_id = ? AND id > ? ORDER BY id LIMIT ?',
  );
  const hash = createHash('sha256');
  const header = Buffer.alloc(12);
  let rows = 0;
  let after = 0;
  for (;;) {
    const batch = page.all(batchId, after, PAGE);
    for (const row of batch) {
      const raw = Buffer.isBuffer(row.raw) ? row.raw : Buffer.from(String(row.raw), 'utf8');
      const line = Number(row.line);
      // The importer writes whole line numbers only: anything else was edited in, and must not match.
      if (!Number.isSafeInteger(line) || typeof row.line !== 'number') hash.update(`malformed line ${String(row.line)}|`);
      if (row.element !== null) {
        const element = row.element;
        hash.update(typeof element === 'number' && Number.isSafeInteger(element) && element > 0 ? `element ${element}|` : `malformed element ${String(element)}|`);
      }
      header.writeBigInt64BE(BigInt(Number.isSafeInteger(line) ? line : 0), 0);
      header.writeUInt32BE(raw.length, 8);
      hash.update(header).update(raw);
      rows++;
    }
    if (batch.length < PAGE) break;
    after = batch[batch.length - 1]!.id;
  }
  return { rows, sha256: hash.digest('hex') };
}
