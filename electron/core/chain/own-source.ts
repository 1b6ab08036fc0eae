import type { Db } from '../vault/database';
import { SELF_AUDIT_SOURCE } from '../../../shared/domain/self-audit-source';

/**
 * The id of Attest's own source (its audit events: unlocks, imports, retries), or null before its first
 * event. The writer, verify, the Overview and migrations all tell those events apart by it.
 */
export function ownSourceId(db: Db): number | null {
  const id: unknown = db.prepare<[string], unknown>('SELECT id FROM sources WHERE name = ?').pluck().get(SELF_AUDIT_SOURCE);
  return typeof id === 'number' ? id : null;
}
