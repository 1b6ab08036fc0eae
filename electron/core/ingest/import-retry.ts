import { IngestFormatSchema, type IngestFormat } from '../../../shared/contract/events';
import { dedupTimeOf, rawOf } from './parse-types';
import { newYearTrack, type YearTrack } from './year-tracker';
import { describeTimeChoice, timeIfMissingOf, type TimeIfMissingChoice } from './missing-time';
import { AttestError } from '../../../shared/result';
import type { NewEvent } from '../chain/event-log';
import { eventLogFor } from '../chain/self-audit';
import { getSourceSettingsById, type SourceSettings } from '../sources/source-store';
import type { Db } from '../vault/database';
import { Fingerprinter, fingerprintScope, OccurrenceCounter } from './fingerprint';
import { BatchCounters, getBatch, type BatchRecord } from './import-batches';
import { boundedReason, parseSafely } from './import-parse';
import type { ParseContext } from './parse-types';
import { SignedBatchVerifier, signedEventsTooLarge } from './signed-batch';
import { signedEnvelope, storedEnvelopeById } from '../chain/signed-envelope';
import { recordRetryAudit } from './import-audit';

export interface RetryResult {
  retried: number;
  imported: number;
  duplicates: number;
  stillQuarantined: number;
}

interface Row {
  id: number;
  line: number;
  reason: string;
  raw: Buffer;
  status: string;
  /** The occurrence the import fingerprinted it with (schema 5 on); null: count identical rows. */
  occurrence: number | null;
  /** A record of a signed batch: the signed_envelopes row of its JWS (raw is then the record alone). */
  envelope: number | null;
}

type RowOutcome = { ok: true; events: NewEvent[] } | { ok: false; reason: string };

const PAGE = 1000;

export interface RetryFilter {
  batchId?: number;
  /** For records with no time of their own: 'import', the time their batch was imported; or a time (ms). */
  timeIfMissing?: TimeIfMissingChoice;
}

/**
 * Re-processes open quarantine rows with their source's current settings (CSV mapping, syslog year and
 * zone, JWKS). A row that now parses moves into the event log under the fingerprint the original import
 * would have given it (so dedup still holds against a later re-import) and is marked resolved; its
 * batch's counters move with it so read = imported + duplicates + quarantined stays true (a resolved row
 * that yields n events adds n - 1 to read). Rows that still fail keep their place with the new reason.
 */
export async function retryQuarantine(db: Db, filter: RetryFilter, operator: string, now: number = Date.now()): Promise<RetryResult> {
  const total: RetryResult = { retried: 0, imported: 0, duplicates: 0, stillQuarantined: 0 };
  const batchIds = (
    filter.batchId === undefined
      ? db.prepare(`SELECT DISTINCT batch_id AS id FROM quarantine WHERE status = 'open' ORDER BY batch_id`).all()
      : db.prepare(`SELECT DISTINCT batch_id AS id FROM quarantine WHERE status = 'open' AND batch_id = ?`).all(filter.batchId)
  ) as { id: number }[];
  if (filter.batchId !== undefined && getBatch(db, filter.batchId) === null) {
    throw new AttestError('NOT_FOUND', `There is no import batch ${filter.batchId}.`);
  }
  for (const { id } of batchIds) {
    const batch = getBatch(db, id);
    if (!batch) continue;
    const source = getSourceSettingsById(db, batch.sourceId);
    if (!source) continue;
    const before = { ...total };
    await retryBatch(db, batch, source, now, total, filter.timeIfMissing);
    noteRetryOnBatch(db, batch, operator, now, filter.timeIfMissing, {
      retried: total.retried - before.retried,
      imported: total.imported - before.imported,
      duplicates: total.duplicates - before.duplicates,
      stillQuarantined: total.stillQuarantined - before.stillQuarantined,
    });
  }
  // The rows keep their original batch; the retry itself is the operator's act, recorded in the chain.
  if (total.retried > 0) recordRetryAudit(db, total, operator, filter.batchId, now, filter.timeIfMissing);
  return total;
}

async function retryBatch(db: Db, batch: BatchRecord, source: SourceSettings, now: number, total: RetryResult, timeIfMissing: TimeIfMissingChoice | undefined): Promise<void> {
  const format = IngestFormatSchema.safeParse(batch.format);
  const signed = batch.options.signed === true;
  // The source's current settings win: changing them is how an operator fixes what a retry reads (even
  // over a year or zone given for the import). Else what the import used when it was chosen, in the
  // source's settings or for that import.
  const ctx: ParseContext = { csvMapping: source.csvMapping ?? mappingOption(batch.options.csvMapping), now };
  const pick = <T>(from: unknown, recorded: T | undefined, current: T | null): { value: T | undefined; option: boolean } => {
    if (current !== null) return { value: current, option: false };
    if (from === 'settings' || from === 'option') return { value: recorded, option: from === 'option' };
    return { value: undefined, option: false };
  };
  const year = pick(batch.options.syslogYearSource, numberOption(batch.options.syslogYear), source.syslogYear);
  const zone = pick(batch.options.syslogZoneSource, stringOption(batch.options.syslogZone), source.syslogZone);
  if (year.value !== undefined) ctx.syslogYear = year.value;
  // The years the import inferred from the whole file: each line is read in the year its place in the file had.
  let yearAt: ((line: number) => YearTrack) | null = null;
  if (year.value === undefined && source.syslogYear === null && batch.options.syslogYearSource === 'inferred') {
    const first = numberOption(batch.options.syslogYear);
    if (first !== undefined) {
      ctx.syslogYear = first;
      ctx.syslogYearFrom = 'inferred';
      ctx.syslogFirstYear = first;
      const last = numberOption(batch.options.syslogLastYear);
      if (last !== undefined) ctx.syslogLastYear = last;
      if (batch.options.syslogYearBasis === 'dated-lines') ctx.syslogYearBasis = 'dated-lines';
      yearAt = yearTrackAtLine(first, yearChangesOption(batch.options.syslogYearChanges));
    }
  }
  if (zone.value !== undefined) ctx.syslogZone = zone.value;
  if (year.option) ctx.syslogYearFrom = 'option';
  if (zone.option) ctx.syslogZoneFrom = 'option';
  const header = batch.options.csvHeader;
  if (Array.isArray(header) && header.every((h) => typeof h === 'string')) ctx.csvHeader = header as string[];
  // Asked for now, else what the import was given: 'import' is the time Attest received the file.
  const recordedTime = numberOption(batch.options.timeIfMissing);
  if (timeIfMissing !== undefined) ctx.timeIfMissing = timeIfMissingOf(timeIfMissing, batch.startedAt);
  else if (recordedTime !== undefined) ctx.timeIfMissing = { ms: recordedTime, from: batch.options.timeIfMissingFrom === 'import' ? 'import' : 'given' };
  const delimiter = stringOption(batch.options.csvDelimiter);
  if (delimiter !== undefined) ctx.csvDelimiter = delimiter;

  let blocker: string | null = null;
  if (!format.success) blocker = `the batch's format "${batch.format.slice(0, 40)}" is not one Attest parses`;
  else if (!signed && source.signedOnly) blocker = 'unsigned input to a signed-only source';
  else if (signed && (source.jwks === null || source.issuer === null)) blocker = "the source no longer has a JWKS and issuer to verify signed input";
  const verifier = signed && !blocker ? new SignedBatchVerifier({ jwks: source.jwks!, issuer: source.issuer! }, now) : null;

  const fingerprinter = new Fingerprinter(fingerprintScope(source.name, ctx.csvHeader));
  const occurrences = new OccurrenceCounter();
  const counters = new BatchCounters(db);
  const resolve = db.prepare(`UPDATE quarantine SET status = 'resolved' WHERE id = ?`);
  const setReason = db.prepare(`UPDATE quarantine SET reason = ? WHERE id = ?`);
  const page = db.prepare(`SELECT id, line, reason, raw, status, occurrence, envelope FROM quarantine WHERE batch_id = ? AND id > ? ORDER BY id LIMIT ?`);
  // As stored (signed 64-bit): tells which inner record of a signed batch a row stands for.
  const storedFp = db.prepare<[number], bigint | null>('SELECT fp FROM quarantine WHERE id = ?').pluck().safeIntegers(true);

  let afterId = 0;
  let previousLine = -1;
  let occurrence = 0;
  for (;;) {
    const rows = page.all(batch.id, afterId, PAGE) as Row[];
    if (rows.length === 0) break;
    afterId = rows[rows.length - 1]!.id;
    const work: { row: Row; outcome: RowOutcome }[] = [];
    for (const row of rows) {
      // Occurrence among identical records of the file: the one the import used, when it stored it (a
      // re-import leaves copies already in quarantine out of the new batch, so counting would be wrong).
      // Older rows: identical records share their fate (same bytes, same settings), so counting the
      // quarantined copies counts all copies. A signed line quarantined for several of its inner records
      // has several rows on the same line: count it once.
      if (!(signed && row.line === previousLine)) occurrence = occurrences.next(row.raw);
      if (typeof row.occurrence === 'number') occurrence = row.occurrence;
      previousLine = row.line;
      if (row.status !== 'open') continue;
      total.retried++;
      if (blocker || !format.success) {
        work.push({ row, outcome: { ok: false, reason: blocker ?? row.reason } });
        continue;
      }
      // Each row on its own: the row retried before it is not the line before it in the file, so a "last
      // message repeated" row has no line to repeat (syslog-repeats.ts) and stays a plain event.
      const rowCtx: ParseContext = yearAt ? { ...ctx, yearTrack: yearAt(row.line) } : { ...ctx };
      delete rowCtx.syslogPrevious;
      // A record of a signed batch is retried from its batch's JWS, verified again.
      const jws = row.envelope !== null ? storedEnvelopeById(db, row.envelope) : row.raw;
      const outcome = jws === null
        ? { ok: false as const, reason: 'the signed batch this record came from is no longer in the vault' }
        : verifier
          ? await signedEvents(verifier, jws, format.data, rowCtx, fingerprinter, occurrence, batch, storedFp.get(row.id) ?? null)
          : plainEvents(row.raw, format.data, rowCtx, fingerprinter, occurrence, batch);
      work.push({ row, outcome });
    }
    db.transaction(() => {
      const events: NewEvent[] = [];
      let extraRead = 0;
      let resolved = 0;
      for (const { row, outcome } of work) {
        if (outcome.ok) {
          for (const e of outcome.events) events.push(e);
          extraRead += outcome.events.length - 1;
          resolved++;
          resolve.run(row.id);
        } else {
          total.stillQuarantined++;
          const reason = boundedReason(outcome.reason);
          if (reason !== row.reason) setReason.run(reason, row.id);
        }
      }
      if (resolved === 0) return;
      const result = eventLogFor(db).appendChunk(events);
      counters.addCounts(batch.id, { read: extraRead, imported: result.inserted, duplicates: result.duplicates, quarantined: -resolved }, result.firstSeq, result.lastSeq);
      total.imported += result.inserted;
      total.duplicates += result.duplicates;
    }).immediate();
  }
}

function plainEvents(raw: Buffer, format: IngestFormat, ctx: ParseContext, fp: Fingerprinter, occurrence: number, batch: BatchRecord): RowOutcome {
  const outcome = parseSafely(format, raw, ctx);
  if (!outcome.ok) return outcome;
  return {
    ok: true,
    events: outcome.events.map((event, i) => ({ event, raw: rawOf(outcome, i, raw), fp: fp.compute(raw, occurrence, i), sourceId: batch.sourceId, batchId: batch.id, ...dedupTimeOf(outcome, i) })),
  };
}

/**
 * The events of a quarantined signed line, verified again. A row that stands for one inner record of a
 * batch (quarantined for that record alone: its fingerprint is that record's, `part` k) retries that
 * record only; its siblings were imported with the batch, and re-parsing them with settings changed since
 * would store them again under other times. A row for the whole line (its signature failed) retries all.
 */
async function signedEvents(
  verifier: SignedBatchVerifier,
  raw: Buffer,
  format: IngestFormat,
  ctx: ParseContext,
  fp: Fingerprinter,
  occurrence: number,
  batch: BatchRecord,
  storedFp: bigint | null,
): Promise<RowOutcome> {
  const verified = await verifier.verify(raw);
  if (!verified.ok) return verified;
  // As the import stores a batch: its JWS once, each event with its own record (signed-envelope.ts).
  const envelope = verified.records.length > 1 ? signedEnvelope(raw, verified.records.length) : null;
  let only: number | null = null;
  if (storedFp !== null) {
    for (let k = 0; k < verified.records.length && only === null; k++) if (BigInt.asIntN(64, fp.compute(raw, occurrence, 0, k)) === storedFp) only = k;
  }
  const events: NewEvent[] = [];
  const from = only ?? 0;
  const outcomes = verified.records.slice(from, only === null ? undefined : only + 1).map((r) => parseSafely(format, r, ctx));
  // The import's bound on what one JWS's events store, as the import applies it.
  const tooLarge = signedEventsTooLarge(raw, verified.records.slice(from, from + outcomes.length), outcomes, envelope !== null);
  if (tooLarge !== null) return { ok: false, reason: tooLarge };
  for (let k = from; k < from + outcomes.length; k++) {
    const outcome = outcomes[k - from]!;
    if (!outcome.ok) return { ok: false, reason: `signed record ${k + 1}: ${outcome.reason}` };
    outcome.events.forEach((event, j) => {
      const base = { event, fp: fp.compute(raw, occurrence, j, k), sourceId: batch.sourceId, batchId: batch.id, ...dedupTimeOf(outcome, j) };
      events.push(envelope === null ? { ...base, raw } : { ...base, raw: verified.records[k]!, signed: { envelope, index: k } });
    });
  }
  return { ok: true, events };
}

function numberOption(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}
function mappingOption(v: unknown): Record<string, string> | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  return Object.values(v).every((x) => typeof x === 'string') ? (v as Record<string, string>) : null;
}
function stringOption(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The New Years an import found in its file (syslog-years.ts InferredYears.changes), as recorded in its batch. */
function yearChangesOption(v: unknown): Array<[number, number, number]> {
  if (!Array.isArray(v)) return [];
  return v.filter((c): c is [number, number, number] => Array.isArray(c) && c.length === 3 && c.every((n) => typeof n === 'number' && Number.isFinite(n)));
}

/**
 * The year track a line of the file starts from: the year of the last New Year before it, with the place
 * in the year where that year began, so a late-December line just after it still falls in the year before
 * (year-tracker.ts), as it did when the whole file was read.
 */
export function yearTrackAtLine(first: number, changes: Array<[number, number, number]>): (line: number) => YearTrack {
  return (line) => {
    let track: YearTrack = newYearTrack(first);
    for (const [at, year, latest] of changes) {
      if (at > line) break;
      track = { year, latest, rollovers: 0 };
    }
    return track;
  };
}

/** Notes kept with a batch at most (import-file.ts ParseNotes keeps 20; retries add theirs after). */
const MAX_BATCH_NOTES = 40;

/**
 * A retry leaves its trace on the batch, not only in Attest's own audit event: the import history then
 * shows when its quarantined records were read again, by whom, with what result and which time they were
 * given, next to the counts the retry changed.
 */
function noteRetryOnBatch(db: Db, batch: BatchRecord, operator: string, now: number, timeIfMissing: TimeIfMissingChoice | undefined, r: RetryResult): void {
  if (r.retried === 0) return;
  const timing = timeIfMissing === undefined ? '' : timeIfMissing === 'import' ? '; records with no time of their own were given the time of the import' : `; ${describeTimeChoice(timeIfMissing)}`;
  const note = `retried ${new Date(now).toISOString()} by ${operator}: ${r.retried} record(s), ${r.imported} imported, ${r.duplicates} duplicate(s), ${r.stillQuarantined} still quarantined${timing}`;
  const notes = Array.isArray(batch.options.notes) ? batch.options.notes.filter((n): n is string => typeof n === 'string') : [];
  if (notes.length >= MAX_BATCH_NOTES) return;
  db.prepare('UPDATE batches SET options = ? WHERE id = ?').run(JSON.stringify({ ...batch.options, notes: [...notes, note.slice(0, 300)] }), batch.id);
}
