import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeOrStop } from '../../../../electron/core/io/write-or-stop';

/** A destination that takes one byte at a time and then fails with `code` on its second write. */
function failingSink(code: string): Writable {
  let writes = 0;
  return new Writable({
    highWaterMark: 1,
    write(_chunk, _enc, cb) {
      writes++;
      setImmediate(() => cb(writes > 1 ? Object.assign(new Error(code), { code }) : null));
    },
  });
}

describe('writeOrStop', () => {
  it('waits for a full destination and goes on once it drains', async () => {
    const got: string[] = [];
    const slow = new Writable({ highWaterMark: 1, write: (c: Buffer, _e, cb) => setImmediate(() => (got.push(c.toString()), cb())) });
    expect(await writeOrStop(slow, 'a')).toBe(true);
    expect(await writeOrStop(slow, 'b')).toBe(true);
    expect(got).toEqual(['a', 'b']);
  });

  it('says stop when the reader is gone (EPIPE, or destroyed), and rejects any other failure', async () => {
    const piped = failingSink('EPIPE');
    piped.on('error', () => undefined);
    expect(await writeOrStop(piped, 'x')).toBe(true);
    expect(await writeOrStop(piped, 'y')).toBe(false);
    expect(await writeOrStop(piped, 'z')).toBe(false);

    const full = failingSink('ENOSPC');
    full.on('error', () => undefined);
    await writeOrStop(full, 'x');
    await expect(writeOrStop(full, 'y')).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});
