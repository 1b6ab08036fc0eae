import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawRecord } from '../../../../electron/core/ingest/record';
import { splitRecords } from '../../../../electron/core/ingest/split/split-records';
import type { OpenedInput } from '../../../../electron/core/ingest/read-records';
import type { Splitter } from '../../../../electron/core/ingest/split/splitter';

export const FIXTURES = join(__dirname, '../../../fixtures/ingest');

/** A fixed "now" so time-window checks and default years do not depend on the day the tests run. */
export const NOW = Date.UTC(2026, 10, 22, 8, 0, 0);

export async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, Math.min(buf.length, i + size));
}

export async function collect(buf: Buffer, splitter: Splitter, chunkSize = 1 << 20): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of splitRecords(chunked(buf, chunkSize), splitter)) out.push({ ...r, raw: Buffer.from(r.raw) });
  return out;
}

export function texts(records: RawRecord[]): string[] {
  return records.map((r) => r.raw.toString('utf8'));
}

export function tempDir(): { dir: string; file(name: string, data: string | Buffer): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'attest-ingest-'));
  return {
    dir,
    file(name, data) {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every record an opened input yields, in order. */
export async function readAll(input: OpenedInput): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of input.records) out.push(r);
  return out;
}
