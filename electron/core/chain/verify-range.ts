import { hash as oneShotHash } from 'node:crypto';
import type { Db } from '../vault/database';
import { CHAIN_RECORD_VERSION } from './chain-record';
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
  /** Memory bounds of the dictionary check (tests lower them to exercise the large-dictionary paths). */
  dictionaryLimits?: DictionaryLimits;
}

export interface DictionaryLimits {
  /** Above this many dictionary entries each thread queries per id instead of holding them all. */
  preload: number;
  /** Ids remembered as checked; past this the memory starts over (an id is then checked again). */
  seen: number;
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
/** The shortest record: fixed columns, three absent optionals, source id, two empty length-prefixed parts. */
const RECORD_MIN = 57 + 1 + 1 + 8 + 1 + 4 + 4;
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
      if (p + RECORD_MIN > data.length || data[p] !== CHAIN_RECORD_VERSION) return fail(expected, `Event ${expected} has a malformed column.`);
      const seq = data.readInt32BE(p + 1) * TWO_32 + data.readUInt32BE(p + 5);
      if (seq > expected) return fail(expected, `Event ${expected} is missing from the log.`);
      if (seq < expected) return fail(expected, `Event ${expected} does not match its hash: an event was inserted before it.`);
      const time = data.readInt32BE(p + 9) * TWO_32 + data.readUInt32BE(p + 13);
      let q = p + 57;
      let actorId: number | null = null;
      let ipId: number | null = null;
      const actorFlag = data[q];
      if (actorFlag === 1 && q + 9 + 1 + 8 + 1 + 4 + 4 <= data.length) {
        actorId = data.readInt32BE(q + 1) * TWO_32 + data.readUInt32BE(q + 5);
        q += 9;
      } else if (actorFlag === 0) q += 1;
      else return fail(seq, `Event ${seq} has a malformed column.`);
      const ipFlag = data[q];
      if (ipFlag === 1 && q + 9 + 8 + 1 + 4 + 4 <= data.length) {
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
      if (eventEnd + 4 > data.length) return fail(seq, `Event ${seq} has a malformed column.`);
      const hashStart = eventEnd + 4 + data.readUInt32BE(eventEnd);
      if (hashStart + HASH > data.length) return fail(seq, `Event ${seq} has a malformed column.`);
      const digest = oneShotHash('sha256', data.subarray(p - HASH, hashStart), 'binary');
      if (digest !== data.toString('latin1', hashStart, hashStart + HASH)) {
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
  private readonly seenActors = new Set<number>();
  private readonly seenIps = new Set<number>();
  private entries: Map<number, { kind: unknown; value: unknown }> | null = null;
  private lookup: { get(id: number): { kind: unknown; value: unknown } | undefined } | null = null;

  constructor(
    private readonly db: Db,
    private readonly limits: DictionaryLimits,
  ) {}

  see(seq: number, actorId: number | null, ipId: number | null, data: Buffer, eventStart: number, eventEnd: number): void {
    if (this.problem !== null) return;
    const newActor = actorId !== null && !this.seenActors.has(actorId);
    const newIp = ipId !== null && !this.seenIps.has(ipId);
    if (!newActor && !newIp) return;
    // Forgetting what was seen only means checking an id again, never missing one: bounded memory.
    if (this.seenActors.size >= this.limits.seen) this.seenActors.clear();
    if (this.seenIps.size >= this.limits.seen) this.seenIps.clear();
    const identity = eventIdentity(data, eventStart, eventEnd);
    if (newActor) {
      this.seenActors.add(actorId);
      // The id is the name's, else the uid's (event-log.ts).
      const expected = nonEmpty(identity.name) ?? nonEmpty(identity.uid);
      if (!this.matches(actorId, DIM.actor, expected)) {
        this.problem = { seq, message: `The actor index disagrees with event ${seq}: searches by actor would give wrong answers (the dictionary was altered).` };
        return;
      }
    }
    if (newIp) {
      this.seenIps.add(ipId);
      if (!this.matches(ipId, DIM.ip, nonEmpty(identity.ip))) {
        this.problem = { seq, message: `The source-IP index disagrees with event ${seq}: searches by IP would give wrong answers (the dictionary was altered).` };
      }
    }
  }

  private matches(id: number, kind: number, expected: string | null): boolean {
    const entry = this.entry(id);
    return entry !== undefined && entry.kind === kind && entry.value === expected;
  }

  /** From the dictionary read once, or, for a dictionary too large to hold, one query per id. */
  private entry(id: number): { kind: unknown; value: unknown } | undefined {
    if (this.entries === null) {
      const size = this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM dim_values').get()?.n ?? 0;
      this.entries = new Map();
      if (size <= this.limits.preload) {
        for (const [entryId, entryKind, value] of this.db.prepare<[], [number, unknown, unknown]>('SELECT id, kind, value FROM dim_values').raw(true).iterate()) {
          this.entries.set(entryId, { kind: entryKind, value });
        }
      } else {
        this.lookup = this.db.prepare<[number], { kind: unknown; value: unknown }>('SELECT kind, value FROM dim_values WHERE id = ?');
      }
    }
    return this.lookup ? this.lookup.get(id) : this.entries.get(id);
  }
}

const DICTIONARY_LIMITS: DictionaryLimits = { preload: 1_000_000, seen: 1_000_000 };

const nonEmpty = (v: string | null): string | null => (v !== null && v !== '' ? v : null);
