import { crc32, createInflateRaw, inflateRawSync, type InflateRaw } from 'node:zlib';
import { AttestError } from '../../../shared/result';

/**
 * Inflates a gzip file member by member (RFC 1952), reading each header and trailer itself and only the
 * deflate data through zlib. Node's gunzip fails on bytes after the last member that are not another
 * member, and then drops what it inflated from the write that met them: a log archive with a few bytes
 * appended by a transfer tool imported only part of its records. Here every complete member is inflated
 * and checked (CRC-32 and length), and what follows the last one is measured, not read as records.
 */
export interface GzipTail {
  /** Bytes after the last member that are not gzip (0 when none; zero padding does not count). */
  trailingBytes: number;
  /** Members read whole and checked (CRC-32 and length). */
  members?: number;
  /** Why reading stopped early: the member (0-based) and what was wrong with it. */
  failure?: GzipFailure;
}

/**
 * truncated: the file ends inside a member (what came before the cut is intact); damaged: its deflate
 * data does not decode, or what it decodes to fails the CRC-32 or length check (any of it may be wrong);
 * header: it does not start as a gzip member must.
 */
export interface GzipFailure {
  member: number;
  kind: 'truncated' | 'damaged' | 'header';
  /** damaged: found only by reading the member itself, after its records were read (the file changed
   * after the check before the import); otherwise the member was not read. */
  foundLate?: boolean;
}

export interface GzipReadOptions {
  /**
   * Stop, with an error, where this member (0-based) starts, yielding none of it: a pass over the file
   * (checkGzipFile) found it damaged, and none of a damaged member's records can be trusted.
   */
  stopAtMember?: number;
}

/** Input is fed to the inflater in slices of at most this many bytes, so one write inflates at most
 * ~1,000 times as much (deflate's limit): a small bomb cannot make a single write hold gigabytes. */
const SLICE_BYTES = 16 * 1024;
const OUTPUT_CHUNK_BYTES = 256 * 1024;
/** A header longer than this (a file name or comment field that never ends) is not a gzip header. The
 * extra field alone may hold 65,535 bytes. */
const MAX_HEADER_BYTES = 1024 * 1024;

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/** Bytes not yet consumed, across the chunks they arrived in. */
class Pending {
  private chunks: Buffer[] = [];
  length = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.length += b.length;
  }

  /** The first n bytes (n <= length) as one buffer, without consuming them; joins only the chunks it needs. */
  peek(n: number): Buffer {
    if (this.chunks[0] !== undefined && this.chunks[0].length >= n) return this.chunks[0].subarray(0, n);
    let count = 0;
    for (let covered = 0; covered < n && count < this.chunks.length; count++) covered += this.chunks[count]!.length;
    const joined = Buffer.concat(this.chunks.slice(0, count));
    this.chunks.splice(0, count, joined);
    return joined.subarray(0, n);
  }

  consume(n: number): void {
    this.length -= n;
    while (n > 0) {
      const first = this.chunks[0]!;
      if (first.length <= n) {
        n -= first.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = first.subarray(n);
        n = 0;
      }
    }
  }

  /** Puts bytes back in front. */
  unshift(b: Buffer): void {
    if (b.length === 0) return;
    this.chunks.unshift(b);
    this.length += b.length;
  }

  /** Takes up to n bytes off the front. */
  take(n: number): Buffer {
    const first = this.chunks[0]!;
    const out = first.length <= n ? first : first.subarray(0, n);
    this.consume(out.length);
    return out;
  }

  allZero(): boolean {
    return this.chunks.every((c) => c.every((byte) => byte === 0));
  }
}

/** Length of the member header at the front of `b`; 0 when more bytes are needed; -1 when it is no gzip header. */
function headerLength(b: Buffer, complete: boolean): number {
  if (b.length < 10) return complete ? -1 : 0;
  if (b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) return -1;
  const flags = b[3]!;
  if (flags & 0xe0) return -1;
  let p = 10;
  if (flags & FEXTRA) {
    if (b.length < p + 2) return complete ? -1 : 0;
    p += 2 + b.readUInt16LE(p);
  }
  for (const field of [FNAME, FCOMMENT]) {
    if (flags & field) {
      const end = b.indexOf(0, p);
      if (end === -1) return complete || b.length > MAX_HEADER_BYTES ? -1 : 0;
      p = end + 1;
    }
  }
  if (flags & FHCRC) {
    if (b.length < p + 2) return complete || p + 2 > MAX_HEADER_BYTES ? -1 : 0;
    // The low 16 bits of the CRC-32 of the header before it (RFC 1952 2.3.1): gzip -t checks it too.
    if (b.readUInt16LE(p) !== (crc32(b.subarray(0, p)) & 0xffff)) return -1;
    p += 2;
  }
  if (b.length < p) return complete || p > MAX_HEADER_BYTES ? -1 : 0;
  return p;
}

/**
 * Writes one slice to the inflater; resolves with how many of its bytes the deflate data took. An error
 * destroys the stream, which may never call the write's callback: the error itself rejects too (waiting
 * on the callback alone left nothing pending, and the import thread exited without a word).
 */
function inflateSlice(inflater: InflateRaw, slice: Buffer): Promise<number> {
  const before = inflater.bytesWritten;
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    inflater.once('error', onError);
    inflater.write(slice, (err) => {
      inflater.off('error', onError);
      if (err) reject(err);
      else resolve(inflater.bytesWritten - before);
    });
  });
}

class GzipReadError extends AttestError {
  constructor(name: string, readonly failure: GzipFailure) {
    super('IO', gzipFailureMessage(name, failure));
  }
}

/** What an operator is told about a gzip that could not be read to its end. */
export function gzipFailureMessage(name: string, f: GzipFailure): string {
  const which = f.member === 0 ? 'its first gzip member' : `its gzip member ${f.member + 1}`;
  if (f.kind === 'truncated') return `Could not decompress ${name}: the gzip data is corrupt or truncated (the file ends inside ${which}).`;
  if (f.kind === 'header') return `Could not decompress ${name}: the gzip data is corrupt or truncated (${which} has no valid gzip header).`;
  if (f.foundLate) {
    return `Could not decompress ${name}: the gzip data is corrupt or truncated (${which} fails its integrity check, which it passed when the file was checked before the import: the file changed meanwhile, and the records read from that member before the failure were imported; compare the file's SHA-256 with the batch's).`;
  }
  return `Could not decompress ${name}: the gzip data is corrupt or truncated (${which} fails its integrity check: none of its records were imported, as any of them may be wrong).`;
}

/**
 * The inflated bytes of a gzip stream, in order. Throws AttestError IO at the first corrupt or truncated
 * member, after yielding everything before it. `tail` is filled in once the input is exhausted.
 */
export async function* inflateGzipMembers(source: AsyncIterable<Buffer>, name: string, tail: GzipTail, options: GzipReadOptions = {}): AsyncGenerator<Buffer> {
  const pending = new Pending();
  const input = source[Symbol.asyncIterator]();
  let inputDone = false;
  const more = async (): Promise<boolean> => {
    if (inputDone) return false;
    const r = await input.next();
    if (r.done) {
      inputDone = true;
      return false;
    }
    pending.push(r.value);
    return true;
  };
  let members = 0;
  tail.members = 0;
  const fail = (failure: GzipFailure): GzipReadError => {
    tail.failure = failure;
    return new GzipReadError(name, failure);
  };
  try {
    for (;;) {
      // Between members: another member, zero padding, or bytes that are not gzip.
      while (pending.length < 10 && (await more()));
      if (pending.length === 0) return;
      // Most headers are 10 bytes: look at a few dozen, more only when a name or extra field needs it (a
      // file of many small members must not join a megabyte of pending input at each one).
      let header = 0;
      for (let want = 64; header === 0; ) {
        const n = Math.min(pending.length, want);
        header = headerLength(pending.peek(n), inputDone && n === pending.length);
        if (header !== 0) break;
        if (n === want) {
          // A header still unfinished after MAX_HEADER_BYTES (a name that never ends) is none.
          if (want >= MAX_HEADER_BYTES) header = -1;
          want *= 2;
        } else if (!(await more())) header = headerLength(pending.peek(pending.length), true);
      }
      if (header < 0) {
        // The first member must be gzip (the caller saw its magic); after it, zero padding is allowed
        // (gzip itself pads so) and anything else is measured and left unread, but the start of another
        // member cut short is a cut file.
        if (members === 0) throw fail({ member: 0, kind: 'header' });
        const start = pending.peek(Math.min(pending.length, 3));
        if (inputDone && start[0] === 0x1f && (start.length < 2 || start[1] === 0x8b) && (start.length < 3 || start[2] === 8)) throw fail({ member: members, kind: 'truncated' });
        let rest = pending.length;
        let zeros = pending.allZero();
        pending.consume(pending.length);
        while (await more()) {
          zeros &&= pending.allZero();
          rest += pending.length;
          pending.consume(pending.length);
        }
        tail.trailingBytes = zeros ? 0 : rest;
        return;
      }
      if (options.stopAtMember === members) throw fail({ member: members, kind: 'damaged' });
      pending.consume(header);
      const small = inflateSmallMember(pending);
      if (small !== null) {
        // Checked before any of it is yielded.
        pending.consume(small.used);
        while (pending.length < 8 && (await more()));
        if (pending.length < 8) {
          // Cut inside the trailer: the data is whole but cannot be checked, as for any cut member.
          if (small.out.length > 0) yield small.out;
          throw fail({ member: members, kind: 'truncated' });
        }
        const trailer = pending.peek(8);
        if (trailer.readUInt32LE(0) !== crc32(small.out) >>> 0 || trailer.readUInt32LE(4) !== small.out.length >>> 0) throw fail({ member: members, kind: 'damaged' });
        pending.consume(8);
        if (small.out.length > 0) yield small.out;
      } else {
        // Damage met while reading a member: its records so far were yielded (told as foundLate).
        yield* inflateMember(pending, more, (kind) => fail(kind === 'damaged' ? { member: members, kind, foundLate: true } : { member: members, kind }));
      }
      members++;
      tail.members = members;
    }
  } finally {
    await input.return?.();
  }
}

/** A member whose deflate data ends within this many pending bytes is inflated in one call. */
const SMALL_MEMBER_BYTES = 64 * 1024;
/** ...when it inflates to at most this much (more, and it is streamed: a bomb stays bounded). */
const SMALL_MEMBER_OUTPUT = 16 * 1024 * 1024;

/**
 * The deflate data at the front of `pending` inflated in one synchronous call, with how many bytes it
 * took, when it ends within SMALL_MEMBER_BYTES; null otherwise (longer, damaged, or too large), and the
 * member is then streamed. Files of many small members (one per line or per flush, as some shippers
 * write) cost a stream and a thread-pool round trip per member otherwise: 0.2 ms each.
 */
function inflateSmallMember(pending: Pending): { out: Buffer; used: number } | null {
  const n = Math.min(pending.length, SMALL_MEMBER_BYTES);
  if (n === 0) return null;
  try {
    const r = inflateRawSync(pending.peek(n), { info: true, maxOutputLength: SMALL_MEMBER_OUTPUT }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return { out: r.buffer, used: r.engine.bytesWritten };
  } catch {
    return null;
  }
}

/** One member's deflate data and trailer, from the front of `pending` (read on through `more`). */
async function* inflateMember(pending: Pending, more: () => Promise<boolean>, fail: (kind: 'truncated' | 'damaged') => Error): AsyncGenerator<Buffer> {
  const inflater = createInflateRaw({ chunkSize: OUTPUT_CHUNK_BYTES });
  const out: Buffer[] = [];
  inflater.on('data', (b: Buffer) => out.push(b));
  let failure: Error | null = null;
  inflater.on('error', (e) => {
    failure ??= e;
  });
  let crc = 0;
  let size = 0;
  const drain = function* (): Generator<Buffer> {
    while (out.length > 0) {
      const b = out.shift()!;
      crc = crc32(b, crc);
      size = (size + b.length) >>> 0;
      yield b;
    }
  };
  try {
    for (;;) {
      if (pending.length === 0 && !(await more())) {
        // The file ends inside the deflate data.
        throw fail('truncated');
      }
      const slice = pending.take(SLICE_BYTES);
      let used: number;
      try {
        used = await inflateSlice(inflater, slice);
      } catch {
        throw fail('damaged');
      }
      if (failure !== null) throw fail('damaged');
      yield* drain();
      if (used < slice.length) {
        // The deflate data ended inside this slice (zlib took no more of it): the rest is the trailer and
        // beyond. Ending exactly at a slice's end shows at the next slice, of which it takes nothing.
        pending.unshift(slice.subarray(used));
        break;
      }
    }
    while (pending.length < 8 && (await more()));
    if (pending.length < 8) throw fail('truncated');
    const trailer = pending.peek(8);
    if (trailer.readUInt32LE(0) !== crc >>> 0 || trailer.readUInt32LE(4) !== size) throw fail('damaged');
    pending.consume(8);
  } finally {
    inflater.destroy();
  }
}

async function* oneChunk(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

/**
 * What the first bytes of a gzip (a sample read from its start) inflate to, at most `limit` bytes: as far
 * as they go, whatever follows (the sample's cut, bytes after the data). Empty when nothing inflates.
 */
export async function inflateHead(head: Buffer, limit: number, tail: GzipTail = { trailingBytes: 0 }): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  try {
    for await (const b of inflateGzipMembers(oneChunk(head), 'the file', tail)) {
      parts.push(b);
      length += b.length;
      if (length >= limit) break;
    }
  } catch {
    // The sample ends inside the data, or the data is damaged: what inflated before is the head.
  }
  return Buffer.concat(parts).subarray(0, limit);
}
