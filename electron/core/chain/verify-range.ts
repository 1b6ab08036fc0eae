import { hash as oneShotHash } from 'node:crypto';
import type { Db } from '../vault/database';
import { CHAIN_RECORD_VERSION, CHAIN_RECORD_VERSION_RAW_IS_EVENT } from './chain-record';
import { eventIdentity } from './event-identity';
import { DIM } from './dimensions';

/** Outcome of re-hashing one contiguous run of blocks. */
export interface RangeResult {
  /** Events whose hash matched, before the first problem. */
  verified: number;
  firstBadSeq: number | null;
  problem: string | null;
  /** The first dictionary disagreement in the range (meaningful only when the chain verifies). */
  indexProblem?: { seq: number; message: string } | null;
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
  /** Batching of the dictionary check (tests lower it to check one id per query). */
  dictionaryLimits?: DictionaryLimits;
}

export interface DictionaryLimits {
  /** Dictionary ids looked up per query. */
  batch: number;
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
 * against its events (a wrong time range or count would hide events from filters) and, for the first
 * event carrying each actor or IP dictionary id, that the dictionary still names what the event says
 * (DictionaryCheck below explains why).
 */
export function verifyRange(db: Db, input: RangeInput): RangeResult {
  const blocks = db
    .prepare<[number, number], BlockRow>(
      'SELECT first_seq, last_seq, min_time, max_time, count, head_hash, data FROM event_blocks WHERE first_seq >= ? AND first_seq <= ? ORDER BY first_seq',
    )
    .iterate(input.fromBlock, input.toBlock);
  const dictionary = new DictionaryCheck(db, input.dictionaryLimits ?? DICTIONARY_LIMITS);
  let expected = input.expectedSeq;
  let prev = input.prevHashHex;
  let verified = 0;
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
      if (p + RECORD_MIN > data.length || (version !== CHAIN_RECORD_VERSION && version !== CHAIN_RECORD_VERSION_RAW_IS_EVENT)) return fail(expected, `Event ${expected} has a malformed column.`);
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
      q += 8; // source_id
      const batchFlag = data[q];
      if (batchFlag === 1) q += 9;
      else if (batchFlag === 0) q += 1;
      else return fail(seq, `Event ${seq} has a malformed column.`);
      if (q + 4 > data.length) return fail(seq, `Event ${seq} has a malformed column.`);
      const eventStart = q + 4;
      const eventEnd = eventStart + data.readUInt32BE(q);
      let hashStart = eventEnd; // version 2: the event JSON is the raw record, stored once
      if (version === CHAIN_RECORD_VERSION) {
        if (eventEnd + 4 > data.length) return fail(seq, `Event ${seq} has a malformed column.`);
        hashStart = eventEnd + 4 + data.readUInt32BE(eventEnd);
      }
      if (hashStart + HASH > data.length) return fail(seq, `Event ${seq} has a malformed column.`);
      const digest = oneShotHash('sha256', data.subarray(p - HASH, hashStart), 'binary');
      if (!sameHash(digest, data, hashStart)) {
        return fail(seq, `Event ${seq} does not match its hash: it was altered, or an event before it was replaced.`);
      }
      if (actorId !== null || ipId !== null) dictionary.see(seq, actorId, ipId, data, eventStart, eventEnd);
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
  dictionary.finish();
  return { verified, firstBadSeq: null, problem: null, indexProblem: dictionary.problem };
}

/**
 * The chain covers each event's JSON and its actor_id/ip_id, not the dictionary those ids point into
 * (dim_values), which filters and the Overview search through. Since ids are hashed, every event sharing
 * an id was appended with the same value: checking the first event per id against the dictionary finds
 * any renamed, swapped or removed entry. The dictionary is read once (one scan beats a lookup per id);
 * the event's values come from a targeted scan of its JSON (event-identity.ts).
 */
class DictionaryCheck {
  problem: { seq: number; message: string } | null = null;
  /** One bit per dictionary id already checked (ids are the table's dense rowids). */
  private readonly checkedActors: Uint8Array;
  private readonly checkedIps: Uint8Array;
  private readonly maxId: number;
  private pending: Array<{ seq: number; id: number; kind: number; expected: string | null }> = [];
  private readonly fetch: (ids: number[]) => Array<{ id: number; kind: unknown; value: unknown }>;

  constructor(
    db: Db,
    private readonly limits: DictionaryLimits,
  ) {
    this.maxId = db.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM dim_values').get()?.n ?? 0;
    this.checkedActors = new Uint8Array(Math.floor(this.maxId / 8) + 1);
    this.checkedIps = new Uint8Array(Math.floor(this.maxId / 8) + 1);
    // Only the entries this range needs, a batch at a time: no copy of the whole dictionary per thread.
    this.fetch = (ids: number[]) =>
      db
        .prepare<number[], { id: number; kind: unknown; value: unknown }>(`SELECT id, kind, value FROM dim_values WHERE id IN (${ids.map(() => '?').join(',')})`)
        .all(...ids);
  }

  see(seq: number, actorId: number | null, ipId: number | null, data: Buffer, eventStart: number, eventEnd: number): void {
    if (this.problem !== null) return;
    const newActor = actorId !== null && this.firstTime(this.checkedActors, actorId);
    const newIp = ipId !== null && this.firstTime(this.checkedIps, ipId);
    if (!newActor && !newIp) return;
    const identity = eventIdentity(data, eventStart, eventEnd);
    // The actor id is the name's, else the uid's (event-log.ts).
    if (newActor) this.pending.push({ seq, id: actorId, kind: DIM.actor, expected: nonEmpty(identity.name) ?? nonEmpty(identity.uid) });
    if (newIp) this.pending.push({ seq, id: ipId, kind: DIM.ip, expected: nonEmpty(identity.ip) });
    if (this.pending.length >= this.limits.batch) this.flush();
  }

  /** Checks what is still pending (call once after the walk). */
  finish(): void {
    if (this.problem === null) this.flush();
  }

  private firstTime(checked: Uint8Array, id: number): boolean {
    // An id outside the table cannot be marked: it is checked (and fails) every time.
    if (!(id >= 1 && id <= this.maxId)) return true;
    const byte = Math.floor(id / 8);
    const bit = 1 << (id % 8);
    if ((checked[byte]! & bit) !== 0) return false;
    checked[byte] = checked[byte]! | bit;
    return true;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const entries = new Map<number, { kind: unknown; value: unknown }>();
    const ids = [...new Set(this.pending.map((p) => p.id))];
    for (let i = 0; i < ids.length; i += LOOKUP_PARAMS) for (const row of this.fetch(ids.slice(i, i + LOOKUP_PARAMS))) entries.set(row.id, row);
    // Pending checks are in seq order: the first disagreement is the earliest.
    for (const p of this.pending) {
      const entry = entries.get(p.id);
      if (entry !== undefined && entry.kind === p.kind && entry.value === p.expected) continue;
      const what = p.kind === DIM.actor ? 'actor' : 'source-IP';
      const by = p.kind === DIM.actor ? 'actor' : 'IP';
      this.problem = { seq: p.seq, message: `The ${what} index disagrees with event ${p.seq}: searches by ${by} would give wrong answers (the dictionary was altered).` };
      break;
    }
    this.pending = [];
  }
}

const DICTIONARY_LIMITS: DictionaryLimits = { batch: 512 };
/** Ids bound per dictionary query (rowid lookups; SQLite caches the few statement shapes). */
const LOOKUP_PARAMS = 256;

const nonEmpty = (v: string | null): string | null => (v !== null && v !== '' ? v : null);

/** Whether a latin1 digest string equals the 32 stored bytes at data[at...] (no string made per event). */
function sameHash(digest: string, data: Buffer, at: number): boolean {
  for (let i = 0; i < HASH; i++) if (digest.charCodeAt(i) !== data[at + i]) return false;
  return true;
}
