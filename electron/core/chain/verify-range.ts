import { hash as oneShotHash } from 'node:crypto';
import type { Db } from '../vault/database';
import { BlockFormatError, readRecord } from './event-block';
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
  const dictionary = new DictionaryCheck(db);
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
      let r;
      try {
        r = readRecord(data, p);
      } catch (err) {
        if (err instanceof BlockFormatError) return fail(expected, `Event ${expected} has a malformed column.`);
        throw err;
      }
      if (r.seq > expected) return fail(expected, `Event ${expected} is missing from the log.`);
      if (r.seq < expected) return fail(expected, `Event ${expected} does not match its hash: an event was inserted before it.`);
      const digest = oneShotHash('sha256', data.subarray(p - HASH, r.hashStart), 'binary');
      if (digest !== data.toString('latin1', r.hashStart, r.hashStart + HASH)) {
        return fail(r.seq, `Event ${r.seq} does not match its hash: it was altered, or an event before it was replaced.`);
      }
      dictionary.see(r.seq, r.actorId, r.ipId, data, r.eventStart, r.eventEnd);
      if (r.time < minTime) minTime = r.time;
      if (r.time > maxTime) maxTime = r.time;
      count++;
      verified++;
      expected++;
      prev = digest;
      p = r.hashStart + HASH;
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

interface EventShape {
  actor?: { user?: { name?: unknown; uid?: unknown } };
  src_endpoint?: { ip?: unknown };
}

const nonEmpty = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * The chain covers each event's JSON and its actor_id/ip_id, not the dictionary those ids point into
 * (dim_values), which filters and the Overview search through. Since ids are hashed, every event sharing
 * an id was appended with the same value: checking the first event per id against the dictionary finds
 * any renamed, swapped or removed entry.
 */
class DictionaryCheck {
  problem: { seq: number; message: string } | null = null;
  private readonly seenActors = new Set<number>();
  private readonly seenIps = new Set<number>();
  private readonly lookup;

  constructor(db: Db) {
    this.lookup = db.prepare<[number], { kind: number; value: unknown }>('SELECT kind, value FROM dim_values WHERE id = ?');
  }

  see(seq: number, actorId: number | null, ipId: number | null, data: Buffer, eventStart: number, eventEnd: number): void {
    if (this.problem !== null) return;
    const newActor = actorId !== null && !this.seenActors.has(actorId);
    const newIp = ipId !== null && !this.seenIps.has(ipId);
    if (!newActor && !newIp) return;
    let event: EventShape | null = null;
    try {
      event = JSON.parse(data.toString('utf8', eventStart, eventEnd)) as EventShape;
    } catch {
      event = null;
    }
    if (newActor) {
      this.seenActors.add(actorId);
      const user = event?.actor?.user;
      // The id is the name's, else the uid's (event-log.ts).
      const expected = nonEmpty(user?.name) ?? nonEmpty(user?.uid);
      if (!this.matches(actorId, DIM.actor, expected)) {
        this.problem = { seq, message: `The actor index disagrees with event ${seq}: searches by actor would give wrong answers (the dictionary was altered).` };
        return;
      }
    }
    if (newIp) {
      this.seenIps.add(ipId);
      if (!this.matches(ipId, DIM.ip, nonEmpty(event?.src_endpoint?.ip))) {
        this.problem = { seq, message: `The source-IP index disagrees with event ${seq}: searches by IP would give wrong answers (the dictionary was altered).` };
      }
    }
  }

  private matches(id: number, kind: number, expected: string | null): boolean {
    const entry = this.lookup.get(id);
    return entry !== undefined && entry.kind === kind && entry.value === expected;
  }
}
