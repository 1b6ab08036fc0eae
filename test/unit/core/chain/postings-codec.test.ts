import { describe, expect, it } from 'vitest';
import { ChunkPostingsBuilder, countPostings, decodePostings, findPostings } from '../../../../electron/core/chain/postings-codec';

/** Every key's seqs, read back through the blob's index (as queries and verify read it). */
function readBack(blob: Buffer, chunkFirst: number, keys: number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const key of keys) {
    const list = findPostings(blob, key);
    if (list !== null) out.set(key, decodePostings(chunkFirst, list));
  }
  return out;
}

/** The documented layout, written the obvious way: keys ascending, each key's seq gaps as LEB128. */
function reference(chunkFirst: number, lists: Map<number, number[]>): Buffer {
  const keys = [...lists.keys()].sort((a, b) => a - b);
  const head = Buffer.alloc(4 + keys.length * 12);
  head.writeUInt32BE(keys.length, 0);
  const bytes: number[] = [];
  keys.forEach((key, k) => {
    let last = chunkFirst;
    for (const seq of lists.get(key)!) {
      let gap = seq - last;
      last = seq;
      while (gap >= 0x80) {
        bytes.push((gap % 0x80) | 0x80);
        gap = Math.floor(gap / 0x80);
      }
      bytes.push(gap);
    }
    head.writeBigInt64BE(BigInt(key), 4 + k * 12);
    head.writeUInt32BE(bytes.length, 4 + k * 12 + 8);
  });
  return Buffer.concat([head, Buffer.from(bytes)]);
}

describe('ChunkPostingsBuilder', () => {
  it('writes the documented layout for pairs added in seq order, whatever the key order', () => {
    const chunkFirst = 1_000_001;
    const builder = new ChunkPostingsBuilder(chunkFirst);
    const lists = new Map<number, number[]>();
    // Power-law keys, several per seq, gaps past one varint byte.
    for (let i = 0; i < 5000; i++) {
      const seq = chunkFirst + i * 3;
      for (const key of [(i * 7919) % 97, 1_000_000 + (i % 5)]) {
        builder.add(key, seq);
        lists.set(key, [...(lists.get(key) ?? []), seq]);
      }
    }
    const blob = builder.toBuffer();
    expect(blob.equals(reference(chunkFirst, lists))).toBe(true);
    expect(readBack(blob, chunkFirst, [...lists.keys()])).toEqual(lists);
    expect(findPostings(blob, 98)).toBeNull();
    expect(countPostings(findPostings(blob, 1_000_003)!)).toBe(1000);
  });

  it('keeps keys that do not pack (negative, 2^31 and above, beyond safe doubles) and still sorts them', () => {
    const chunkFirst = 10;
    const builder = new ChunkPostingsBuilder(chunkFirst);
    const pairs: Array<[number, number]> = [[5, 10], [2 ** 40, 11], [5, 12], [-3, 12], [2 ** 31, 13], [0, 14]];
    const lists = new Map<number, number[]>();
    for (const [key, seq] of pairs) {
      builder.add(key, seq);
      lists.set(key, [...(lists.get(key) ?? []), seq]);
    }
    const blob = builder.toBuffer();
    expect(blob.equals(reference(chunkFirst, lists))).toBe(true);
    expect(readBack(blob, chunkFirst, [...lists.keys()])).toEqual(lists);
  });

  it('is empty until a pair is added', () => {
    const builder = new ChunkPostingsBuilder(1);
    expect(builder.isEmpty).toBe(true);
    builder.add(1, 1);
    expect(builder.isEmpty).toBe(false);
  });
});
