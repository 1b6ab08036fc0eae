import { open } from 'node:fs/promises';
import { inflateGzipMembers, type GzipTail } from './gzip-members';

const READ_BYTES = 1024 * 1024;
const PROGRESS_INTERVAL_MS = 100;

export interface GzipCheckOptions {
  onProgress?: (bytesRead: number, bytesTotal: number) => void;
  signal?: { readonly aborted: boolean };
}

/** Whether the file starts with the gzip magic (1f 8b). */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * Inflates a whole gzip file and checks every member (CRC-32 and length) before anything of it is
 * imported: a damaged member's records must not enter the log, and inflating while importing finds the
 * damage only at the member's end, after its records were committed. Returns how far the file reads (the
 * members, the first failure, the bytes after the data); null when cancelled. Read errors are left to the
 * import, which meets them again and reports them.
 */
export async function checkGzipFile(path: string, name: string, options: GzipCheckOptions = {}): Promise<GzipTail | null> {
  const tail: GzipTail = { trailingBytes: 0 };
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return tail;
  }
  const file = fh;
  let total: number;
  try {
    total = (await file.stat()).size;
  } catch {
    // The import meets the same error and reports it; the handle must not stay open meanwhile.
    await file.close().catch(() => undefined);
    return tail;
  }
  let read = 0;
  let reported = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (;;) {
      const buf = Buffer.allocUnsafe(READ_BYTES);
      const { bytesRead } = await file.read(buf, 0, READ_BYTES, null);
      if (bytesRead === 0) return;
      read += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  }
  try {
    for await (const _ of inflateGzipMembers(chunks(), name, tail)) {
      if (options.signal?.aborted) return null;
      if (options.onProgress && Date.now() - reported >= PROGRESS_INTERVAL_MS) {
        reported = Date.now();
        options.onProgress(read, total);
      }
    }
  } catch {
    // tail.failure says where and why (a read error leaves it unset: the import reports that one).
  } finally {
    await file.close().catch(() => undefined);
  }
  return tail;
}
