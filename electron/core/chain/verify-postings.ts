import { randomBytes } from 'node:crypto';
import type { Db } from '../vault/database';
import { DIM } from './dimensions';
import { ReadAhead } from './read-ahead';

/**
 * The postings lists (postings-codec.ts) are what every filter of the explorer and `attest events` reads:
 * an entry removed or moved there hides an event from a search while the chain still verifies. This
 * checks them against the events while verify walks the chain, one appended chunk (a "segment": the
 * events from one postings first_seq to the next) at a time.
 *
 * For each segment and dimension, the (key, seq) pairs stored must be exactly those the events imply:
 * class, status, source, batch, IP, and the actor id each event carries. Rather than re-encode every list
 * (about a third of verify's time), both sides are reduced to a count and a 32-bit sum of a keyed mix
 * of (key, seq), the keys drawn at random per verification, so a forged list cannot be made to match
 * without knowing them. Rows outside every chunk (first_seq below 1 or past the head) are refused by
 * postingsShapeProblem. An actor's uid and e-mail beside its name have postings of their own that the
 * chain cannot tell (the record carries one actor id): those are checked for form only — actor entries,
 * at most two per event and different, never the event's own actor id — and each entry against the event
 * it was inserted with (uidClaims).
 */
export class PostingsCheck {
  problem: { seq: number; message: string } | null = null;
  private readonly rows: ReadAhead<PostingsRow>;
  private readonly k1: number;
  private readonly k2: number;
  private readonly k3: number;
  private readonly k4: number;
  /** The segment being walked: its first seq, its stored rows, and what its events imply per dim. */
  private segStart = -1;
  private segRows: PostingsRow[] = [];
  private segEnd = -1;
  private readonly expected = new Lanes();
  private readonly stored = new Lanes();
  private actorIds = new Float64Array(4096);
  /** Per event of the segment: the ids its uid and e-mail postings list it under (-1: none). */
  private secondary = new Float64Array(4096);
  private tertiary = new Float64Array(4096);

  /** Next unread pair in uidClaims. */
  private claimAt = 0;

  constructor(
    db: Db,
    fromSeq: number,
    toSeq: number,
    private readonly kinds: Uint8Array,
    /** (seq, id) pairs the dictionary check adds as it goes: each event must list that id beside its actor. */
    private readonly uidClaims: readonly number[] = [],
  ) {
    const keys = randomBytes(16);
    this.k1 = keys.readInt32LE(0);
    this.k2 = keys.readInt32LE(4);
    this.k3 = keys.readInt32LE(8);
    this.k4 = keys.readInt32LE(12);
    this.rows = new ReadAhead(
      db
        .prepare<[number, number], PostingsRow>('SELECT first_seq, dim, keys FROM postings WHERE first_seq >= ? AND first_seq <= ? ORDER BY first_seq, dim')
        .iterate(fromSeq, toSeq),
    );
  }

  /** Called for every event of the run, in seq order (after its hash verified). */
  see(seq: number, actorId: number | null, ipId: number | null, classUid: number, statusId: number, sourceId: number, batchId: number | null): void {
    if (this.rows.current !== null && this.rows.current.first_seq === seq) this.startSegment(seq);
    else if (this.segStart < 0) {
      this.fail(seq, `Event ${seq} is missing from the search index: filters would never show it.`);
      return;
    }
    if (this.problem !== null) return;
    const i = seq - this.segStart;
    if (i >= this.actorIds.length) this.grow();
    this.actorIds[i] = actorId ?? -1;
    const e = this.expected;
    if (actorId !== null) e.add(DIM.actor, this.mix(actorId, seq));
    if (ipId !== null) e.add(DIM.ip, this.mix(ipId, seq));
    e.add(DIM.classUid, this.mix(classUid, seq));
    e.add(DIM.statusId, this.mix(statusId, seq));
    e.add(DIM.source, this.mix(sourceId, seq));
    if (batchId !== null) e.add(DIM.batch, this.mix(batchId, seq));
    this.segEnd = seq;
  }

  /** After the walk: closes the last segment; rows left over name events the run never reached. */
  finish(lastWalkedSeq: number): void {
    if (this.problem === null && this.segStart >= 0) this.closeSegment();
    if (this.problem === null && this.rows.current !== null && this.rows.current.first_seq <= lastWalkedSeq + 1) {
      this.fail(this.rows.current.first_seq, `The search index lists events from ${this.rows.current.first_seq} on that are not in the log.`);
    } else if (this.problem === null && this.rows.current !== null) {
      this.fail(lastWalkedSeq, `The search index lists events after ${lastWalkedSeq}, the last event of the log.`);
    }
  }

  close(): void {
    this.rows.close();
  }

  private startSegment(seq: number): void {
    if (this.segStart >= 0) this.closeSegment();
    if (this.problem !== null) return;
    this.segStart = seq;
    this.segEnd = seq - 1;
    this.segRows = [];
    while (this.rows.current !== null && this.rows.current.first_seq === seq) {
      this.segRows.push(this.rows.current);
      this.rows.advance();
    }
    this.expected.reset();
  }

  private closeSegment(): void {
    const start = this.segStart;
    const end = this.segEnd;
    const where = `events ${start}–${end}`;
    this.stored.reset();
    this.secondary.fill(-1, 0, end - start + 1);
    this.tertiary.fill(-1, 0, end - start + 1);
    for (const row of this.segRows) {
      const dim = row.dim;
      if (!(dim === DIM.actor || dim === DIM.ip || dim === DIM.classUid || dim === DIM.statusId || dim === DIM.source || dim === DIM.batch)) {
        this.fail(start, `The search index of ${where} holds a list of an unknown kind: it was altered.`);
        return;
      }
      const message = Buffer.isBuffer(row.keys) ? this.readBlob(dim, row.keys, start, end) : 'a malformed list';
      if (message !== null) {
        this.fail(start, `The search index of ${where} was altered (${message}): filters could miss or misplace them.`);
        return;
      }
    }
    // Each uid or e-mail entry first used in this segment: its event must list it.
    const claims = this.uidClaims;
    while (this.claimAt < claims.length && claims[this.claimAt]! <= end) {
      const seq = claims[this.claimAt]!;
      const id = claims[this.claimAt + 1]!;
      this.claimAt += 2;
      if (seq < start) continue;
      if (this.secondary[seq - start] !== id && this.tertiary[seq - start] !== id) {
        this.fail(start, `The actor index of ${where} no longer matches them: the uid or e-mail entry ${id} is not listed under event ${seq}, which it was inserted with. Searches by uid or e-mail could miss events.`);
        return;
      }
    }
    const dim = this.stored.differs(this.expected);
    if (dim !== null) {
      this.fail(start, `The ${DIM_NAMES[dim] ?? 'search'} index of ${where} no longer matches them: filters by ${DIM_NAMES[dim] ?? 'it'} could miss or misplace events.`);
    }
  }

  /** Decodes one stored blob into the stored lanes; returns what is wrong with it, or null. */
  private readBlob(dim: number, blob: Buffer, start: number, end: number): string | null {
    if (blob.length < 4) return 'a truncated list';
    const n = blob.readUInt32BE(0);
    const head = 4 + n * 12;
    if (head > blob.length) return 'a truncated list';
    let listStart = 0;
    let lastKey = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const e = 4 + k * 12;
      const key = blob.readInt32BE(e) * 4294967296 + blob.readUInt32BE(e + 4);
      const listEnd = blob.readUInt32BE(e + 8);
      // The writer stores safe integers only; a larger key would alias another once read as a number.
      if (!Number.isSafeInteger(key) || key <= lastKey || listEnd < listStart || head + listEnd > blob.length) return 'a malformed list';
      lastKey = key;
      let seq = start;
      let gap = 0;
      let scale = 1;
      let first = true;
      for (let i = head + listStart; i < head + listEnd; i++) {
        const byte = blob[i]!;
        gap += (byte & 0x7f) * scale;
        if (byte >= 0x80) {
          scale *= 0x80;
          continue;
        }
        if (!first && gap === 0) return 'an event listed twice';
        seq += gap;
        gap = 0;
        scale = 1;
        first = false;
        if (seq > end) return `event ${seq} listed in the wrong chunk`;
        if (dim === DIM.actor && this.actorIds[seq - start] !== key) {
          // An actor's uid or e-mail beside its name (event-log.ts): form only, see above.
          const j = seq - start;
          if (this.kinds[key] !== DIM.actor || this.actorIds[j] === -1 || this.tertiary[j] !== -1 || this.secondary[j] === key) return `event ${seq} under an actor it does not name`;
          if (this.secondary[j] === -1) this.secondary[j] = key;
          else this.tertiary[j] = key;
          continue;
        }
        this.stored.add(dim, this.mix(key, seq));
      }
      if (scale !== 1 || gap !== 0) return 'a malformed list';
      listStart = listEnd;
    }
    if (head + listStart !== blob.length) return 'a malformed list';
    return null;
  }

  /**
   * A keyed mix of (key, seq) into 32 bits: murmur3's finaliser applied after each word is folded in with
   * its own secret, so no difference in one word can be cancelled by a chosen difference in another
   * without knowing the secrets. Words beyond 32 bits (and negative keys) take two more rounds.
   */
  private mix(key: number, seq: number): number {
    const h = fmix(fmix(key ^ this.k1) ^ seq ^ this.k2);
    if (key >= 0 && key < 4294967296 && seq < 4294967296) return h;
    return fmix(fmix(h ^ Math.floor(key / 4294967296) ^ this.k3) ^ Math.floor(seq / 4294967296) ^ this.k4);
  }

  private grow(): void {
    const ids = new Float64Array(this.actorIds.length * 2);
    ids.set(this.actorIds);
    this.actorIds = ids;
    this.secondary = new Float64Array(ids.length);
    this.tertiary = new Float64Array(ids.length);
  }

  private fail(seq: number, message: string): void {
    this.problem ??= { seq, message };
    this.close();
  }
}

interface PostingsRow {
  first_seq: number;
  dim: unknown;
  keys: unknown;
}

const DIM_NAMES: Record<number, string> = { [DIM.actor]: 'actor', [DIM.ip]: 'IP', [DIM.classUid]: 'class', [DIM.statusId]: 'outcome', [DIM.source]: 'source', [DIM.batch]: 'batch' };

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Per dimension: how many (key, seq) pairs, and the sum of their mixes (mod 2^32). One lane is enough:
 * the mix keys are secret and fresh per verification, so a forged list matches with odds of 2^-32, and
 * cannot be tuned offline against them.
 */
class Lanes {
  private readonly count = new Float64Array(8);
  private readonly sum = new Int32Array(8);

  add(dim: number, h: number): void {
    this.count[dim]!++;
    this.sum[dim] = (this.sum[dim]! + h) | 0;
  }

  reset(): void {
    this.count.fill(0);
    this.sum.fill(0);
  }

  /** The first dim whose totals differ, or null. */
  differs(other: Lanes): number | null {
    for (let d = 0; d < 8; d++) if (this.count[d] !== other.count[d] || this.sum[d] !== other.sum[d]) return d;
    return null;
  }
}

/** Postings rows no run would read: a first_seq that is not an event of the log. */
export function postingsShapeProblem(db: Db, headSeq: number): string | null {
  const stray = db
    .prepare<[number], { n: number }>("SELECT count(*) AS n FROM postings WHERE typeof(first_seq) <> 'integer' OR first_seq < 1 OR first_seq > ?")
    .get(headSeq)?.n ?? 0;
  return stray > 0 ? `The search index holds ${stray} list${stray === 1 ? '' : 's'} for events that are not in the log: filters could show events that do not exist.` : null;
}
