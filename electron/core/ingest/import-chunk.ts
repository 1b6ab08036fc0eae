import type { Db } from '../vault/database';
import { eventLogFor } from '../chain/self-audit';
import type { AppendResult, NewEvent } from '../chain/event-log';
import { BatchCounters, type BatchCounts } from './import-batches';
import { QuarantineWriter, type QuarantineKey } from './quarantine';
import type { RawRecord } from './record';
import { EnvelopeWriter, type SignedEnvelope } from '../chain/signed-envelope';

/** Events per transaction: large enough to amortise the commit, small enough to cancel promptly. */
export const CHUNK_EVENTS = 4096;
/** Raw bytes held before a commit regardless of count (a few huge records must not pile up). */
export const CHUNK_BYTES = 32 * 1024 * 1024;

/** Where a record was in its file: its line, and its place in a JSON document's array when cut from one. */
export type RecordPlace = Pick<RawRecord, 'line' | 'element'>;

interface PendingQuarantine {
  line: number;
  element: number | null;
  raw: Buffer;
  reason: string;
  /** Its fingerprint and occurrence (QuarantineKey), or null (no dedup). */
  key: QuarantineKey | null;
  /** A record of a signed batch: the batch it came from (raw is then the record, not the JWS). */
  envelope: SignedEnvelope | null;
}

/**
 * Collects one chunk of an import (events for the log, records for quarantine) and commits it in one
 * write transaction together with the batch counters, so a crash at any moment leaves either the whole
 * chunk or none of it. Counts are per item: one per event a record produced, one per quarantined record.
 */
export class ChunkCommitter {
  readonly totals: BatchCounts = { read: 0, imported: 0, duplicates: 0, quarantined: 0 };
  firstSeq: number | null = null;
  lastSeq: number | null = null;
  /** Records counted as duplicates because they are already in quarantine (not in the event log). */
  alreadyQuarantined = 0;

  private events: NewEvent[] = [];
  /** Source line of each pending event, for the quarantine row should the log refuse it. */
  private lines: number[] = [];
  private quarantined: PendingQuarantine[] = [];
  private rawBytes = 0;
  private readonly counters: BatchCounters;
  private readonly quarantine: QuarantineWriter;
  private readonly envelopes: EnvelopeWriter;
  private readonly commitTx: () => void;
  private readonly carefulTx: () => void;

  constructor(
    private readonly db: Db,
    private readonly batchId: number,
    private readonly chunkEvents: number = CHUNK_EVENTS,
  ) {
    this.counters = new BatchCounters(db);
    this.quarantine = new QuarantineWriter(db);
    this.envelopes = new EnvelopeWriter(db);
    this.commitTx = db.transaction(() => this.write(eventLogFor(db).appendChunk(this.events), null)).immediate;
    this.carefulTx = db.transaction(() => this.writeCarefully()).immediate;
  }

  get pendingCount(): number {
    return this.events.length + this.quarantined.length;
  }

  /** True when the pending chunk should be committed now. */
  get full(): boolean {
    return this.events.length + this.quarantined.length >= this.chunkEvents || this.rawBytes >= CHUNK_BYTES;
  }

  addEvent(item: NewEvent, line: number): void {
    this.events.push(item);
    this.lines.push(line);
    this.rawBytes += item.raw.length;
  }

  /**
   * A record for quarantine. With its fingerprint, a record already in quarantine (the same line of the
   * same file, imported before) counts as a duplicate instead of being quarantined again.
   */
  addQuarantine(at: RecordPlace, raw: Buffer, reason: string, key: QuarantineKey | null, envelope: SignedEnvelope | null = null): void {
    this.quarantined.push({ line: at.line, element: at.element ?? null, raw, reason, key, envelope });
    this.rawBytes += raw.length;
  }

  /** Commits what is pending (no-op when empty). */
  commit(): void {
    if (this.events.length === 0 && this.quarantined.length === 0) return;
    try {
      this.commitTx();
    } catch (err) {
      if (isStorageFailure(err)) throw err;
      // An event the log refused (e.g. a value canonical JSON cannot hold): redo the chunk one event at a
      // time so the refused ones go to quarantine instead of failing the whole import.
      this.carefulTx();
    }
    this.events = [];
    this.lines = [];
    this.quarantined = [];
    this.rawBytes = 0;
  }

  private write(result: AppendResult, extraQuarantine: PendingQuarantine[] | null): void {
    const quarantine = extraQuarantine ? this.quarantined.concat(extraQuarantine) : this.quarantined;
    let known = 0;
    let stillQuarantined = 0;
    this.envelopes.reset();
    for (const q of quarantine) {
      const envelopeId = q.envelope !== null ? this.envelopes.store(q.envelope) : null;
      const stored = this.quarantine.insert(this.batchId, q, q.reason, q.raw, q.key, envelopeId);
      if (stored !== 'stored') known++;
      // A record a retry has since put in the log is a duplicate of an event, not one still in quarantine.
      if (stored === 'open') stillQuarantined++;
    }
    const delta: BatchCounts = {
      read: this.events.length + this.quarantined.length,
      imported: result.inserted,
      duplicates: result.duplicates + known,
      quarantined: quarantine.length - known,
    };
    this.counters.addCounts(this.batchId, delta, result.firstSeq, result.lastSeq);
    this.totals.read += delta.read;
    this.totals.imported += delta.imported;
    this.totals.duplicates += delta.duplicates;
    this.totals.quarantined += delta.quarantined;
    this.alreadyQuarantined += stillQuarantined;
    if (this.firstSeq === null) this.firstSeq = result.firstSeq;
    if (result.lastSeq !== null) this.lastSeq = result.lastSeq;
  }

  private writeCarefully(): void {
    const log = eventLogFor(this.db);
    const refused: PendingQuarantine[] = [];
    const total: AppendResult = { inserted: 0, duplicates: 0, firstSeq: null, lastSeq: null, duplicateIndexes: [] };
    const appendOne = this.db.transaction((item: NewEvent) => log.appendChunk([item]));
    for (let i = 0; i < this.events.length; i++) {
      const item = this.events[i]!;
      try {
        const r = appendOne(item);
        total.inserted += r.inserted;
        total.duplicates += r.duplicates;
        if (total.firstSeq === null) total.firstSeq = r.firstSeq;
        if (r.lastSeq !== null) total.lastSeq = r.lastSeq;
      } catch (err) {
        if (isStorageFailure(err)) throw err;
        // Keyed by the event's own fingerprint, so importing the file again does not quarantine it twice.
        refused.push({ line: this.lines[i] ?? 0, element: null, raw: item.raw, reason: `the event could not be stored: ${describe(err)}`, key: { fp: item.fp, occurrence: null }, envelope: item.signed?.envelope ?? null });
      }
    }
    // Refused events become quarantine rows but stay counted once in read (they were counted as events).
    this.write(total, refused);
  }
}

function isStorageFailure(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}
