/**
 * A postings list: the ascending seqs of one key within one appended chunk, stored as unsigned LEB128
 * varints of the gaps, the first gap measured from the chunk's first seq (so it may be 0).
 */
export class PostingsBuilder {
  private bytes: number[] = [];
  private last: number;

  constructor(readonly chunkFirstSeq: number) {
    this.last = chunkFirstSeq;
  }

  add(seq: number): void {
    let gap = seq - this.last;
    this.last = seq;
    while (gap >= 0x80) {
      this.bytes.push((gap % 0x80) | 0x80);
      gap = Math.floor(gap / 0x80);
    }
    this.bytes.push(gap);
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

export function decodePostings(chunkFirstSeq: number, blob: Uint8Array): number[] {
  const out: number[] = [];
  let seq = chunkFirstSeq;
  let gap = 0;
  let scale = 1;
  for (let i = 0; i < blob.length; i++) {
    const byte = blob[i]!;
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

/** Number of seqs in a postings blob without decoding it: one terminating byte per varint. */
export function countPostings(blob: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < blob.length; i++) if (blob[i]! < 0x80) n++;
  return n;
}
