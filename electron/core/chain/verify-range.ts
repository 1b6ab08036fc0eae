import { hash as oneShotHash } from 'node:crypto';
import type { Db } from '../vault/database';
import { CHAIN_RECORD_VERSION_RAW_IS_EVENT, CHAIN_RECORD_VERSION_SIGNED_PART, SIGNED_PART_BYTES } from './chain-record';
import { SignedPartCheck } from './verify-signed';
import { eventIdentity } from './event-identity';
import { importRecordOf, type ImportRecord } from './verify-imports';
import { PostingsCheck } from './verify-postings';
import { ReadAhead } from './read-ahead';
import { SummaryTally, type SummaryTallyData } from './summary-tally';
import { DIM, dictionaryForm } from './dimensions';

/** Outcome of re-hashing one contiguous run of blocks. */
export interface RangeResult {
  /** Events whose hash matched, before the first problem. */
  verified: number;
  firstBadSeq: number | null;
  problem: string | null;
  /** The first dictionary disagreement in the range (meaningful only when the chain verifies). */
  indexProblem?: { seq: number; message: string } | null;
  /** Import audit events met in the range, for checking the batches and quarantine (verify-imports.ts). */
  imports?: ImportRecord[];
  /** The range's per-minute counts, merged across threads and compared with event_summary (verify-summary.ts). */
  summary?: SummaryTallyData;
  /** Per import batch met in the range: [batchId, events, first seq, last seq, source id, ...] (verify-imports.ts);
   * the source id is -1 when its events name several. */
  batches?: number[];
}

/** Which blocks to walk, and what the chain must look like where they start. */
export interface RangeInput {
  /** Blocks whose first_seq lies in [fromBlock, toBlock]. */
  fromBlock: number;
  toBlock: number;
  /** The seq the first of them must start with. */
  expectedSeq: number;
  /** The hash the first of them must start from (hex; the previous block's stored head hash). */
  prevHashHex: string;
  /** Also check the postings and tally the per-minute counts (verify-postings.ts, verify-summary.ts);
   * default true. */
  checkIndexes?: boolean;
  /** Source id of Attest's own audit events (null: none yet): their import records are collected. */
  auditSourceId?: number | null;
  /** The last seq of the run (the next run starts after it; the last run: Number.MAX_SAFE_INTEGER). The
   * dictionary entries whose first_seq falls in [expectedSeq, lastSeq] are this run's to check. */
  lastSeq: number;
}

interface BlockRow {
  first_seq: unknown;
  last_seq: unknown;
  min_time: unknown;
  max_time: unknown;
  count: unknown;
  head_hash: unknown;
  data: unknown;
}

const HASH = 32;
const TWO_32 = 4294967296;
/** The shortest record: fixed columns, three absent optionals, source id, one empty length-prefixed part. */
const RECORD_MIN = 57 + 1 + 1 + 8 + 1 + 4;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * Re-hashes every event of a run of blocks (event-block.ts), each against the hash stored before it, so
 * runs can be checked independently (one per worker thread) and still prove the whole chain: each run
 * checks that its blocks link to one another and that its last block's stored head hash is the hash its
 * data ends with, which is what the next run starts from. Also checks each block's zone-map columns
 * against its events (a wrong time range or count would hide events from filters), the dictionary
 * entries first used in the run (DictionaryCheck below), and unless the run checks the chain only, the
 * postings of its chunks (verify-postings.ts), its per-minute tally (summary-tally.ts) and the import
 * records among Attest's own events (verify-imports.ts).
 */
export function verifyRange(db: Db, input: RangeInput): RangeResult {
  let dictionary: DictionaryCheck | null = null;
  let postings: PostingsCheck | null = null;
  let blocks: IterableIterator<BlockRow> | null = null;
  try {
    dictionary = new DictionaryCheck(db, input.expectedSeq, input.lastSeq);
    const indexes = input.checkIndexes ?? true;
    postings = indexes ? new PostingsCheck(db, input.expectedSeq, input.lastSeq, dictionary.kinds, dictionary.uidClaims) : null;
    blocks = db
      .prepare<[number, number], BlockRow>(
        'SELECT first_seq, last_seq, min_time, max_time, count, head_hash, data FROM event_blocks WHERE first_seq >= ? AND first_seq <= ? ORDER BY first_seq',
      )
      .iterate(input.fromBlock, input.toBlock);
    return walk(blocks, { dictionary, postings, summary: indexes ? new SummaryTally() : null, signed: new SignedPartCheck(db) }, input);
  } finally {
    // No statement may stay open, whatever threw: the connection (the app's own, single-threaded) is busy
    // until each is closed.
    blocks?.return?.();
    dictionary?.close();
    postings?.close();
  }
}

/** What verify checks besides the chain, fed each event as the walk verifies it. */
interface DerivedChecks {
  dictionary: DictionaryCheck;
  /** Null when the range checks the chain only. */
  postings: PostingsCheck | null;
  summary: SummaryTally | null;
  /** Events of signed batches against their stored JWS (verify-signed.ts). */
  signed: SignedPartCheck;
}

function walk(blocks: Iterable<BlockRow>, checks: DerivedChecks, input: RangeInput): RangeResult {
  const { dictionary, postings, summary, signed } = checks;
  let expected = input.expectedSeq;
  let prev = input.prevHashHex;
  let verified = 0;
  const imports: ImportRecord[] = [];
  const batches = new BatchTally();
  const auditSource = input.auditSourceId ?? null;
  const fail = (seq: number, problem: string): RangeResult => ({ verified, firstBadSeq: seq, problem, indexProblem: null });
  for (const row of blocks) {
    const first = row.first_seq;
    if (!isInt(first)) return fail(expected, `The events from ${expected} on are stored in a malformed block.`);
    if (first > expected) return fail(expected, `Event ${expected} is missing from the log.`);
    if (first < expected) return fail(first, `Event ${first} is stored twice: a block of events was inserted.`);
    const data = row.data;
    if (!Buffer.isBuffer(data) || data.length < HASH || !isInt(row.last_seq) || !isInt(row.min_time) || !isInt(row.max_time) || !isInt(row.count) || !Buffer.isBuffer(row.head_hash) || row.head_hash.length !== HASH) {
      return fail(first, `The events from ${first} on are stored in a malformed block.`);
    }
    if (data.toString('latin1', 0, HASH) !== prev) {
      return fail(first, `Event ${first} does not follow the event before it: the chain was cut or rewritten here.`);
    }
    let p = HASH;
    let minTime = Number.POSITIVE_INFINITY;
    let maxTime = Number.NEGATIVE_INFINITY;
    let count = 0;
    while (p < data.length) {
      // The walk reads only what it checks (seq, time, the dictionary ids, the lengths) from fixed
      // offsets: readRecord's full decode cost a quarter of verification. Bounds as in readRecord.
      const version = data[p];
      if (p + RECORD_MIN > data.length || version === undefined || version < 1 || version > CHAIN_RECORD_VERSION_SIGNED_PART) return fail(expected, `Event ${expected} has a malformed column.`);
      const seq = data.readInt32BE(p + 1) * TWO_32 + data.readUInt32BE(p + 5);
      if (seq > expected) return fail(expected, `Event ${expected} is missing from the log.`);
      if (seq < expected) return fail(expected, `Event ${expected} does not match its hash: an event was inserted before it.`);
      const time = data.readInt32BE(p + 9) * TWO_32 + data.readUInt32BE(p + 13);
      let q = p + 57;
      let actorId: number | null = null;
      let ipId: number | null = null;
      const actorFlag = data[q];
      if (actorFlag === 1 && q + 9 + 1 + 8 + 1 + 4 <= data.length) {
        actorId = data.readInt32BE(q + 1) * TWO_32 + data.readUInt32BE(q + 5);
        q += 9;
      } else if (actorFlag === 0) q += 1;
      else return fail(seq, `Event ${seq} has a malformed column.`);
      const ipFlag = data[q];
      if (ipFlag === 1 && q + 9 + 8 + 1 + 4 <= data.length) {
        ipId = data.readInt32BE(q + 1) * TWO_32 + data.readUInt32BE(q + 5);
        q += 9;
      } else if (ipFlag === 0) q += 1;
      else return fail(seq, `Event ${seq} has a malformed column.`);
      const sourceId = q + 8 <= data.length ? data.readInt32BE(q) * TWO_32 + data.readUInt32BE(q + 4) : null;
      q += 8;
      const batchFlag = data[q];
      let batchId: number | null = null;
      if (batchFlag === 1 && q + 9 <= data.length) {
        batchId = data.readInt32BE(q + 1) * TWO_32 + data.readUInt32BE(q + 5);
        q += 9;
      } else if (batchFlag === 0) q += 1;
      else return fail(seq, `Event ${seq} has a malformed column.`);
      if (q + 4 > data.length) return fail(seq, `Event ${seq} has a malformed column.`);
      const eventStart = q + 4;
      const eventEnd = eventStart + data.readUInt32BE(q);
      let hashStart = eventEnd; // version 2: the event JSON is the raw record, stored once
      let rawStart = eventStart;
      if (version !== CHAIN_RECORD_VERSION_RAW_IS_EVENT) {
        if (eventEnd + 4 > data.length) return fail(seq, `Event ${seq} has a malformed column.`);
        rawStart = eventEnd + 4;
        hashStart = rawStart + data.readUInt32BE(eventEnd);
      }
      const rawEnd = hashStart;
      // Version 3: the signed batch's SHA-256 and the record's index follow the raw bytes.
      if (version === CHAIN_RECORD_VERSION_SIGNED_PART) hashStart += SIGNED_PART_BYTES;
      if (hashStart + HASH > data.length) return fail(seq, `Event ${seq} has a malformed column.`);
      const digest = oneShotHash('sha256', data.subarray(p - HASH, hashStart), 'binary');
      if (!sameHash(digest, data, hashStart)) {
        return fail(seq, `Event ${seq} does not match its hash: it was altered, or an event before it was replaced.`);
      }
      if (version === CHAIN_RECORD_VERSION_SIGNED_PART) {
        const problem = signed.check(seq, data, rawEnd, rawStart, rawEnd);
        if (problem !== null) return fail(seq, problem);
      }
      if (dictionary.problem === null) dictionary.see(seq, actorId, ipId, data, eventStart, eventEnd);
      if (postings !== null && summary !== null) {
        const statusId = data.readInt32BE(p + 41) * TWO_32 + data.readUInt32BE(p + 45);
        if (postings.problem === null) {
          const classUid = data.readInt32BE(p + 25) * TWO_32 + data.readUInt32BE(p + 29);
          postings.see(seq, actorId, ipId, classUid, statusId, sourceId ?? -1, batchId);
        }
        // Attest's own events are counted apart (summary-tally.ts): only the import records' source says so.
        summary.add(time, statusId, actorId, ipId, auditSource !== null && sourceId === auditSource);
        if (batchId !== null) batches.add(batchId, seq, sourceId ?? -1);
      }
      // Attest's own events never carry a batch; an imported line always does, so one that merely claims
      // to come from source "attest" cannot pose as an import record.
      if (auditSource !== null && sourceId === auditSource && batchId === null) {
        const record = importRecordOf(seq, data.toString('utf8', eventStart, eventEnd));
        if (record !== null) imports.push(record);
      }
      if (time < minTime) minTime = time;
      if (time > maxTime) maxTime = time;
      count++;
      verified++;
      expected++;
      prev = digest;
      p = hashStart + HASH;
    }
    if (count === 0) return fail(first, `The events from ${first} on are stored in a malformed block.`);
    if (row.last_seq !== expected - 1 || row.count !== count || row.min_time !== minTime || row.max_time !== maxTime) {
      // Reported at the block's first seq, so none of its events count as verified.
      verified -= count;
      return fail(first, `The index entry of events ${first}–${expected - 1} was altered (its seq range, count or time range no longer matches them): filters could miss them.`);
    }
    if (row.head_hash.toString('latin1') !== prev) {
      verified -= 1;
      return fail(expected - 1, `The stored head hash after event ${expected - 1} does not match the event: the chain was rewritten here.`);
    }
  }
  dictionary.finish(expected - 1);
  postings?.finish(expected - 1);
  const indexProblem = [dictionary.problem, postings?.problem ?? null].filter((x) => x !== null).sort((a, b) => a.seq - b.seq)[0] ?? null;
  return { verified, firstBadSeq: null, problem: null, indexProblem, imports, ...(summary !== null ? { summary: summary.data(), batches: batches.data() } : {}) };
}

/** Events per import batch and their seq range, as the chain has them; runs of one batch cost one lookup. */
class BatchTally {
  private readonly byBatch = new Map<number, [number, number, number, number]>();
  private lastId = Number.NaN;
  private last: [number, number, number, number] | undefined;

  add(batchId: number, seq: number, sourceId: number): void {
    if (batchId !== this.lastId) {
      this.lastId = batchId;
      this.last = this.byBatch.get(batchId);
      if (this.last === undefined) {
        this.last = [0, seq, seq, sourceId];
        this.byBatch.set(batchId, this.last);
      }
    }
    const t = this.last!;
    t[0]++;
    if (seq < t[1]) t[1] = seq;
    if (seq > t[2]) t[2] = seq;
    if (t[3] !== sourceId) t[3] = -1;
  }

  data(): number[] {
    const out: number[] = [];
    for (const [id, t] of this.byBatch) out.push(id, ...t);
    return out;
  }
}

/**
 * The chain covers each event's JSON and its actor_id/ip_id, not the dictionary those ids point into
 * (dim_values), which filters and the Overview search through. Every entry records the seq of the event
 * it was inserted with (first_seq, dimensions.ts); since ids are hashed, every event sharing an id was
 * appended with the same value, so checking each entry against its first_seq event (that event carries
 * the id and names the value) finds any renamed, swapped or re-kinded entry, and each entry is checked
 * once, by the run holding its first_seq (checking per run the first event of every id it met did most
 * ids once per thread and cost a third of verification). Every event's ids must also name entries of the
 * right kind (a removed entry would hide its events from searches). The whole-table conditions (ids dense,
 * every first_seq inside the log) are checked once, by dictionaryShapeProblem.
 */
class DictionaryCheck {
  problem: { seq: number; message: string } | null = null;
  /** Kind of each dictionary id (0: none): built from one scan of (id, kind). */
  readonly kinds: Uint8Array;
  /** (seq, id) pairs, in seq order: uid and e-mail entries whose first event must list them in its postings. */
  readonly uidClaims: number[] = [];
  private readonly entries: ReadAhead<EntryRow>;

  constructor(db: Db, fromSeq: number, toSeq: number) {
    const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM dim_values').get()?.n ?? 0;
    // Ids are dense (dictionaryShapeProblem checks it): the array is bounded by the table's size.
    this.kinds = new Uint8Array(count + 1);
    // One plucked id list per kind (the (kind, value) index covers it): a row object per entry cost 4x more.
    for (const kind of [DIM.actor, DIM.ip]) {
      for (const id of db.prepare<[number], unknown>('SELECT id FROM dim_values WHERE kind = ?').pluck().all(kind)) {
        if (isInt(id) && id >= 1 && id <= count) this.kinds[id] = kind;
      }
    }
    this.entries = new ReadAhead(
      db
        .prepare<[number, number], EntryRow>('SELECT id, kind, value, first_seq FROM dim_values WHERE first_seq >= ? AND first_seq <= ? ORDER BY first_seq')
        .iterate(fromSeq, toSeq),
    );
  }

  /** Called for every event of the run, in seq order. */
  see(seq: number, actorId: number | null, ipId: number | null, data: Buffer, eventStart: number, eventEnd: number): void {
    if (actorId !== null && this.kinds[actorId] !== DIM.actor) {
      this.fail(seq, `Event ${seq}'s actor has no entry in the actor index: searches by actor would miss it (the dictionary was altered).`);
      return;
    }
    if (ipId !== null && this.kinds[ipId] !== DIM.ip) {
      this.fail(seq, `Event ${seq}'s source IP has no entry in the IP index: searches by IP would miss it (the dictionary was altered).`);
      return;
    }
    const entry = this.entries.current;
    if (entry === null || entry.first_seq !== seq) return;
    const identity = eventIdentity(data, eventStart, eventEnd);
    const name = stored(identity.name);
    const uid = stored(identity.uid);
    const email = stored(identity.email);
    const primary = name ?? uid ?? email;
    for (let e: EntryRow | null = entry; e !== null && e.first_seq === seq; e = this.entries.current) {
      // The record's actor id is the name's, else the uid's, else the e-mail's (event-log.ts); the others
      // have entries of their own (searched through postings), inserted with the same event.
      const secondary =
        e.kind === DIM.actor && e.id !== actorId && e.value !== primary && ((uid !== null && e.value === uid) || (email !== null && e.value === email));
      const ok =
        e.kind === DIM.actor
          ? (e.id === actorId && e.value === primary) || secondary
          : e.kind === DIM.ip && e.id === ipId && e.value === stored(identity.ip);
      // The chain cannot tie such an entry's id to its event; the event's own posting can, so the
      // postings check holds that event to listing this id (verify-postings.ts).
      if (secondary) this.uidClaims.push(seq, e.id as number);
      if (!ok) {
        const what = e.kind === DIM.ip ? 'source-IP' : 'actor';
        const by = e.kind === DIM.ip ? 'IP' : 'actor';
        this.fail(seq, `The ${what} index disagrees with event ${seq}: searches by ${by} would give wrong answers (the dictionary was altered).`);
        return;
      }
      this.entries.advance();
    }
  }

  /** After the walk: an entry left over claims a first event this run never reached. */
  finish(lastWalkedSeq: number): void {
    const left = this.entries.current;
    if (this.problem === null && left !== null && left.first_seq <= lastWalkedSeq) {
      this.fail(left.first_seq, `The index entry ${String(left.id)} does not match event ${left.first_seq}: the dictionary was altered.`);
    }
  }

  close(): void {
    this.entries.close();
  }

  private fail(seq: number, message: string): void {
    this.problem = { seq, message };
    this.close();
  }
}

interface EntryRow {
  id: unknown;
  kind: unknown;
  value: unknown;
  first_seq: number;
}

/**
 * Whole-dictionary conditions behind DictionaryCheck: ids are 1..n with no gaps (rows are never deleted,
 * so a gap is a removed entry), and every entry's first_seq names an event of the log (an entry pointed
 * outside it would never be checked).
 */
export function dictionaryShapeProblem(db: Db, headSeq: number): string | null {
  const shape = db.prepare<[], { n: number; lo: unknown; hi: unknown }>('SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM dim_values').get();
  if (shape && shape.n > 0 && (shape.lo !== 1 || shape.hi !== shape.n)) {
    return `Entries were removed from the actor/IP index (${shape.n} entries numbered ${String(shape.lo)}–${String(shape.hi)}): searches would miss events.`;
  }
  const stray = db
    .prepare<[number], { n: number }>('SELECT count(*) AS n FROM dim_values WHERE first_seq IS NULL OR first_seq < 1 OR first_seq > ?')
    .get(headSeq)?.n ?? 0;
  if (stray > 0) return `${stray} actor/IP index entr${stray === 1 ? 'y names' : 'ies name'} no event of the log: the dictionary was altered.`;
  return null;
}

/** An event's value in the form the dictionary stores it (dimensions.ts), or null when it has none. */
const stored = (v: string | null): string | null => (v !== null && v !== '' ? dictionaryForm(v) : null);

/** Whether a latin1 digest string equals the 32 stored bytes at data[at...] (no string made per event). */
function sameHash(digest: string, data: Buffer, at: number): boolean {
  for (let i = 0; i < HASH; i++) if (digest.charCodeAt(i) !== data[at + i]) return false;
  return true;
}
