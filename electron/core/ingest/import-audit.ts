import type { IngestSummary } from '../../../shared/contract/events';
import { describeTimeChoice, type TimeIfMissingChoice } from './missing-time';
import type { CanonicalEvent } from '../../../shared/domain/canonical-event';
import { STATUS } from '../../../shared/domain/canonical-event';
import type { Db } from '../vault/database';
import { appendSelfAuditEvent } from '../chain/self-audit';
import { quarantineDigest, type QuarantineDigest } from './quarantine-digest';

/** How an import ended; 'interrupted': its process died mid-import (stale-batches.ts records it later). */
export type ImportOutcome = 'done' | 'cancelled' | 'failed' | 'refused' | 'interrupted' | 'empty';

/**
 * An import is something the operator did to the vault, so it is an event in the vault's own chain too
 * (OCSF Entity Management 3004, Create): which file (name, size, SHA-256), in which format, by whom, how
 * every record was accounted for, and a digest of its quarantined records (quarantine-digest.ts). A file
 * that could not be read or recognised is recorded as a failure. verify checks batches against these.
 */
export function importAuditEvent(summary: IngestSummary, operator: string, time: number, outcome: ImportOutcome, quarantine?: QuarantineDigest, source?: string): CanonicalEvent {
  const ok = (outcome === 'done' || outcome === 'empty') && summary.error === null;
  const message = importMessage(summary, outcome, ok);
  const details: Record<string, string | number | boolean> = {
    file: summary.file,
    bytes: summary.bytes,
    read: summary.read,
    imported: summary.imported,
    duplicates: summary.duplicates,
    quarantined: summary.quarantined,
    outcome,
  };
  if (summary.sha256) details.sha256 = summary.sha256;
  if (summary.format) details.format = summary.format;
  // The source's name as it was: events and batches name their source by id only, so a renamed or swapped
  // name would otherwise move a batch's events to another source unseen.
  if (source !== undefined) details.source = source;
  if (quarantine) {
    // The quarantine as it stands now, so verify can tell if a rejected line is later removed or altered.
    details.quarantine_rows = quarantine.rows;
    details.quarantine_sha256 = quarantine.sha256;
  }
  return {
    class_uid: 3004,
    class_name: 'Entity Management',
    activity_id: 1,
    activity_name: 'Create',
    time,
    status_id: ok ? STATUS.success : outcome === 'cancelled' ? STATUS.other : STATUS.failure,
    status: ok ? 'Success' : outcome === 'cancelled' ? 'Other' : 'Failure',
    severity_id: ok ? 1 : 2,
    message,
    actor: { user: { name: operator } },
    api: { operation: 'ingest.import', service: { name: 'attest-ingest' } },
    resources: [{ type: 'import batch', name: summary.file, ...(summary.batchId !== null ? { uid: String(summary.batchId) } : {}) }],
    metadata: { product: { name: 'Attest', vendor_name: 'Attest' }, version: '1.1.0' },
    unmapped: details,
  };
}

function importMessage(summary: IngestSummary, outcome: ImportOutcome, ok: boolean): string {
  const file = summary.file;
  const counts = `read ${summary.read} = imported ${summary.imported} + duplicates ${summary.duplicates} + quarantined ${summary.quarantined}`;
  if (outcome === 'empty') return `Read ${file}: the file is empty, there was nothing to import.`;
  if (outcome === 'refused' || summary.batchId === null) return `Import of ${file} refused: ${summary.error ?? 'not recognised'}`;
  if (outcome === 'cancelled') return `Import of ${file} cancelled; committed: ${counts}.`;
  if (outcome === 'interrupted') {
    return `Import of ${file} was interrupted: the process importing it stopped before it finished; committed: ${counts}. Import the file again to add the rest.`;
  }
  if (ok) return `Imported ${file} (${summary.format ?? 'unknown format'}): ${counts}.`;
  return `Import of ${file} stopped: ${summary.error ?? 'failed'}; committed: ${counts}.`;
}

/** Appends the import's audit event; never fails the import (the batch row records it regardless). */
export function recordImportAudit(db: Db, summary: IngestSummary, operator: string, outcome: ImportOutcome, time = Date.now()): void {
  try {
    // One transaction: the digest is of exactly the rows present when the event is chained.
    db.transaction(() => {
      const quarantine = summary.batchId !== null ? quarantineDigest(db, summary.batchId) : undefined;
      const source =
        summary.batchId !== null
          ? db.prepare<[number], string>('SELECT s.name FROM batches b JOIN sources s ON s.id = b.source_id WHERE b.id = ?').pluck().get(summary.batchId)
          : undefined;
      appendSelfAuditEvent(db, importAuditEvent(summary, operator, time, outcome, quarantine, typeof source === 'string' ? source : undefined));
    }).immediate();
  } catch {
    /* the chain stays intact; the batches table still records the import */
  }
}

/** A quarantine retry re-processes records into the chain: who did it and what came of it is recorded too. */
export function recordRetryAudit(
  db: Db,
  result: { retried: number; imported: number; duplicates: number; stillQuarantined: number },
  operator: string,
  batchId: number | undefined,
  time = Date.now(),
  timeIfMissing?: TimeIfMissingChoice,
): void {
  const scope = batchId === undefined ? 'all batches' : `batch ${batchId}`;
  // Giving records a time they do not carry is the operator's decision: the chain says it was taken.
  const timing = timeIfMissing === undefined ? '' : ` ${describeTimeChoice(timeIfMissing).replace(/^r/, 'R')}.`;
  const event: CanonicalEvent = {
    class_uid: 3004,
    class_name: 'Entity Management',
    activity_id: 3,
    activity_name: 'Update',
    time,
    status_id: STATUS.success,
    status: 'Success',
    severity_id: 1,
    message: `Retried ${result.retried} quarantined record(s) of ${scope}: imported ${result.imported}, duplicates ${result.duplicates}, still quarantined ${result.stillQuarantined}.${timing}`,
    actor: { user: { name: operator } },
    api: { operation: 'ingest.retryQuarantine', service: { name: 'attest-ingest' } },
    resources: [{ type: 'quarantine', name: scope, ...(batchId !== undefined ? { uid: String(batchId) } : {}) }],
    metadata: { product: { name: 'Attest', vendor_name: 'Attest' }, version: '1.1.0' },
    unmapped: { ...result, ...(batchId !== undefined ? { batch: batchId } : {}), ...(timeIfMissing !== undefined ? { timeIfMissing } : {}) },
  };
  try {
    appendSelfAuditEvent(db, event);
  } catch {
    /* the retry's own rows and counters are committed; the chain stays intact */
  }
}
