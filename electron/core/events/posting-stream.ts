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

/** Seqs present in every stream, descending (leapfrog intersection). */
export function* intersectDescending(streams: PostingStream[]): Generator<number> {
  if (streams.length === 0) return;
  for (;;) {
    let target = streams[0]!.current;
    if (target === null) return;
    let agreed = false;
    while (!agreed) {
      agreed = true;
      for (const stream of streams) {
        stream.seekAtMost(target);
        const at = stream.current;
        if (at === null) return;
        if (at < target) {
          target = at;
          agreed = false;
        }
      }
    }
    yield target;
    streams[0]!.seekAtMost(target - 1);
  }
}
