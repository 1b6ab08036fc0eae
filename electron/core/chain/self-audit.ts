import { randomBytes } from 'node:crypto';
import type { Db } from '../vault/database';
import type { CanonicalEvent } from '../../../shared/domain/canonical-event';
import { AttestError } from '../../../shared/result';
import { canonicalJson } from './canonical-json';
import { EventLog } from './event-log';
import { SELF_AUDIT_SOURCE } from '../../../shared/domain/self-audit-source';

export { SELF_AUDIT_SOURCE };

const logs = new WeakMap<Db, EventLog>();

/** The EventLog of a connection, shared so its dictionary cache survives between calls. */
export function eventLogFor(db: Db): EventLog {
  let log = logs.get(db);
  if (!log) {
    log = new EventLog(db);
    logs.set(db, log);
  }
  return log;
}

/** Id of a sources row, created if missing. */
export function ensureSource(db: Db, name: string, now: number = Date.now()): number {
  db.prepare('INSERT INTO sources (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, now);
  const row = db.prepare<[string], { id: number }>('SELECT id FROM sources WHERE name = ?').get(name);
  if (!row) throw new AttestError('INTERNAL', 'An event source could not be recorded.');
  return row.id;
}

/**
 * Appends one event Attest writes about itself and returns its seq. Joins the caller's transaction if one
 * is open, else opens its own (BEGIN IMMEDIATE). Self-audit events are never deduplicated: the fingerprint
 * is random, and on the (astronomically unlikely) clash with an event of the same millisecond, redrawn.
 */
export function appendSelfAuditEvent(db: Db, event: CanonicalEvent): number {
  const append = (): number => {
    const sourceId = ensureSource(db, SELF_AUDIT_SOURCE);
    const raw = Buffer.from(canonicalJson(event), 'utf8');
    for (let attempt = 0; attempt < 4; attempt++) {
      const fp = randomBytes(8).readBigUInt64BE(0);
      const result = eventLogFor(db).appendChunk([{ event, raw, fp, sourceId, batchId: null }]);
      if (result.firstSeq !== null) return result.firstSeq;
    }
    throw new AttestError('INTERNAL', 'The audit event could not be recorded.');
  };
  return db.inTransaction ? append() : db.transaction(append).immediate();
}
