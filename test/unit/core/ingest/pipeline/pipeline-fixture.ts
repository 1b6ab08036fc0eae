import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { IngestSummary } from '../../../../../shared/contract/events';
import type { Db } from '../../../../../electron/core/vault/database';
import { migrate } from '../../../../../electron/core/vault/migrator';
import { openWithEventsTable } from '../../chain/stored-events';

export const FIXTURES = path.resolve(__dirname, '../../../../fixtures/ingest');
export const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
export const VAULT_ID = 'vault-test-0001';

/** A migrated, encrypted vault in a temp dir plus a scratch folder for generated inputs. */
export interface PipelineVault {
  dir: string;
  file: string;
  key: Buffer;
  db: Db;
  /** Path for a generated input file inside the temp dir. */
  input(name: string): string;
  reopen(): Db;
  cleanup(): void;
}

export function createPipelineVault(cipher: 'aegis' | 'sqlcipher' = 'aegis'): PipelineVault {
  const dir = mkdtempSync(path.join(tmpdir(), 'attest-ingest-'));
  const file = path.join(dir, 'vault.sqlite');
  const key = randomBytes(32);
  const vault: PipelineVault = {
    dir,
    file,
    key,
    db: openWithEventsTable(file, key, cipher),
    input: (name) => path.join(dir, name),
    reopen() {
      if (vault.db.open) vault.db.close();
      vault.db = openWithEventsTable(file, key, cipher);
      return vault.db;
    },
    cleanup() {
      if (vault.db.open) vault.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  migrate(vault.db);
  return vault;
}

/** The check: every item read is imported, a duplicate, or quarantined — in the summary and in the batch row. */
export function expectReconciled(db: Db, summary: IngestSummary, opts: { allowError?: boolean } = {}): void {
  if (!opts.allowError) expect(summary.error).toBeNull();
  expect(summary.read).toBe(summary.imported + summary.duplicates + summary.quarantined);
  if (summary.batchId === null) return;
  const row = db.prepare('SELECT read, imported, duplicates, quarantined FROM batches WHERE id = ?').get(summary.batchId) as {
    read: number;
    imported: number;
    duplicates: number;
    quarantined: number;
  };
  expect(row).toEqual({ read: summary.read, imported: summary.imported, duplicates: summary.duplicates, quarantined: summary.quarantined });
  const q = db.prepare('SELECT count(*) AS n FROM quarantine WHERE batch_id = ?').get(summary.batchId) as { n: number };
  expect(q.n).toBe(summary.quarantined);
  const e = db.prepare('SELECT count(*) AS n FROM events WHERE batch_id = ?').get(summary.batchId) as { n: number };
  expect(e.n).toBe(summary.imported);
}

export function eventCount(db: Db): number {
  return (db.prepare("SELECT count(*) AS n FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name <> 'attest'").get() as { n: number }).n;
}

/** n OCSF authentication events as JSON Lines, deterministic. */
export function ocsfLines(n: number, start = 0): string {
  let out = '';
  for (let i = start; i < start + n; i++) {
    out +=
      JSON.stringify({
        class_uid: 3002,
        activity_id: 1,
        time: Date.UTC(2026, 9, 1) + i * 1000,
        status_id: i % 10 === 0 ? 2 : 1,
        severity_id: 1,
        actor: { user: { name: `user${i % 17}` } },
        src_endpoint: { ip: `10.0.${(i >> 8) & 255}.${i & 255}` },
        metadata: { product: { name: 'Gen', vendor_name: 'Attest tests' }, version: '1.1.0', uid: `ev-${i}` },
      }) + '\n';
  }
  return out;
}
