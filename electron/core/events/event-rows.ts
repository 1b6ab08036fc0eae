import type { Db } from '../vault/database';
import type { EventRow } from '../../../shared/contract/events';
import type { CanonicalEvent } from '../../../shared/domain/canonical-event';
import { displayActor, sourceIp } from '../chain/dimensions';

export interface StoredRow {
  seq: number;
  time: number;
  class_uid: number;
  activity_id: number;
  status_id: number;
  severity_id: number;
  source_id: number;
  batch_id: number | null;
  event: string;
}

/** Source names by id, read once per query (the table is small). */
export function sourceNames(db: Db): Map<number, string> {
  const rows = db.prepare<[], { id: number; name: string }>('SELECT id, name FROM sources').all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Parses stored event JSON; a value that no longer parses yields null rather than breaking the page. */
export function parseStoredEvent(json: string): CanonicalEvent | null {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as CanonicalEvent) : null;
  } catch {
    return null;
  }
}

/** The explorer row. Display strings come from the hashed event JSON, not from side tables. */
export function toEventRow(row: StoredRow, sources: Map<number, string>): EventRow {
  const event = parseStoredEvent(row.event);
  return {
    seq: row.seq,
    time: row.time,
    classUid: row.class_uid,
    activityId: row.activity_id,
    statusId: row.status_id,
    severityId: row.severity_id,
    actor: event ? stringOrNull(displayActor(event)) : null,
    ip: event ? stringOrNull(sourceIp(event)) : null,
    operation: stringOrNull(event?.api?.operation ?? event?.activity_name),
    source: sources.get(row.source_id) ?? `#${row.source_id}`,
    batchId: row.batch_id,
    message: stringOrNull(event?.message),
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
