import type { RawRecord } from '../record';
import type { Splitter } from './splitter';

const BOM = [0xef, 0xbb, 0xbf];

/** Removes a UTF-8 byte-order mark at the very start of a stream, even when it arrives split across chunks. */
export async function* stripBom(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let head: Buffer | null = Buffer.alloc(0);
  for await (const chunk of chunks) {
    if (head === null) {
      yield chunk;
      continue;
    }
    head = Buffer.concat([head, chunk]);
    if (head.length < 3 && BOM.slice(0, head.length).every((b, i) => head![i] === b)) continue;
    const out: Buffer = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
    head = null;
    if (out.length > 0) yield out;
  }
  // A stream shorter than a BOM that merely starts like one is data, not a BOM.
  if (head !== null && head.length > 0) yield head;
}

export function stripBomSync(buf: Buffer): Buffer {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
}

/** Runs a splitter over a byte stream (BOM removed), yielding records as they complete. */
export async function* splitRecords(chunks: AsyncIterable<Buffer>, splitter: Splitter): AsyncGenerator<RawRecord> {
  const out: RawRecord[] = [];
  for await (const chunk of stripBom(chunks)) {
    splitter.push(chunk, out);
    if (out.length > 0) {
      for (const record of out) yield record;
      out.length = 0;
    }
  }
  splitter.end(out);
  for (const record of out) yield record;
}

/** Like splitRecords, but yields the records of each chunk together: fewer awaits on the hot path. */
export async function* splitRecordBatches(chunks: AsyncIterable<Buffer>, splitter: Splitter): AsyncGenerator<RawRecord[]> {
  for await (const chunk of stripBom(chunks)) {
    const out: RawRecord[] = [];
    splitter.push(chunk, out);
    if (out.length > 0) yield out;
  }
  const out: RawRecord[] = [];
  splitter.end(out);
  if (out.length > 0) yield out;
}

/** The same over an in-memory buffer (tests, format detection). */
export function splitBuffer(buf: Buffer, splitter: Splitter): RawRecord[] {
  const out: RawRecord[] = [];
  splitter.push(stripBomSync(buf), out);
  splitter.end(out);
  return out;
}
