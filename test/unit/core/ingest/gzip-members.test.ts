import { crc32, gzipSync, deflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inflateGzipMembers, type GzipTail } from '../../../../electron/core/ingest/gzip-members';

/** The input in chunks of `size` bytes (1 puts every boundary at every byte). */
async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function inflate(data: Buffer, size = 64 * 1024): Promise<{ out: Buffer; tail: GzipTail; error: string | null }> {
  const tail: GzipTail = { trailingBytes: 0 };
  const parts: Buffer[] = [];
  let error: string | null = null;
  try {
    for await (const b of inflateGzipMembers(chunked(data, size), 'x.gz', tail)) parts.push(b);
  } catch (e) {
    error = (e as Error).message;
  }
  return { out: Buffer.concat(parts), tail, error };
}

const lines = (n: number, tag = 'a'): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => `{"n":${i},"tag":"${tag}","pad":"${'x'.repeat(i % 50)}"}\n`).join(''));

describe('inflateGzipMembers', () => {
  const text = lines(1500);
  const gz = gzipSync(text);

  it('inflates a gzip whatever the chunking of its bytes', async () => {
    for (const size of [1, 7, 10, 4096, 16 * 1024, 1 << 20]) {
      const r = await inflate(gz, size);
      expect(r.error, `chunks of ${size}`).toBeNull();
      expect(r.out.equals(text), `chunks of ${size}`).toBe(true);
      expect(r.tail.trailingBytes).toBe(0);
    }
  });

  it('inflates every member of a multi-member gzip, in order', async () => {
    const second = lines(300, 'b');
    for (const size of [1, 13, 65536]) {
      const r = await inflate(Buffer.concat([gz, gzipSync(second), gzipSync(Buffer.alloc(0))]), size);
      expect(r.error).toBeNull();
      expect(r.out.equals(Buffer.concat([text, second]))).toBe(true);
    }
  });

  it('keeps every record when bytes that are not gzip follow the data, and measures them (Node gunzip dropped the last write)', async () => {
    for (const junk of [Buffer.from('TRAILING GARBAGE\n'), Buffer.from('x'), randomBytes(100_000)]) {
      junk[0] = 0x41; // never the gzip magic
      for (const size of [1, 1000, 1 << 20]) {
        if (size === 1 && junk.length > 1000) continue;
        const r = await inflate(Buffer.concat([gz, junk]), size);
        expect(r.error).toBeNull();
        expect(r.out.equals(text)).toBe(true);
        expect(r.tail.trailingBytes).toBe(junk.length);
      }
    }
  });

  it('takes zero padding after the data as padding, as gzip does', async () => {
    const r = await inflate(Buffer.concat([gz, Buffer.alloc(4096)]), 1000);
    expect(r.error).toBeNull();
    expect(r.out.equals(text)).toBe(true);
    expect(r.tail.trailingBytes).toBe(0);
  });

  it('reads headers with a name, a comment, extra data and a header CRC', async () => {
    const body = deflateRawSync(text);
    const crc = Buffer.alloc(8);
    crc.writeUInt32LE(crc32(text), 0);
    crc.writeUInt32LE(text.length, 4);
    const fields = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x1e, 0, 0, 0, 0, 0, 3]), Buffer.from([3, 0, 1, 2, 3]), Buffer.from('auth.log\0'), Buffer.from('a comment\0')]);
    const headerCrc = Buffer.alloc(2);
    headerCrc.writeUInt16LE(crc32(fields) & 0xffff);
    for (const size of [1, 5, 65536]) {
      const r = await inflate(Buffer.concat([fields, headerCrc, body, crc]), size);
      expect(r.error).toBeNull();
      expect(r.out.equals(text)).toBe(true);
    }
    // A wrong header CRC is a damaged header, as gzip -t says (probe6: imported without a word).
    const wrong = Buffer.from(headerCrc);
    wrong.writeUInt16LE(wrong.readUInt16LE(0) ^ 1);
    expect((await inflate(Buffer.concat([fields, wrong, body, crc]))).error).toMatch(/its first gzip member has no valid gzip header/);
    // The extra field may hold 65,535 bytes (probe6: refused as no gzip header).
    const extra = Buffer.alloc(2 + 65_535, 7);
    extra.writeUInt16LE(65_535);
    const big = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x04, 0, 0, 0, 0, 0, 3]), extra, body, crc]);
    for (const size of [4096, 1 << 20]) expect((await inflate(big, size)).out.equals(text)).toBe(true);
  });

  it('fails on a truncated or corrupt member after yielding what came before it', async () => {
    const truncated = await inflate(gz.subarray(0, gz.length - 2000));
    expect(truncated.error).toMatch(/corrupt or truncated/);
    expect(truncated.out.length).toBeGreaterThan(0);
    expect(text.subarray(0, truncated.out.length).equals(truncated.out)).toBe(true);

    const noTrailer = await inflate(gz.subarray(0, gz.length - 3));
    expect(noTrailer.error).toMatch(/corrupt or truncated/);
    expect(noTrailer.out.equals(text)).toBe(true);

    const badCrc = Buffer.from(gz);
    badCrc.writeUInt8(badCrc.readUInt8(badCrc.length - 8) ^ 0xff, badCrc.length - 8);
    expect((await inflate(badCrc)).error).toMatch(/corrupt or truncated/);

    const second = Buffer.concat([gz, gzipSync(lines(10, 'b')).subarray(0, 15)]);
    const r = await inflate(second);
    expect(r.error).toMatch(/corrupt or truncated/);
    expect(r.out.equals(text)).toBe(true);
  });

  it('says which member failed and why, and stops where a damaged member starts when told to', async () => {
    const second = gzipSync(lines(200, 'b'));
    const damaged = Buffer.from(second);
    damaged.writeUInt8(damaged.readUInt8(40) ^ 0xff, 40); // inside the deflate data
    const tail: GzipTail = { trailingBytes: 0 };
    const parts: Buffer[] = [];
    // A damaged deflate stream used to leave the write's callback uncalled: the read hung, and the import
    // thread exited with nothing pending ("The import worker stopped unexpectedly").
    await expect(
      (async () => {
        for await (const b of inflateGzipMembers(chunked(Buffer.concat([gz, damaged]), 4096), 'x.gz', tail)) parts.push(b);
      })(),
    ).rejects.toThrow(/member 2 fails its integrity check/);
    // Found by reading the member itself (no check before): its records so far were yielded, and said so.
    expect(tail.failure).toEqual({ member: 1, kind: 'damaged', foundLate: true });
    expect(Buffer.concat(parts).subarray(0, text.length).equals(text)).toBe(true);

    const told: Buffer[] = [];
    const stopped = { trailingBytes: 0 } as GzipTail;
    await expect(
      (async () => {
        for await (const b of inflateGzipMembers(chunked(Buffer.concat([gz, damaged]), 4096), 'x.gz', stopped, { stopAtMember: 1 })) told.push(b);
      })(),
    ).rejects.toThrow(/member 2 fails its integrity check: none of its records were imported/);
    expect(Buffer.concat(told).equals(text)).toBe(true);
  });

  it('yields nothing of a small member whose CRC-32 fails: it is checked before any of it is given out', async () => {
    const stored = Buffer.from(gzipSync(lines(20, 'c'), { level: 0 }));
    const at = stored.indexOf('"tag"') + 8;
    stored.writeUInt8(stored.readUInt8(at) ^ 0x01, at); // decodes fine, to another record
    const r = await inflate(Buffer.concat([gz, stored]), 4096);
    expect(r.error).toMatch(/member 2 fails its integrity check: none of its records were imported/);
    expect(r.out.equals(text)).toBe(true);
    expect(r.tail.failure).toEqual({ member: 1, kind: 'damaged' });
  });

  it('takes a file cut inside the next member\'s header as cut, not as bytes after the data', async () => {
    for (const cut of [1, 2, 6]) {
      const r = await inflate(Buffer.concat([gz, gzipSync(lines(10, 'b')).subarray(0, cut)]));
      expect(r.error, `cut after ${cut}`).toMatch(/the file ends inside its gzip member 2/);
      expect(r.out.equals(text)).toBe(true);
    }
  });

  it('reads a file of thousands of small members (one per line, as some shippers write)', async () => {
    const members = Array.from({ length: 3000 }, (_, i) => gzipSync(`{"member":${i}}\n`));
    const r = await inflate(Buffer.concat(members), 1 << 20);
    expect(r.error).toBeNull();
    expect(r.out.toString().split('\n')).toHaveLength(3001);
    expect(r.tail.members).toBe(3000);
  });

  it('takes a name field that never ends as no header, without reading the whole file for it', async () => {
    const endless = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3]), Buffer.alloc(3 << 20, 0x41)]);
    const r = await inflate(endless, 64 * 1024);
    expect(r.error).toMatch(/its first gzip member has no valid gzip header/);
  });

  it('refuses a first member that is no gzip member', async () => {
    expect((await inflate(Buffer.from([0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]))).error).toMatch(/corrupt or truncated/);
    expect((await inflate(Buffer.from([0x1f, 0x8b]))).error).toMatch(/corrupt or truncated/);
  });
});
