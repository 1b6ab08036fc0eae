import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { gzipFailureMessage, inflateGzipMembers, inflateHead, type GzipTail } from './gzip-members';
import { checkGzipFile, isGzipFile } from './gzip-check';
import type { IngestFormat, IngestSummary } from '../../../shared/contract/events';
import { AttestError } from '../../../shared/result';
import { signCheckpoint } from '../chain/checkpoint';
import { recordImportAudit } from './import-audit';
import { ensureSource } from '../chain/self-audit';
import { findSignedSourcesByIssuer, getSourceSettings, getSourceSettingsById, type SourceSettings } from '../sources/source-store';
import type { Db } from '../vault/database';
import { Fingerprinter, fingerprintScope } from './fingerprint';
import { BatchCounters, createBatch, type BatchState } from './import-batches';
import { markStaleBatches } from './stale-batches';
import { ChunkCommitter, CHUNK_EVENTS } from './import-chunk';
import { boundedReason, parseSafely } from './import-parse';
import { dedupTimeOf, rawOf, type ParseContext } from './parse-types';
import { effectiveSyslogDefaults } from './parse-record';
import { detectFormat } from './detect';
import { openInput, type OpenedInput } from './read-records';
import { ParseThread, parsedEvents, type ParsedBatch } from './parse-thread';
import { ImportDimensions } from '../chain/import-dimensions';
import { joinFingerprint } from '../chain/chain-record';
import type { RawRecord } from './record';
import { LineSplitter } from './split/line-splitter';
import { splitRecords } from './split/split-records';
import { MAX_JWS_BYTES, SignedBatchVerifier, signedEventsTooLarge, sniffSignedFile, unverifiedPayloadRecords } from './signed-batch';
import { signedEnvelope } from '../chain/signed-envelope';
import { VerifyAhead } from './verify-ahead';
import { sourceNameOf } from '../sources/source-name';
import { prepareYearTracking, type InferredYears } from './syslog-years';
import { timeIfMissingOf, type TimeIfMissingChoice } from './missing-time';

export interface ImportFileInput {
  path: string;
  /** Name shown and recorded for the file (the web host's uploads carry the original name). */
  name?: string;
}

export interface ImportProgress {
  file: string;
  bytesRead: number;
  bytesTotal: number;
  /** Items accounted for so far (events parsed + records quarantined). */
  events: number;
  eventsPerSec: number;
  etaMs: number | null;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  /** checking: the pass that checks a gzip's every member (gzip-check.ts); scanning: the pass over a syslog
   * file for its years (syslog-years.ts); both before the import. */
  phase?: 'checking' | 'scanning' | 'importing';
}

export interface ImportFileOptions {
  format?: IngestFormat;
  source?: string;
  /** Year and zone for timestamps without them, for this import: over the source's settings (RFC 3164). */
  syslogYear?: number;
  syslogZone?: string;
  /** The time of records that carry none, for this import (missing-time.ts); else they are quarantined. */
  timeIfMissing?: TimeIfMissingChoice;
  operator: string;
  /** When given, a checkpoint over the new chain head is signed after the file. */
  vaultId?: string;
  /** Checked between chunks: the import stops there, keeping what was committed. */
  signal?: { readonly aborted: boolean };
  /** Called at most every progressIntervalMs (default 100 ms) and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
  now?: number;
  chunkEvents?: number;
  progressIntervalMs?: number;
  /**
   * Script that runs a parse thread (the bundled ingest-worker.js does, given role 'parse'): unsigned
   * files are then parsed, fingerprinted and serialised on a second core while this thread writes.
   */
  parseThreadScript?: string;
  /** Actor and IP values (and their characters) the parse thread numbers before starting over (DimensionNumbering; tests set them low). */
  numberedValuesBound?: number;
  numberedCharsBound?: number;
}

/** Unsigned input for a source that accepts only signed files: the whole file is refused (nothing read). */
export const UNSIGNED_REFUSED = 'This source accepts only signed input (compact JWS); the file was not imported.';

/**
 * Imports one file into the vault, streaming: records are split, parsed, fingerprinted and appended in
 * chunks of ~10k, each chunk one transaction (events, quarantine rows and batch counters together).
 *
 * Accounting, per item: read = imported + duplicates + quarantined, where a parsed record contributes one
 * item per event it produced and a quarantined record one item. Never throws for bad input or an
 * unreadable file: the summary's error says what happened. Storage failures (disk full) do end the
 * import with an error after marking the batch failed; everything committed before stays.
 */
export async function importFile(db: Db, file: ImportFileInput, opts: ImportFileOptions): Promise<IngestSummary> {
  const now = opts.now ?? Date.now();
  const name = file.name ?? path.basename(file.path);
  const summary: IngestSummary = {
    file: name,
    sha256: '',
    format: opts.format ?? null,
    bytes: 0,
    read: 0,
    imported: 0,
    duplicates: 0,
    quarantined: 0,
    batchId: null,
    cancelled: false,
    error: null,
  };
  let plan: ImportPlan;
  try {
    const info = await stat(file.path);
    if (!info.isFile()) throw new AttestError('IO', 'This is not a regular file.');
    summary.bytes = info.size;
    plan = await planImport(db, file.path, name, opts, now);
  } catch (err) {
    // A file that was read but refused (not recognised, no source for its signatures) is identified by
    // its hash in the record either way.
    const readable = err instanceof AttestError && err.code !== 'IO';
    if (readable) summary.sha256 = await hashFile(file.path).catch(() => '');
    const blank = readable && err.code === 'UNSUPPORTED_FORMAT' ? await blankFile(file.path, summary.bytes) : null;
    if (blank !== null) {
      // Every record (none) is accounted for: a log rotated with nothing in it is not a failed import,
      // but still the operator's act on the vault, chained.
      summary.notes = blank.gzipTrailingBytes > 0 ? [EMPTY_FILE_NOTE, gzipTrailingNote(blank.gzipTrailingBytes)] : [EMPTY_FILE_NOTE];
      recordImportAudit(db, summary, opts.operator, 'empty', now);
      return summary;
    }
    summary.error = operatorMessage(err, 'The file could not be read');
    // The screen links the fix: the mapping of the source the file is recorded under.
    const csvMappingSource = err instanceof AttestError ? err.details?.csvMappingSource : undefined;
    if (typeof csvMappingSource === 'string') summary.csvMappingSource = csvMappingSource;
    recordImportAudit(db, summary, opts.operator, 'refused', now);
    return summary;
  }
  try {
    return await runImport(db, file, opts, now, plan, summary);
  } catch (err) {
    // Storage failures outside a chunk (creating or closing the batch): report, never throw.
    plan.close();
    summary.error ??= operatorMessage(err, 'The import could not be recorded');
    return summary;
  }
}

async function runImport(db: Db, file: ImportFileInput, opts: ImportFileOptions, now: number, plan: ImportPlan, summary: IngestSummary): Promise<IngestSummary> {
  const name = summary.file;
  markStaleBatches(db, now);
  summary.format = plan.format;
  const options: Record<string, unknown> = { ...plan.options, requestedFormat: opts.format ?? null };

  if (plan.refused) {
    plan.close();
    summary.sha256 = await hashFile(file.path).catch(() => '');
    summary.batchId = createBatch(db, {
      sourceId: plan.source.id, file: name, bytes: summary.bytes, sha256: summary.sha256, format: plan.format,
      // The reason is kept with the batch, so the import history can say why.
      options: { ...options, error: plan.refused }, operator: opts.operator, startedAt: now, state: 'refused',
    });
    new BatchCounters(db).setState(summary.batchId, 'refused', now);
    summary.error = plan.refused;
    recordImportAudit(db, summary, opts.operator, 'refused', now);
    return summary;
  }

  const earlier = await identicalImportBefore(db, file.path, plan, summary.bytes);
  if (earlier !== null) return await recordIdenticalImport(db, opts, now, plan, summary, options, earlier);
  if (plan.prepare) {
    await plan.prepare(opts.signal);
    Object.assign(options, plan.options);
  }

  // The file's hash is computed from a second stream over the same bytes, interleaved with the import.
  const fileHash = hashFile(file.path);
  fileHash.catch(() => undefined);
  const batchId = createBatch(db, {
    sourceId: plan.source.id, file: name, bytes: summary.bytes, sha256: '', format: plan.format,
    options, operator: opts.operator, startedAt: now,
  });
  summary.batchId = batchId;
  const committer = new ChunkCommitter(db, batchId, opts.chunkEvents ?? CHUNK_EVENTS);
  const progress = new ProgressReporter(name, summary.bytes, plan.bytesRead, committer, opts.onProgress, opts.progressIntervalMs ?? 100);
  const notes = new ParseNotes();
  let state: BatchState = 'done';
  try {
    state = await plan.run(committer, batchId, opts.signal, progress, notes);
  } catch (err) {
    state = 'failed';
    summary.error = operatorMessage(err, 'The import stopped');
  } finally {
    plan.close();
  }
  summary.sha256 = await fileHash.catch(() => '');
  try {
    const finalOptions = {
      ...options,
      ...(notes.size > 0 ? { notes: notes.list() } : {}),
      ...(summary.error !== null ? { error: summary.error } : {}),
    };
    db.prepare('UPDATE batches SET sha256 = ?, state = ?, finished_at = ?, options = ? WHERE id = ?').run(
      summary.sha256, state, Date.now(), JSON.stringify(finalOptions), batchId,
    );
  } catch (err) {
    summary.error ??= operatorMessage(err, 'The import could not be finished');
  }
  Object.assign(summary, committer.totals);
  if (committer.alreadyQuarantined > 0) summary.alreadyQuarantined = committer.alreadyQuarantined;
  if (notes.size > 0) summary.notes = notes.list();
  summary.cancelled = state === 'cancelled';
  progress.final(state === 'done' ? 'done' : state === 'cancelled' ? 'cancelled' : 'failed');
  // Recorded before the checkpoint so the signed head covers the import's own audit event.
  recordImportAudit(db, summary, opts.operator, state === 'done' ? 'done' : state === 'cancelled' ? 'cancelled' : 'failed', opts.now ?? Date.now());
  await signCheckpointQuietly(db, opts, summary);
  moveLogIntoVaultFile(db);
  return summary;
}

interface EarlierImport {
  id: number;
  sha256: string;
  read: number;
  finishedAt: number | null;
}

/**
 * The finished import of these same bytes, from the same source in the same format, if there was one.
 * Dedup is keyed by (time, fingerprint), and the time of a record without a full timestamp depends on
 * settings (syslog year and zone, a CSV mapping) and, by default, on the date of the import: the same
 * file imported again under other settings, or in the next year, would store its events a second time.
 * Hashing first costs a second read of the file, so only a file whose size matches an earlier import is.
 */
async function identicalImportBefore(db: Db, filePath: string, plan: ImportPlan, bytes: number): Promise<EarlierImport | null> {
  const candidates = db
    .prepare<[number, number, string], { id: number; sha256: string; read: number; finished_at: number | null }>(
      "SELECT id, sha256, read, finished_at FROM batches WHERE source_id = ? AND bytes = ? AND format = ? AND state = 'done' AND sha256 != '' ORDER BY id",
    )
    .all(plan.source.id, bytes, plan.format);
  if (candidates.length === 0) return null;
  const sha256 = await hashFile(filePath).catch(() => '');
  const match = candidates.find((c) => c.sha256 === sha256);
  // The first such import: the one that read the records (later ones only point to it).
  return match ? { id: match.id, sha256, read: match.read, finishedAt: match.finished_at } : null;
}

/** Records of a batch still in quarantine (not retried into the log since). */
function openQuarantineOf(db: Db, batchId: number): number {
  const row = db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM quarantine WHERE batch_id = ? AND status = 'open'").get(batchId);
  return row?.n ?? 0;
}

/** A re-import of an earlier import's bytes: every record counts as a duplicate, recorded and chained as any import. */
async function recordIdenticalImport(db: Db, opts: ImportFileOptions, now: number, plan: ImportPlan, summary: IngestSummary, options: Record<string, unknown>, earlier: EarlierImport): Promise<IngestSummary> {
  plan.close();
  const when = earlier.finishedAt !== null ? ` on ${new Date(earlier.finishedAt).toISOString().slice(0, 10)}` : '';
  // "Duplicates" here means already in the vault: in the log, or (for a record that failed then) in quarantine.
  const inQuarantine = openQuarantineOf(db, earlier.id);
  const where = inQuarantine > 0 ? ` (${inQuarantine} of them in quarantine, not in the log)` : '';
  const note = `identical to batch ${earlier.id} (imported${when} from this source): its records are already in the vault as read then${where}; settings given now (year, zone, CSV mapping) do not read them again.${inQuarantine > 0 ? ` Quarantined records can be retried from the quarantine list (attest quarantine retry --batch ${earlier.id}).` : ''}`;
  summary.sha256 = earlier.sha256;
  summary.read = earlier.read;
  summary.duplicates = earlier.read;
  if (inQuarantine > 0) summary.alreadyQuarantined = inQuarantine;
  summary.notes = [note];
  const batchId = createBatch(db, {
    sourceId: plan.source.id, file: summary.file, bytes: summary.bytes, sha256: earlier.sha256, format: plan.format,
    options: { ...options, identicalTo: earlier.id, notes: [note] }, operator: opts.operator, startedAt: now,
  });
  summary.batchId = batchId;
  const counters = new BatchCounters(db);
  db.transaction(() => {
    counters.addCounts(batchId, { read: earlier.read, imported: 0, duplicates: earlier.read, quarantined: 0 }, null, null);
    counters.setState(batchId, 'done', Date.now());
  }).immediate();
  recordImportAudit(db, summary, opts.operator, 'done', opts.now ?? Date.now());
  await signCheckpointQuietly(db, opts, summary);
  moveLogIntoVaultFile(db);
  return summary;
}

/** Signs a checkpoint over the new head (the import's audit event); a failure is reported, not thrown. */
async function signCheckpointQuietly(db: Db, opts: ImportFileOptions, summary: IngestSummary): Promise<void> {
  if (!opts.vaultId) return;
  try {
    await signCheckpoint(db, opts.vaultId);
  } catch (err) {
    summary.error ??= `The events were imported, but the checkpoint could not be signed: ${operatorMessage(err, 'unknown error')}`;
  }
}

/**
 * Copies the write-ahead log into the vault file and empties it. Until then a finished import lives only
 * in vault.sqlite-wal, where SQLite drops every frame after one that fails its checksum: a flipped byte
 * there would silently take the import (and the checkpoint signed over it) with it. In the vault file a
 * changed byte fails the cipher's page authentication instead. Best effort and never waiting: with a
 * reader holding an old snapshot (a verify running) TRUNCATE would wait out the whole busy timeout, so it
 * runs with none and what it cannot do now is left to the next import or SQLite's own checkpoints.
 */
function moveLogIntoVaultFile(db: Db): void {
  const timeout = db.pragma('busy_timeout', { simple: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    /* not in WAL mode, or busy: nothing is lost by leaving it */
  } finally {
    db.pragma(`busy_timeout = ${Number(timeout) || 0}`);
  }
}

export const EMPTY_FILE_NOTE = 'the file is empty: there was nothing to import';

/** A file of nothing but whitespace (and a BOM), small enough to tell by reading it (null: not one). */
async function blankFile(file: string, bytes: number): Promise<{ gzipTrailingBytes: number } | null> {
  if (bytes > 1024 * 1024) return null;
  try {
    let data: Buffer = await readFile(file);
    // A gzip of an empty (or blank) file is as empty as the file: inflated at most 1 MiB.
    const tail: GzipTail = { trailingBytes: 0 };
    if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) data = await inflateHead(data, 1024 * 1024, tail);
    return /^\ufeff?\s*$/.test(data.toString('utf8')) ? { gzipTrailingBytes: tail.trailingBytes } : null;
  } catch {
    return null;
  }
}

interface ImportPlan {
  format: IngestFormat;
  source: SourceSettings;
  options: Record<string, unknown>;
  /** Set when the whole file is refused (unsigned input to a signed-only source). */
  refused: string | null;
  bytesRead: () => number;
  /** Work before the import proper that may update `options` (the syslog years' pass over the file). */
  prepare?(signal: ImportFileOptions['signal']): Promise<void>;
  run(committer: ChunkCommitter, batchId: number, signal: ImportFileOptions['signal'], progress: ProgressReporter, notes: ParseNotes): Promise<BatchState>;
  close(): void;
}

/**
 * For a gzip: the first member its check found damaged (its records are then never read), after which
 * the import stops with an error; undefined for a sound gzip, one only cut short (what comes before the
 * cut is read), or another file. A damaged first member refuses the whole file here.
 */
async function damagedGzipMember(filePath: string, name: string, opts: ImportFileOptions): Promise<number | undefined> {
  if (!(await isGzipFile(filePath).catch(() => false))) return undefined;
  const onProgress = opts.onProgress;
  const checked = await checkGzipFile(filePath, name, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(onProgress ? { onProgress: (bytesRead: number, bytesTotal: number) => onProgress({ file: name, bytesRead, bytesTotal, events: 0, eventsPerSec: 0, etaMs: null, state: 'running', phase: 'checking' }) } : {}),
  });
  const failure = checked?.failure;
  if (failure === undefined || failure.kind === 'truncated') return undefined;
  if (failure.member === 0) throw new AttestError('IO', gzipFailureMessage(name, failure));
  return failure.member;
}

const CR_LINES_NOTE = 'lines end with a bare CR (classic Mac OS line endings): each CR was read as the end of a line';

async function planImport(db: Db, filePath: string, name: string, opts: ImportFileOptions, now: number): Promise<ImportPlan> {
  // The stored form of the name (NFKC), or a refusal of a name that passes for another.
  if (opts.source !== undefined) opts = { ...opts, source: sourceNameOf(opts.source) };
  const sniff = await sniffSignedFile(filePath);
  const stopAtMember = await damagedGzipMember(filePath, name, opts);
  if (sniff.signed) return planSigned(db, filePath, name, opts, now, sniff.issuer, sniff.gzip, stopAtMember);
  // The source the file will be recorded under when it is CSV: the one named, else the format's own name
  // (a file detected as CSV with no source named goes under "csv", so the mapping saved there applies).
  const csvSourceName = opts.source ?? opts.format ?? 'csv';
  const requested = getSourceSettings(db, csvSourceName);
  const input = await openInput(filePath, {
    ...(opts.format ? { format: opts.format } : {}),
    csvMapping: requested?.csvMapping ?? null,
    csvSourceName,
    name,
    ...(stopAtMember !== undefined ? { gzipStopAtMember: stopAtMember } : {}),
  });
  const source = resolveSource(db, opts.source ?? input.format, now);
  const ctx = parseContext(source, now, input.csvHeader, opts);
  if (input.csvMapping) ctx.csvMapping = input.csvMapping;
  if (input.csvDelimiter !== undefined) ctx.csvDelimiter = input.csvDelimiter;
  const yearNotes: string[] = [];
  const plan: ImportPlan = {
    format: input.format,
    source,
    options: {
      ...optionsOf(input.format, source, ctx, { gzip: input.gzip, signed: false }),
      ...(input.lineEnding ? { lineEnding: input.lineEnding } : {}),
    },
    // Only once the file is to be imported (not refused, not an identical re-import): it may read the whole file.
    prepare: async (signal) => {
      const onScan = opts.onProgress;
      const years = await prepareYearTracking(ctx, filePath, name, input.format, {
        ...(signal ? { signal } : {}),
        ...(stopAtMember !== undefined ? { gzipStopAtMember: stopAtMember } : {}),
        ...(onScan ? { onProgress: (bytesRead: number, bytesTotal: number) => onScan({ file: name, bytesRead, bytesTotal, events: 0, eventsPerSec: 0, etaMs: null, state: 'running', phase: 'scanning' }) } : {}),
      });
      plan.options = {
        ...plan.options,
        ...optionsOf(input.format, source, ctx, { gzip: input.gzip, signed: false }),
        // Kept so that a retry of quarantined lines can place them in the same years (import-retry.ts).
        ...(years ? { syslogLastYear: years.last, syslogLatest: years.latestMs, syslogYearChanges: years.changes, syslogYearBasis: years.basis } : {}),
        ...(years && years.datedLines > 0 ? { syslogDatedLines: years.datedLines, syslogDatedDisagreeing: years.datedDisagreeing } : {}),
      };
      if (years && years.datedDisagreeing > 0) yearNotes.push(datedDisagreementNote(years));
      // Cancelled while the dates were read: no year was decided, and no record read with one. The record
      // said the default rule (the current year), which no line of the file was ever read with.
      if ((input.format === 'syslog' || input.format === 'cef') && years === null && ctx.yearTrack === undefined && signal?.aborted) {
        plan.options = { ...plan.options, syslogYear: null, syslogYearSource: 'cancelled' };
      }
    },
    refused: source.signedOnly ? UNSIGNED_REFUSED : null,
    bytesRead: () => input.bytesRead(),
    run: (committer, batchId, signal, progress, notes) => {
      if (input.lineEnding === 'cr') notes.add([CR_LINES_NOTE]);
      notes.add(yearNotes);
      const state = opts.parseThreadScript
        ? runPlainParallel({ input, source, batchId, ctx, committer, signal, progress, notes }, opts.parseThreadScript, opts)
        : runPlain({ input, source, batchId, ctx, committer, signal, progress, notes });
      return state.then((s) => {
        const trailing = input.gzipTrailingBytes();
        if (trailing > 0) notes.add([gzipTrailingNote(trailing)]);
        return s;
      });
    },
    close: () => void input.close().catch(() => undefined),
  };
  return plan;
}

/** Bytes after a gzip's last member that are not gzip: every record before them was read, and they are told. */
export function gzipTrailingNote(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} byte(s) after the end of the gzip data are not gzip: they were not read as records (the file's compressed records were all read)`;
}

/** Lines that carry a year but put the file's start elsewhere than most such lines do: told, not hidden. */
function datedDisagreementNote(years: InferredYears): string {
  const agreeing = years.datedLines - years.datedDisagreeing;
  const why = agreeing > years.datedDisagreeing ? 'as most of them say' : 'the latest of the years they point to (no year has most of them)';
  return `${years.datedDisagreeing} of the ${years.datedLines} lines that carry a year disagree with the others about the years; the lines without a year were read from ${years.first} on, ${why}`;
}

/** Everything one unsigned import works with, shared by the single-thread and parse-thread paths. */
interface PlainRun {
  input: OpenedInput;
  source: SourceSettings;
  batchId: number;
  ctx: ParseContext;
  committer: ChunkCommitter;
  signal: ImportFileOptions['signal'];
  progress: ProgressReporter;
  notes: ParseNotes;
}

async function runPlain(run: PlainRun): Promise<BatchState> {
  const { source, committer, signal } = run;
  const fingerprinter = new Fingerprinter(fingerprintScope(source.name, run.ctx.csvHeader));
  if (signal?.aborted) return 'cancelled';
  try {
    return await plainLoop(run, fingerprinter);
  } catch (err) {
    // A read error part-way (truncated gzip, unreadable sector): what was already read and parsed is
    // committed and counted, so the summary says exactly how far the file got.
    commitQuietly(committer);
    throw err;
  }
}

async function plainLoop(run: PlainRun, fingerprinter: Fingerprinter): Promise<BatchState> {
  const { input, batchId, ctx, committer, signal, progress, notes } = run;
  const format = input.format;
  const sourceId = run.source.id;
  for await (const batch of input.recordBatches) {
    for (let r = 0; r < batch.length; r++) {
      const record = batch[r]!;
      const raw = record.raw;
      if (record.error !== undefined) {
        // Never parsed, so never remembered: a "last message repeated" after it must not repeat the line before it.
        delete ctx.syslogPrevious;
        committer.addQuarantine(record, raw, boundedReason(record.error), fingerprinter.quarantineKey(raw));
      } else {
        const outcome = parseSafely(format, raw, ctx);
        if (!outcome.ok) {
          committer.addQuarantine(record, raw, boundedReason(outcome.reason), fingerprinter.quarantineKey(raw));
        } else {
          if (outcome.notes) notes.add(outcome.notes);
          const events = outcome.events;
          // Fingerprints are of the record; each event keeps its own element of it (rawOf).
          committer.addEvent({ event: events[0]!, raw: rawOf(outcome, 0, raw), fp: fingerprinter.next(raw), sourceId, batchId, ...dedupTimeOf(outcome, 0) }, record.line);
          for (let i = 1; i < events.length; i++) {
            committer.addEvent({ event: events[i]!, raw: rawOf(outcome, i, raw), fp: fingerprinter.compute(raw, fingerprinter.lastOccurrence, i), sourceId, batchId, ...dedupTimeOf(outcome, i) }, record.line);
          }
        }
      }
      if (committer.full) {
        committer.commit();
        if (signal?.aborted) return 'cancelled';
      }
    }
    progress.tick(batch.length);
  }
  committer.commit();
  return 'done';
}

/** How many record batches may wait at the parse thread: enough to keep it busy during a commit. */
const PARSE_AHEAD = 4;

/**
 * runPlain with parsing on a second thread (parse-thread.ts): this thread reads, then appends what the
 * parse thread returns, in file order, so chunks, accounting and cancellation behave exactly as in runPlain.
 */
async function runPlainParallel(run: PlainRun, script: string, bounds: Pick<ImportFileOptions, 'numberedValuesBound' | 'numberedCharsBound'>): Promise<BatchState> {
  const { input, source, batchId, ctx, committer, signal, progress, notes } = run;
  if (signal?.aborted) return 'cancelled';
  const sourceId = source.id;
  const parser = new ParseThread(script, {
    format: input.format,
    sourceName: fingerprintScope(source.name, ctx.csvHeader),
    ctx,
    ...(bounds.numberedValuesBound !== undefined ? { maxNumberedValues: bounds.numberedValuesBound } : {}),
    ...(bounds.numberedCharsBound !== undefined ? { maxNumberedChars: bounds.numberedCharsBound } : {}),
  });
  const dims = new ImportDimensions();
  const inFlight: Array<{ records: RawRecord[]; parsed: Promise<ParsedBatch> }> = [];
  // Appends one parsed batch; false when cancelled at a commit.
  const take = async (): Promise<boolean> => {
    const { records, parsed } = inFlight.shift()!;
    const batch = await parsed;
    if (batch.notes.length > 0) notes.add(batch.notes);
    const quarantine = batch.quarantine;
    let q = 0;
    const events = parsedEvents(batch, records, dims, sourceId, batchId);
    let e = 0;
    for (let r = 0; r < records.length; r++) {
      const record = records[r]!;
      if (q < quarantine.length && quarantine[q]![0] === r) {
        const [, reason, fpHi, fpLo, occurrence] = quarantine[q]!;
        committer.addQuarantine(record, record.raw, reason, { fp: joinFingerprint(fpHi, fpLo), occurrence });
        q++;
      } else {
        for (; e < events.length && events[e]!.recordIndex === r; e++) committer.addEvent(events[e]!, record.line);
      }
      if (committer.full) {
        committer.commit();
        if (signal?.aborted) return false;
      }
    }
    progress.tick(records.length);
    return true;
  };
  try {
    try {
      for await (const records of input.recordBatches) {
        if (records.length === 0) continue;
        inFlight.push({ records, parsed: parser.parse(records) });
        if (inFlight.length >= PARSE_AHEAD && !(await take())) return 'cancelled';
      }
    } catch (err) {
      // A read error part-way: append what was already read (still at the parse thread), then report.
      try {
        while (inFlight.length > 0) if (!(await take())) break;
      } catch {
        /* the read error is the one to report */
      }
      commitQuietly(committer);
      throw err;
    }
    while (inFlight.length > 0) if (!(await take())) return 'cancelled';
    committer.commit();
    return 'done';
  } finally {
    for (const f of inFlight) f.parsed.catch(() => undefined);
    await parser.close();
  }
}

async function planSigned(db: Db, filePath: string, name: string, opts: ImportFileOptions, now: number, issuer: string | null, gzip: boolean, stopAtMember: number | undefined): Promise<ImportPlan> {
  let source: SourceSettings | null = null;
  if (opts.source !== undefined) {
    source = getSourceSettings(db, opts.source);
    if (!source || source.jwks === null || source.issuer === null) {
      throw new AttestError('BAD_REQUEST', `The source "${opts.source}" has no JWKS and issuer: register them before importing signed files.`);
    }
  } else {
    const candidates = issuer === null ? [] : findSignedSourcesByIssuer(db, issuer);
    if (candidates.length !== 1) {
      throw new AttestError('BAD_REQUEST', 'This file is signed: choose the source whose keys verify it (no single source is registered for its issuer).');
    }
    source = candidates[0]!;
  }
  const keys = { jwks: source.jwks!, issuer: source.issuer! };
  const verifier = new SignedBatchVerifier(keys, now);
  const stream = createReadStream(filePath, { highWaterMark: 1024 * 1024 });
  let bytes = 0;
  // Progress counts the bytes of the file (compressed, for a gzip), as for unsigned files.
  async function* fileChunks(): AsyncGenerator<Buffer> {
    for await (const chunk of stream) {
      bytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const tail: GzipTail = { trailingBytes: 0 };
  const counted = (): AsyncGenerator<Buffer> => (gzip ? inflateGzipMembers(fileChunks(), name, tail, stopAtMember !== undefined ? { stopAtMember } : {}) : fileChunks());
  const records = splitRecords(counted(), new LineSplitter())[Symbol.asyncIterator]();
  // The payload's format: as requested, else recognised from the first line whose signature verifies (a
  // forged or broken first line must not decide how the authentic ones are read), else from the first line.
  let format: IngestFormat | null = opts.format ?? null;
  const pending: RawRecord[] = [];
  // A read error among the first lines (a gzip cut short) ends the probe: the lines read before it are
  // imported, and the error is met again after them (it refused the whole file).
  let readError: unknown = null;
  const nextRecord = async (): Promise<IteratorResult<RawRecord>> => {
    try {
      return await records.next();
    } catch (e) {
      if (pending.length === 0) throw e;
      readError = e;
      return { done: true, value: undefined };
    }
  };
  if (format === null) {
    while (format === null && pending.length < FORMAT_PROBE_LINES) {
      const next = await nextRecord();
      if (next.done) break;
      pending.push(next.value);
      const verified = next.value.error === undefined ? await verifier.verify(next.value.raw) : null;
      // CSV needs a header line, which no single signed record carries: prose with commas is not CSV here.
      const recognised = verified?.ok ? detectFormat(verified.records[0]!) : null;
      if (recognised !== 'csv') format = recognised;
    }
    format ??= detectSignedFormat(pending[0]);
  } else {
    const first = await nextRecord();
    if (!first.done) pending.push(first.value);
  }
  if (format === null) {
    await records.return?.(undefined).catch(() => undefined);
    stream.destroy();
    const unreadable = pending.find((r) => r.error !== undefined);
    if (unreadable && pending.every((r) => r.error !== undefined)) {
      // Not a format question: the JWS itself could not be read (a line over the 16 MiB record limit).
      throw new AttestError('UNSUPPORTED_FORMAT', `The signed file could not be verified (line ${unreadable.line}: ${unreadable.error ?? 'unreadable'}): sign smaller batches, one JWS per line, each under 16 MiB.`);
    }
    throw new AttestError('UNSUPPORTED_FORMAT', "The signed file's payload is in no format Attest recognises: choose the format.");
  }
  const resolved = format;
  const ctx = parseContext(source, now, undefined, opts);
  // The issuer the signatures were checked against, as it was (the source's settings may change later).
  const options = { ...optionsOf(resolved, source, ctx, { gzip, signed: true }), issuer: keys.issuer };
  async function* all(): AsyncGenerator<RawRecord> {
    yield* pending;
    if (readError !== null) throw readError;
    for (;;) {
      const r = await records.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return {
    format: resolved,
    source,
    options,
    refused: null,
    bytesRead: () => bytes,
    run: async (committer, batchId, signal, progress, notes) => {
      notes.add([`signed file: each record was imported only once its JWS signature verified against the JWKS of source "${source!.name.slice(0, 80)}" (issuer "${keys.issuer.slice(0, 80)}"); a record that failed is in quarantine with the reason`]);
      const state = await runSigned(all(), verifier, resolved, source!, batchId, ctx, committer, signal, progress, notes);
      if (tail.trailingBytes > 0) notes.add([gzipTrailingNote(tail.trailingBytes)]);
      return state;
    },
    close: () => {
      void records.return?.(undefined).catch(() => undefined);
      stream.destroy();
    },
  };
}

/** Signed lines verified, at most, to find one whose payload tells the format. */
const FORMAT_PROBE_LINES = 100;

/** Format of the first line's payload (read unverified, for recognition only: every line is verified). */
function detectSignedFormat(first: RawRecord | undefined): IngestFormat | null {
  if (!first || first.error !== undefined) return null;
  const records = unverifiedPayloadRecords(first.raw);
  return records && records.length > 0 ? detectFormat(records[0]!) : null;
}

async function runSigned(
  records: AsyncIterable<RawRecord>,
  verifier: SignedBatchVerifier,
  format: IngestFormat,
  source: SourceSettings,
  batchId: number,
  ctx: ParseContext,
  committer: ChunkCommitter,
  signal: ImportFileOptions['signal'],
  progress: ProgressReporter,
  notes: ParseNotes,
): Promise<BatchState> {
  const fingerprinter = new Fingerprinter(source.name);
  if (signal?.aborted) return 'cancelled';
  // Signature checks run ahead of the record being stored: jose verifies through WebCrypto, which answers
  // asynchronously, and awaiting each line in turn left the importer idle for ~40% of a signed import.
  // Records are still taken in file order (fingerprints count occurrences in order).
  const ahead = new VerifyAhead(records, verifier);
  try {
    for (let item = await ahead.next(); item !== null; item = await ahead.next()) {
      const record = item.record;
      const raw = record.raw;
      if (item.verified === null) {
        if (record.error !== undefined || raw.length > MAX_JWS_BYTES) {
          committer.addQuarantine(record, Buffer.from(raw), boundedReason(record.error ?? 'signed record is larger than 64 MiB'), fingerprinter.quarantineKey(raw));
        } else {
          committer.addQuarantine(record, raw, source.signedOnly ? 'unsigned input to a signed-only source' : 'not a compact JWS (this file holds signed records)', fingerprinter.quarantineKey(raw));
        }
      } else {
        const verified = await item.verified;
        if (!verified.ok) {
          committer.addQuarantine(record, raw, boundedReason(verified.reason), fingerprinter.quarantineKey(raw));
        } else {
          fingerprinter.next(raw);
          const occurrence = fingerprinter.lastOccurrence;
          // A batch's JWS is stored once; each of its events keeps its own record and names the JWS.
          const envelope = verified.records.length > 1 ? signedEnvelope(raw, verified.records.length) : null;
          const outcomes = verified.records.map((r) => parseSafely(format, r, ctx));
          const tooLarge = signedEventsTooLarge(raw, verified.records, outcomes, envelope !== null);
          if (tooLarge !== null) {
            committer.addQuarantine(record, raw, tooLarge, { fp: fingerprinter.compute(raw, occurrence, 0), occurrence });
            outcomes.length = 0;
          }
          for (let k = 0; k < outcomes.length; k++) {
            const outcome = outcomes[k]!;
            if (!outcome.ok) {
              // A record of a batch is kept as itself, with its batch's JWS stored once (a retry verifies it again).
              const key = { fp: fingerprinter.compute(raw, occurrence, 0, k), occurrence };
              const reason = boundedReason(`signed record ${k + 1}: ${outcome.reason}`);
              if (envelope === null) committer.addQuarantine(record, raw, reason, key);
              // One JWS line holds the whole batch: its records are told apart by their place in it.
              else committer.addQuarantine({ line: record.line, element: k + 1 }, verified.records[k]!, reason, key, envelope);
              continue;
            }
            if (outcome.notes) notes.add(outcome.notes);
            for (let j = 0; j < outcome.events.length; j++) {
              const fp = fingerprinter.compute(raw, occurrence, j, k);
              const base = { event: outcome.events[j]!, fp, sourceId: source.id, batchId, ...dedupTimeOf(outcome, j) };
              // A batch's event keeps its whole record (verify holds it to that record of the JWS).
              committer.addEvent(envelope === null ? { ...base, raw } : { ...base, raw: verified.records[k]!, signed: { envelope, index: k } }, record.line);
            }
          }
        }
      }
      if (committer.full) {
        committer.commit();
        if (signal?.aborted) return 'cancelled';
      }
      progress.tick();
    }
    committer.commit();
    return 'done';
  } catch (err) {
    // A read error part-way: what was read and checked before it is committed and counted (a signed gzip
    // cut short lost up to a whole chunk of verified records).
    commitQuietly(committer);
    throw err;
  } finally {
    await ahead.close();
  }
}

function resolveSource(db: Db, name: string, now: number): SourceSettings {
  const id = ensureSource(db, name, now);
  const source = getSourceSettingsById(db, id);
  if (!source) throw new AttestError('INTERNAL', 'The import source could not be recorded.');
  return source;
}

/**
 * Year and zone for timestamps without them: this import's options, else the source's settings, else
 * (until the years are inferred from the file, syslog-years.ts) the parser's defaults; and the time for
 * records with none, when asked for. Recorded in the batch.
 */
function parseContext(source: SourceSettings, now: number, csvHeader: string[] | undefined, opts: Pick<ImportFileOptions, 'syslogYear' | 'syslogZone' | 'timeIfMissing'>): ParseContext {
  const ctx: ParseContext = { csvMapping: source.csvMapping, now };
  if (opts.timeIfMissing !== undefined) ctx.timeIfMissing = timeIfMissingOf(opts.timeIfMissing, now);
  if (source.syslogYear !== null) ctx.syslogYear = source.syslogYear;
  if (source.syslogZone !== null) ctx.syslogZone = source.syslogZone;
  // Given for this import (attest ingest --syslog-year/--syslog-zone): over the source's settings.
  if (opts.syslogYear !== undefined) {
    ctx.syslogYear = opts.syslogYear;
    ctx.syslogYearFrom = 'option';
  }
  if (opts.syslogZone !== undefined) {
    ctx.syslogZone = opts.syslogZone;
    ctx.syslogZoneFrom = 'option';
  }
  if (csvHeader) ctx.csvHeader = csvHeader;
  return ctx;
}

function optionsOf(format: IngestFormat, source: SourceSettings, ctx: ParseContext, extra: { gzip: boolean; signed: boolean }): Record<string, unknown> {
  const syslog = effectiveSyslogDefaults(ctx);
  return {
    format,
    source: source.name,
    syslogYear: syslog.year,
    syslogYearSource: syslog.yearSource,
    syslogZone: syslog.zone,
    syslogZoneSource: syslog.zoneSource,
    ...(ctx.csvHeader ? { csvHeader: ctx.csvHeader, csvMapping: ctx.csvMapping ?? null, csvDelimiter: ctx.csvDelimiter ?? ',' } : {}),
    ...(ctx.timeIfMissing ? { timeIfMissing: ctx.timeIfMissing.ms, timeIfMissingFrom: ctx.timeIfMissing.from } : {}),
    gzip: extra.gzip,
    signed: extra.signed,
  };
}

/** Distinct parser notes (assumed year, replaced bytes...), kept with the batch; bounded. */
class ParseNotes {
  private readonly seen = new Set<string>();
  get size(): number {
    return this.seen.size;
  }
  add(notes: string[]): void {
    if (this.seen.size >= 20) return;
    for (const n of notes) if (this.seen.size < 20) this.seen.add(n.slice(0, 300));
  }
  list(): string[] {
    return [...this.seen];
  }
}

class ProgressReporter {
  private readonly started = Date.now();
  private last = 0;
  private ticks = 0;

  constructor(
    private readonly file: string,
    private readonly bytesTotal: number,
    private readonly bytesRead: () => number,
    private readonly committer: ChunkCommitter,
    private readonly onProgress: ImportFileOptions['onProgress'],
    private readonly intervalMs: number,
  ) {}

  /** Called after every record, or every n records. */
  tick(n = 1): void {
    if (!this.onProgress) return;
    this.ticks += n;
    if (this.ticks < 256) return;
    this.ticks = 0;
    const t = Date.now();
    if (t - this.last < this.intervalMs) return;
    this.last = t;
    this.emit('running', t);
  }

  final(state: ImportProgress['state']): void {
    if (this.onProgress) this.emit(state, Date.now());
  }

  private emit(state: ImportProgress['state'], t: number): void {
    const elapsed = Math.max(1, t - this.started);
    const bytesRead = Math.min(this.bytesRead(), this.bytesTotal || Number.MAX_SAFE_INTEGER);
    const events = this.committer.totals.read + this.committer.pendingCount;
    const etaMs = state !== 'running' ? 0 : bytesRead > 0 && this.bytesTotal > 0 ? Math.round((elapsed * (this.bytesTotal - bytesRead)) / bytesRead) : null;
    this.onProgress!({ file: this.file, bytesRead, bytesTotal: this.bytesTotal, events, eventsPerSec: Math.round((events * 1000) / elapsed), etaMs, state });
  }
}

export async function hashFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function operatorMessage(err: unknown, prefix: string): string {
  if (err instanceof AttestError) return err.message;
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT') return `${prefix}: the file does not exist.`;
  if (code === 'EACCES' || code === 'EPERM') return `${prefix}: permission denied.`;
  if (code === 'EISDIR') return `${prefix}: this is a folder, not a file.`;
  if (code === 'SQLITE_FULL') return 'The disk is full: the import stopped; what was committed before stays.';
  return `${prefix}: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}`;
}

/** Commits what is pending after a read error; a storage error here must not hide the read error. */
function commitQuietly(committer: ChunkCommitter): void {
  try {
    committer.commit();
  } catch {
    /* reported through the read error; the chunk's transaction rolled back as a whole */
  }
}
