/**
 * Postings of one dimension within one appended chunk, stored as ONE blob per (chunk, dim): writing one
 * row per key per chunk cost more than the event rows themselves (thousands of distinct actors and IPs per
 * chunk, each row a random B-tree insert and a dirty page at commit). Rows keyed (first_seq, dim) are
 * appended in seq order instead, and a reader finds a key inside a chunk's blob by binary search.
 *
 * Blob layout (big-endian):
 *   u32 n                                   number of keys
 *   n × (i64 key, u32 end)                  keys ascending; end = byte offset in the lists area where
 *                                           this key's list ends (its start is the previous key's end)
 *   lists area                              per key: the ascending seqs as unsigned LEB128 varints of the
 *                                           gaps, the first gap measured from the chunk's first seq (may be 0)
 */
const ENTRY_BYTES = 12;
const TWO_32 = 4294967296;

/** Collects the (key, seq) pairs of one dimension within one chunk, in ascending seq order. */
export class ChunkPostingsBuilder {
  private readonly lists = new Map<number, number[]>();

  constructor(readonly chunkFirstSeq: number) {}

  get size(): number {
    return this.lists.size;
  }

  add(key: number, seq: number): void {
    const list = this.lists.get(key);
    if (list === undefined) this.lists.set(key, [seq]);
    else list.push(seq);
  }

  toBuffer(): Buffer {
    const keys = [...this.lists.keys()].sort((a, b) => a - b);
    let listBytes = 0;
    for (const list of this.lists.values()) listBytes += list.length * 8; // a safe-integer gap takes at most 8 varint bytes
    const head = 4 + keys.length * ENTRY_BYTES;
    const out = Buffer.allocUnsafe(head + listBytes);
    out.writeUInt32BE(keys.length, 0);
    let o = head;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const list = this.lists.get(key)!;
      let last = this.chunkFirstSeq;
      for (let i = 0; i < list.length; i++) {
        const seq = list[i]!;
        let gap = seq - last;
        last = seq;
        while (gap >= 0x80) {
          out[o++] = (gap % 0x80) | 0x80;
          gap = Math.floor(gap / 0x80);
        }
        out[o++] = gap;
      }
      const e = 4 + k * ENTRY_BYTES;
      const hi = Math.floor(key / TWO_32);
      out.writeInt32BE(hi, e);
      out.writeUInt32BE(key - hi * TWO_32, e + 4);
      out.writeUInt32BE(o - head, e + 8);
    }
    return out.subarray(0, o);
  }
}

/** The varint list of `key` inside a chunk blob (a view, no copy), or null when the chunk lacks the key. */
export function findPostings(blob: Uint8Array, key: number): Uint8Array | null {
  if (blob.length < 4) return null;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const n = view.getUint32(0);
  const head = 4 + n * ENTRY_BYTES;
  if (head > blob.length) return null;
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const e = 4 + mid * ENTRY_BYTES;
    const k = view.getInt32(e) * TWO_32 + view.getUint32(e + 4);
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else {
      const start = mid === 0 ? 0 : view.getUint32(e - 4);
      const end = view.getUint32(e + 8);
      if (head + end > blob.length || start > end) return null;
      return blob.subarray(head + start, head + end);
    }
  }
  return null;
}

/** The seqs of one key's varint list (see findPostings). */
export function decodePostings(chunkFirstSeq: number, list: Uint8Array): number[] {
  const out: number[] = [];
  let seq = chunkFirstSeq;
  let gap = 0;
  let scale = 1;
  for (let i = 0; i < list.length; i++) {
    const byte = list[i]!;
    gap += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      seq += gap;
      out.push(seq);
      gap = 0;
      scale = 1;
    } else {
      scale *= 0x80;
    }
  }
  return out;
}

/** Number of seqs in a varint list without decoding it: one terminating byte per varint. */
export function countPostings(list: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < list.length; i++) if (list[i]! < 0x80) n++;
  return n;
}
