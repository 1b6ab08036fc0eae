import { Worker } from 'node:worker_threads';
import type { IngestFormat } from '../../../shared/contract/events';
import type { NewEvent, PreparedEvent } from '../chain/event-log';
import { serialiseEvent, serialisesTo } from '../chain/event-json';
import type { CanonicalEvent } from '../../../shared/domain/canonical-event';
import { Fingerprinter } from './fingerprint';
import { boundedReason, parseSafely } from './import-parse';
import type { ParseContext } from './parse-types';
import type { RawRecord } from './record';
import { joinFingerprint } from '../chain/chain-record';
import { DIM, sourceIp } from '../chain/dimensions';
import type { ImportDimensions } from '../chain/import-dimensions';
import { DimensionNumbering } from './dimension-numbering';

/**
 * The second core of an import: parsing, normalising, fingerprinting and serialising run in a thread of
 * their own while the importing thread hashes and writes. Records travel as one transferred Buffer per
 * read batch; results come back in flat arrays (the events' JSON as one transferred buffer, numbers in a
 * Float64Array, actor and IP values as numbers with each new value sent once) so neither side pays a
 * structured clone per event. The fingerprinter lives here, seeing records in file order, so occurrence
 * counting is exactly that of the in-thread path.
 */
export interface ParseThreadSetup {
  role: 'parse';
  format: IngestFormat;
  sourceName: string;
  ctx: ParseContext;
  /** Dictionary values (and their characters) numbered before the numbering starts over (DimensionNumbering; tests set them low). */
  maxNumberedValues?: number;
  maxNumberedChars?: number;
}

interface BatchRequest {
  id: number;
  bytes: Uint8Array;
  /** End offset of each record in bytes. */
  ends: Uint32Array;
  /** Splitter errors by record index (most records: none). */
  errors: Array<[number, string]>;
}

/** Numbers per event in ParsedBatch.nums. */
const NUMS = 9;
/** Dictionary values per event: actor name, actor uid, source IP, actor e-mail (numbers, DimensionNumbering). */
const REFS = 4;
const PARSE_YOUNG_GENERATION_MB = 16;
/** Bounded like the import worker's heap (ingest-jobs.ts): V8 then collects instead of growing. Holds the
 * fingerprinter's occurrence maps and a few batches; the largest record (16 MiB) still fits. */
const PARSE_OLD_GENERATION_MB = 192;

export interface ParsedBatch {
  id: number;
  /** Quarantined records: [record index, reason, fp high (signed), fp low, occurrence]: the fingerprint its
   * first event would have had and the occurrence it was computed with (QuarantineKey). */
  quarantine: Array<[number, string, number, number, number]>;
  notes: string[];
  /** Every event's JSON as UTF-8, concatenated; jsonEnds[i] is where event i ends (in bytes). */
  json: Uint8Array;
  jsonEnds: Uint32Array;
  /** 1 where the event's JSON is byte for byte its raw record (then it is not in json: no copy travels). */
  rawIsJson: Uint8Array;
  /** Per event: record index, time, class, activity, status, severity, fp high (signed), fp low, dedup time (NaN: none). */
  nums: Float64Array;
  /** Per event: the numbers of its actor name, actor uid, source IP and actor e-mail (REFS), -1 for none. */
  refs: Int32Array;
  /** The values this batch numbered first, in number order (ImportDimensions.receive). */
  newValues: { restart: boolean; joined: string; lengths: Int32Array; kinds: Uint8Array };
  /** Events serialisation refused: [event index, why]. */
  refusals: Array<[number, string]>;
  /** Events that keep their own element of their record (ParseOutcome.rawSlices): [event index, start, end]. */
  rawSlices: Array<[number, number, number]>;
}

/** One parsed event, as the importing thread hands it to the event log, with the record it came from. */
export interface ParsedEvent extends NewEvent {
  recordIndex: number;
}

/** Runs in the parse thread: answers each batch request in order. */
export function runParseThread(setup: ParseThreadSetup, port: { on(event: 'message', l: (m: BatchRequest) => void): void; postMessage(m: ParsedBatch, transfer: ArrayBuffer[]): void }): void {
  const fingerprinter = new Fingerprinter(setup.sourceName);
  const numbering = new DimensionNumbering(setup.maxNumberedValues, setup.maxNumberedChars);
  port.on('message', (req) => {
    const batch = parseBatch(req, setup, fingerprinter, numbering);
    port.postMessage(batch, [batch.json.buffer as ArrayBuffer]);
  });
}

/** Growable UTF-8 output for the events' JSON of one batch (transferred, so no string crosses threads). */
class Utf8Out {
  buf: Buffer;
  length = 0;
  constructor(capacity: number) {
    // Slow: never a slice of the shared pool, since its ArrayBuffer is transferred.
    this.buf = Buffer.allocUnsafeSlow(Math.max(capacity, 4096));
  }
  write(text: string): void {
    // At most 3 bytes per UTF-16 unit.
    if (this.length + text.length * 3 > this.buf.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.length + text.length * 3));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    this.length += this.buf.write(text, this.length, 'utf8');
  }
}

function parseBatch(req: BatchRequest, setup: ParseThreadSetup, fingerprinter: Fingerprinter, numbering: DimensionNumbering): ParsedBatch {
  const bytes = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
  const quarantine: Array<[number, string, number, number, number]> = [];
  const toQuarantine = (r: number, raw: Buffer, reason: string): void => {
    // Counted like any record, so occurrences of identical lines stay those of the file.
    fingerprinter.nextParts(raw);
    quarantine.push([r, boundedReason(reason), fingerprinter.fpHi, fingerprinter.fpLo, fingerprinter.lastOccurrence]);
  };
  const notes = new Set<string>();
  const errors = new Map(req.errors);
  // Stored JSON is about the size of the raw record: start there.
  const json = new Utf8Out(bytes.length + 1024);
  let jsonEnds = new Uint32Array(req.ends.length);
  let rawIsJson = new Uint8Array(req.ends.length);
  let nums = new Float64Array(req.ends.length * NUMS);
  let events = 0;
  let refs = new Int32Array(req.ends.length * REFS);
  numbering.beginBatch();
  const refusals: Array<[number, string]> = [];
  const rawSlices: Array<[number, number, number]> = [];
  let start = 0;
  for (let r = 0; r < req.ends.length; r++) {
    const end = req.ends[r]!;
    const raw = bytes.subarray(start, end);
    start = end;
    const splitError = errors.get(r);
    if (splitError !== undefined) {
      // Never parsed, so never remembered: a "last message repeated" after it must not repeat the line before it.
      delete setup.ctx.syslogPrevious;
      toQuarantine(r, raw, splitError);
      continue;
    }
    const outcome = parseSafely(setup.format, raw, setup.ctx);
    if (!outcome.ok) {
      toQuarantine(r, raw, outcome.reason);
      continue;
    }
    if (outcome.notes) for (const n of outcome.notes) notes.add(n);
    for (let i = 0; i < outcome.events.length; i++) {
      const event = outcome.events[i]!;
      if (i === 0) fingerprinter.nextParts(raw);
      else fingerprinter.computeParts(raw, fingerprinter.lastOccurrence, i);
      if (events === jsonEnds.length) {
        // A record that yields several events (a JWS batch, a CloudTrail Records file): grow.
        jsonEnds = grow(jsonEnds, jsonEnds.length * 2);
        rawIsJson = grow(rawIsJson, rawIsJson.length * 2);
        nums = grow(nums, nums.length * 2);
        refs = grow(refs, refs.length * 2);
      }
      const slice = outcome.rawSlices?.[i];
      if (slice !== undefined) rawSlices.push([events, slice[0], slice[1]]);
      try {
        if (outcome.events.length === 1 && slice === undefined && isRawRecord(event, outcome.text, raw)) rawIsJson[events] = 1;
        else json.write(serialiseEvent(event));
      } catch (err) {
        refusals.push([events, err instanceof Error ? err.message : String(err)]);
      }
      jsonEnds[events] = json.length;
      const user = event.actor?.user;
      const k = events * REFS;
      refs[k] = numbering.ref(DIM.actor, user?.name);
      refs[k + 1] = numbering.ref(DIM.actor, user?.uid);
      refs[k + 2] = numbering.ref(DIM.ip, sourceIp(event));
      refs[k + 3] = numbering.ref(DIM.actor, user?.email_addr);
      const n = events * NUMS;
      nums[n] = r;
      nums[n + 1] = event.time;
      nums[n + 2] = event.class_uid;
      nums[n + 3] = event.activity_id;
      nums[n + 4] = event.status_id;
      nums[n + 5] = event.severity_id;
      nums[n + 6] = fingerprinter.fpHi;
      nums[n + 7] = fingerprinter.fpLo;
      nums[n + 8] = outcome.dedupTimes?.[i] ?? Number.NaN;
      events++;
    }
  }
  return {
    id: req.id,
    quarantine,
    notes: [...notes],
    json: new Uint8Array(json.buf.buffer, json.buf.byteOffset, json.length),
    jsonEnds: jsonEnds.subarray(0, events),
    rawIsJson: rawIsJson.subarray(0, events),
    nums: nums.subarray(0, events * NUMS),
    refs: refs.subarray(0, events * REFS),
    newValues: numbering.batchValues(),
    refusals,
    rawSlices,
  };
}

/**
 * Whether the event's JSON is byte for byte its raw record (an OCSF source writing the canonical form).
 * Checked as ASCII: the decoded text has one character per byte (valid UTF-8 with none above 0x7f) and
 * the event serialises to exactly that text. A record with other characters just travels as JSON bytes,
 * and the log still stores it once (chain-record.ts compares).
 */
function isRawRecord(event: CanonicalEvent, text: string | undefined, raw: Buffer): boolean {
  return text !== undefined && text.length === raw.length && serialisesTo(event, text);
}

function grow<T extends Uint32Array | Float64Array | Int32Array | Uint8Array>(a: T, length: number): T {
  const out = new (a.constructor as new (n: number) => T)(length);
  out.set(a);
  return out;
}

/**
 * Unpacks the events of a parsed batch, in record order, as the event log takes them. `records` are the
 * ones the batch was parsed from (each event's raw bytes are its record, or its slice of it); `dims` is
 * the import's: it receives the values the batch numbered first, and the events name theirs by number.
 */
export function parsedEvents(batch: ParsedBatch, records: readonly RawRecord[], dims: ImportDimensions, sourceId: number, batchId: number): ParsedEvent[] {
  const { restart, joined, lengths, kinds } = batch.newValues;
  const numbered = dims.receive(restart, joined, lengths, kinds);
  const json = Buffer.from(batch.json.buffer, batch.json.byteOffset, batch.json.byteLength);
  const refusals = new Map(batch.refusals);
  const slices = new Map(batch.rawSlices.map(([e, s, end]) => [e, [s, end] as [number, number]]));
  const nums = batch.nums;
  const count = batch.jsonEnds.length;
  const out = new Array<ParsedEvent>(count);
  let start = 0;
  for (let e = 0; e < count; e++) {
    const end = batch.jsonEnds[e]!;
    const n = e * NUMS;
    const prepared: PreparedEvent = {
      json: batch.rawIsJson[e] === 1 ? null : json.subarray(start, end),
      time: nums[n + 1]!,
      classUid: nums[n + 2]!,
      activityId: nums[n + 3]!,
      statusId: nums[n + 4]!,
      severityId: nums[n + 5]!,
      actorName: null,
      actorUid: null,
      ip: null,
      actorEmail: null,
      dims: numbered,
      refs: batch.refs,
      refAt: e * REFS,
    };
    const refusal = refusals.get(e);
    if (refusal !== undefined) prepared.refusal = refusal;
    start = end;
    const recordIndex = nums[n]!;
    const recordRaw = records[recordIndex]!.raw;
    const slice = slices.get(e);
    const dedupTime = nums[n + 8]!;
    const fpHi = nums[n + 6]!;
    const fpLo = nums[n + 7]!;
    out[e] = {
      recordIndex,
      event: null,
      prepared,
      raw: slice === undefined ? recordRaw : recordRaw.subarray(slice[0], slice[1]),
      fp: joinFingerprint(fpHi, fpLo),
      fpHi,
      fpLo,
      dedupTime: Number.isNaN(dedupTime) ? undefined : dedupTime,
      sourceId,
      batchId,
    };
  }
  return out;
}

/** The importing thread's handle on a parse thread. Requests are answered in order. */
export class ParseThread {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (b: ParsedBatch) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  constructor(script: string, setup: Omit<ParseThreadSetup, 'role'>) {
    // A larger young generation: parsing makes many short-lived objects, and fewer scavenges cost less in total.
    this.worker = new Worker(script, { workerData: { ...setup, role: 'parse' } satisfies ParseThreadSetup, resourceLimits: { maxYoungGenerationSizeMb: PARSE_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: PARSE_OLD_GENERATION_MB } });
    this.worker.on('message', (batch: ParsedBatch) => {
      const w = this.waiting.get(batch.id);
      this.waiting.delete(batch.id);
      w?.resolve(batch);
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      for (const w of this.waiting.values()) w.reject(this.failure);
      this.waiting.clear();
    };
    this.worker.on('error', (err) => fail(new Error(`the parse thread failed: ${err.message}`)));
    this.worker.on('exit', (code) => fail(new Error(`the parse thread stopped (exit code ${code})`)));
  }

  /** Sends one batch of records (copied into one transferred Buffer) for parsing. */
  parse(records: RawRecord[]): Promise<ParsedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    let total = 0;
    for (const r of records) total += r.raw.length;
    const bytes = new Uint8Array(total);
    const ends = new Uint32Array(records.length);
    const errors: Array<[number, string]> = [];
    let o = 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      bytes.set(r.raw, o);
      o += r.raw.length;
      ends[i] = o;
      if (r.error !== undefined) errors.push([i, r.error]);
    }
    const id = this.nextId++;
    const request: BatchRequest = { id, bytes, ends, errors };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(request, [bytes.buffer, ends.buffer]);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the parse thread was closed');
    await this.worker.terminate();
  }
}
