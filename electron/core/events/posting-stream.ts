import type { Db } from '../vault/database';
import { decodePostings, findPostings } from '../chain/postings-codec';

type PostingRow = { first_seq: number; keys: Buffer };

/**
 * The seqs of one (dim, key) in descending order, read one postings row (one appended chunk's blob for
 * the dimension) at a time, with seek so an intersection can skip whole chunks without decoding them.
 * Chunks whose blob lacks the key are passed over (a binary search in the blob's key directory).
 */
export class PostingStream {
  private seqs: number[] = [];
  private index = -1;
  private rowFirst = Number.POSITIVE_INFINITY;
  private done = false;
  private readonly nextRow;

  constructor(db: Db, private readonly dim: number, private readonly key: number, beforeSeq: number) {
    this.nextRow = db.prepare<[number, number], PostingRow>(
      'SELECT first_seq, keys FROM postings WHERE first_seq <= ? AND dim = ? ORDER BY first_seq DESC LIMIT 1',
    );
    this.seekAtMost(beforeSeq - 1);
  }

  /** Current seq, or null when exhausted. */
  get current(): number | null {
    return this.done ? null : (this.seqs[this.index] ?? null);
  }

  /** Moves to the largest seq <= target (never forward). */
  seekAtMost(target: number): void {
    while (!this.done) {
      if (target < this.rowFirst) {
        this.load(target);
        continue;
      }
      while (this.index >= 0 && this.seqs[this.index]! > target) this.index--;
      if (this.index >= 0) return;
      this.load(this.rowFirst - 1);
    }
  }

  private load(atMost: number): void {
    for (;;) {
      const row = this.nextRow.get(atMost, this.dim);
      if (!row) {
        this.done = true;
        return;
      }
      this.rowFirst = row.first_seq;
      const list = Buffer.isBuffer(row.keys) ? findPostings(row.keys, this.key) : null;
      if (list === null) {
        atMost = row.first_seq - 1;
        continue;
      }
      this.seqs = decodePostings(row.first_seq, list);
      this.index = this.seqs.length - 1;
      return;
    }
  }
}

/**
 * The seqs of one (dim, key) in ascending order (the explorer's oldest first): the postings row that may
 * hold the target first, then the rows after it, one at a time, skipping rows whose blob lacks the key.
 */
export class AscendingPostingStream {
  private seqs: number[] = [];
  private index = 0;
  private rowFirst = Number.NEGATIVE_INFINITY;
  private done = false;
  private readonly containingRow;
  private readonly followingRow;

  constructor(db: Db, private readonly dim: number, private readonly key: number, afterSeq: number) {
    this.containingRow = db.prepare<[number, number], PostingRow>(
      'SELECT first_seq, keys FROM postings WHERE first_seq <= ? AND dim = ? ORDER BY first_seq DESC LIMIT 1',
    );
    this.followingRow = db.prepare<[number, number], PostingRow>(
      'SELECT first_seq, keys FROM postings WHERE first_seq > ? AND dim = ? ORDER BY first_seq LIMIT 1',
    );
    this.seekAtLeast(afterSeq + 1);
  }

  get current(): number | null {
    return this.done ? null : (this.seqs[this.index] ?? null);
  }

  /** Moves to the smallest seq >= target (never back). */
  seekAtLeast(target: number): void {
    while (!this.done) {
      while (this.index < this.seqs.length && this.seqs[this.index]! < target) this.index++;
      if (this.index < this.seqs.length) return;
      // This row is used up: the row holding the target when it lies beyond this one, else the next row.
      const holding = this.containingRow.get(target, this.dim);
      const row = holding && holding.first_seq > this.rowFirst ? holding : this.followingRow.get(this.rowFirst, this.dim);
      if (!row) {
        this.done = true;
        return;
      }
      this.rowFirst = row.first_seq;
      const list = Buffer.isBuffer(row.keys) ? findPostings(row.keys, this.key) : null;
      this.seqs = list === null ? [] : decodePostings(row.first_seq, list);
      this.index = 0;
    }
  }
}

/** Seqs present in every stream, descending (leapfrog intersection). */
export function* intersectDescending(streams: PostingStream[]): Generator<number> {
  yield* leapfrog(streams.map((s) => ({ get current() { return s.current; }, seek: (t: number) => s.seekAtMost(t) })), -1);
}

/** Seqs present in every stream, ascending. */
export function* intersectAscending(streams: AscendingPostingStream[]): Generator<number> {
  yield* leapfrog(streams.map((s) => ({ get current() { return s.current; }, seek: (t: number) => s.seekAtLeast(t) })), 1);
}

interface SeekableSeqs {
  readonly current: number | null;
  /** Moves to the first seq at or beyond target in the stream's direction. */
  seek(target: number): void;
}

/** direction -1: descending streams (seek = at most); 1: ascending (seek = at least). */
function* leapfrog(streams: SeekableSeqs[], direction: 1 | -1): Generator<number> {
  if (streams.length === 0) return;
  for (;;) {
    let target = streams[0]!.current;
    if (target === null) return;
    let agreed = false;
    while (!agreed) {
      agreed = true;
      for (const stream of streams) {
        stream.seek(target);
        const at = stream.current;
        if (at === null) return;
        if (at !== target) {
          target = at;
          agreed = false;
        }
      }
    }
    yield target;
    streams[0]!.seek(target + direction);
  }
}
