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

/** A (key, seq) pair packs into one exact double as key * OFFSET_SCALE + (seq - chunk's first seq). */
const OFFSET_SCALE = 4194304; // 2^22 seqs per chunk
const PACKED_KEY_LIMIT = 2147483648; // 2^31: key * 2^22 + offset stays below 2^53

/**
 * Collects the (key, seq) pairs of one dimension within one chunk, added in ascending seq order. Pairs are
 * packed into a Float64Array and sorted once (by key, then seq) when the blob is built: a Map of arrays per
 * key cost 2-3 µs per event on the importing thread (an allocation and a hash lookup per pair). A key
 * outside [0, 2^31) or a seq outside the chunk's 2^22 (never met in practice) switches the builder to
 * lists per key, which any integer fits.
 */
export class ChunkPostingsBuilder {
  private packed = new Float64Array(1024);
  private count = 0;
  /** Set once a pair does not pack: from then on every pair is kept here. */
  private lists: Map<number, number[]> | null = null;

  constructor(readonly chunkFirstSeq: number) {}

  get isEmpty(): boolean {
    return this.lists === null ? this.count === 0 : this.lists.size === 0;
  }

  add(key: number, seq: number): void {
    const offset = seq - this.chunkFirstSeq;
    if (this.lists === null) {
      if (Number.isInteger(key) && key >= 0 && key < PACKED_KEY_LIMIT && Number.isInteger(offset) && offset >= 0 && offset < OFFSET_SCALE) {
        if (this.count === this.packed.length) {
          const grown = new Float64Array(this.count * 2);
          grown.set(this.packed);
          this.packed = grown;
        }
        this.packed[this.count++] = key * OFFSET_SCALE + offset;
        return;
      }
      this.lists = this.unpack();
    }
    const list = this.lists.get(key);
    if (list === undefined) this.lists.set(key, [seq]);
    else list.push(seq);
  }

  toBuffer(): Buffer {
    if (this.lists !== null) return this.listsToBuffer(this.lists);
    const pairs = this.packed.subarray(0, this.count).sort();
    let keys = 0;
    for (let i = 0, prev = -1; i < pairs.length; i++) {
      const key = Math.floor(pairs[i]! / OFFSET_SCALE);
      if (key !== prev) {
        keys++;
        prev = key;
      }
    }
    const head = 4 + keys * ENTRY_BYTES;
    // An offset below 2^22 takes at most 4 varint bytes.
    const out = Buffer.allocUnsafe(head + pairs.length * 4);
    out.writeUInt32BE(keys, 0);
    let o = head;
    let entry = 4 - ENTRY_BYTES;
    let prev = -1;
    let last = 0;
    for (let i = 0; i < pairs.length; i++) {
      const key = Math.floor(pairs[i]! / OFFSET_SCALE);
      const offset = pairs[i]! - key * OFFSET_SCALE;
      if (key !== prev) {
        if (prev !== -1) out.writeUInt32BE(o - head, entry + 8);
        entry += ENTRY_BYTES;
        out.writeInt32BE(0, entry);
        out.writeUInt32BE(key, entry + 4);
        prev = key;
        last = 0;
      }
      o = writeGap(out, o, offset - last);
      last = offset;
    }
    if (prev !== -1) out.writeUInt32BE(o - head, entry + 8);
    return out.subarray(0, o);
  }

  /** The packed pairs as lists per key, in the order they were added. */
  private unpack(): Map<number, number[]> {
    const lists = new Map<number, number[]>();
    for (let i = 0; i < this.count; i++) {
      const key = Math.floor(this.packed[i]! / OFFSET_SCALE);
      const seq = this.chunkFirstSeq + (this.packed[i]! - key * OFFSET_SCALE);
      const list = lists.get(key);
      if (list === undefined) lists.set(key, [seq]);
      else list.push(seq);
    }
    return lists;
  }

  private listsToBuffer(lists: Map<number, number[]>): Buffer {
    const keys = [...lists.keys()].sort((a, b) => a - b);
    let listBytes = 0;
    for (const list of lists.values()) listBytes += list.length * 8; // a safe-integer gap takes at most 8 varint bytes
    const head = 4 + keys.length * ENTRY_BYTES;
    const out = Buffer.allocUnsafe(head + listBytes);
    out.writeUInt32BE(keys.length, 0);
    let o = head;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const list = lists.get(key)!;
      let last = this.chunkFirstSeq;
      for (let i = 0; i < list.length; i++) {
        const seq = list[i]!;
        o = writeGap(out, o, seq - last);
        last = seq;
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

/** Writes gap as an unsigned LEB128 varint at o; returns the end. */
function writeGap(out: Buffer, o: number, gap: number): number {
  while (gap >= 0x80) {
    out[o++] = (gap % 0x80) | 0x80;
    gap = Math.floor(gap / 0x80);
  }
  out[o++] = gap;
  return o;
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
