import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../../../electron/core/ingest/import-file';
import { currentImporter, isImporterAlive, markStaleBatches } from '../../../../../electron/core/ingest/stale-batches';
import { verifyChain } from '../../../../../electron/core/chain/verify';
import { readStoredEvents } from '../../chain/stored-events';
import { createPipelineVault, NOW, ocsfLines, VAULT_ID, type PipelineVault } from './pipeline-fixture';

let vault: PipelineVault;
beforeEach(() => {
  vault = createPipelineVault();
});
afterEach(() => vault.cleanup());

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

// No events imported and no quarantine: verify holds a batch's imported count and seq range to its events in the log.
function runningBatch(importer: string | null, counts = { read: 7, imported: 0, duplicates: 7, quarantined: 0 }): number {
  vault.db.prepare("INSERT OR IGNORE INTO sources (name, created_at) VALUES ('s', 0)").run();
  const info = vault.db
    .prepare(
      `INSERT INTO batches (source_id, file, bytes, sha256, format, options, operator, started_at, state, importer, read, imported, duplicates, quarantined)
       VALUES (1, 'big.jsonl', 1234, '', 'ocsf', '{}', 'carol', 0, 'running', ?, ?, ?, ?, ?)`,
    )
    .run(importer, counts.read, counts.imported, counts.duplicates, counts.quarantined);
  return Number(info.lastInsertRowid);
}

const stateOf = (id: number) => (vault.db.prepare('SELECT state FROM batches WHERE id = ?').get(id) as { state: string }).state;

describe('isImporterAlive', () => {
  it('knows this process, and that an exited one, another host or no importer has nobody to finish the batch', () => {
    expect(isImporterAlive(currentImporter())).toBe(true);
    // Another thread of this process: an import worker that died (IngestJobs runs one at a time).
    expect(isImporterAlive(`${process.pid}@${hostname()}#${threadId + 1000}`)).toBe(false);
    expect(isImporterAlive(`${deadPid()}@${hostname()}`)).toBe(false);
    expect(isImporterAlive(`${process.pid}@another-host.example`)).toBe(false);
    expect(isImporterAlive(null)).toBe(false);
    for (const bad of ['', '@', 'x@' + hostname(), '-1@' + hostname(), '0@' + hostname(), `${process.pid}`]) expect(isImporterAlive(bad)).toBe(false);
  });
});

describe('markStaleBatches', () => {
  it('marks a batch whose importer died, chains it with what was committed, and verify holds the row to it', async () => {
    const id = runningBatch(`${deadPid()}@${hostname()}`);
    expect(markStaleBatches(vault.db, NOW)).toBe(1);
    expect(stateOf(id)).toBe('interrupted');
    const audit = readStoredEvents(vault.db).map((e) => JSON.parse(e.event) as { message: string; unmapped?: Record<string, unknown> });
    const record = audit.find((e) => e.unmapped?.outcome === 'interrupted');
    expect(record?.message).toMatch(/^Import of big\.jsonl was interrupted: .*committed: read 7 = imported 0 \+ duplicates 7 \+ quarantined 0\./);
    expect(record?.unmapped).toMatchObject({ file: 'big.jsonl', bytes: 1234, read: 7, outcome: 'interrupted' });
    expect((await verifyChain({ db: vault.db })).ok).toBe(true);

    // Rewriting the history of the interrupted import is now caught.
    vault.db.prepare("UPDATE batches SET state = 'done' WHERE id = ?").run(id);
    const report = await verifyChain({ db: vault.db });
    expect(report.ok).toBe(false);
    expect(report.problem).toMatch(/import history of batch \d+ \(big\.jsonl\).*outcome/);
  });

  it('leaves alone a batch whose importer is still running, and marks each stale batch only once', () => {
    const live = runningBatch(currentImporter());
    const legacy = runningBatch(null);
    expect(markStaleBatches(vault.db, NOW)).toBe(1);
    expect(markStaleBatches(vault.db, NOW)).toBe(0);
    expect(stateOf(live)).toBe('running');
    expect(stateOf(legacy)).toBe('interrupted');
  });

  it('an import marked interrupted while it was in fact running finishes as done, and the vault verifies', async () => {
    // A misjudged importer (its host renamed mid-import, say) is marked and chained as interrupted; its
    // own finish then chains 'done'. Verify holds the batch to the latest record, which the row matches.
    const file = vault.input('long.jsonl');
    writeFileSync(file, ocsfLines(20_000));
    const running = importFile(vault.db, { path: file }, { operator: 't', now: NOW, vaultId: VAULT_ID, chunkEvents: 1000 });
    const committed = () => (vault.db.prepare("SELECT imported FROM batches WHERE state = 'running'").get() as { imported: number } | undefined)?.imported ?? 0;
    while (committed() === 0) await new Promise((r) => setImmediate(r));
    expect(markStaleBatches(vault.db, NOW, () => false)).toBe(1);
    const s = await running;
    expect(s).toMatchObject({ read: 20_000, imported: 20_000, error: null });
    expect(stateOf(s.batchId!)).toBe('done');
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true });
  });

  it('an import started meanwhile does not mark a running import of another live process interrupted', async () => {
    // Before: any new import marked every running batch interrupted, though its process was still writing.
    const other = runningBatch(currentImporter());
    const file = vault.input('y.jsonl');
    writeFileSync(file, ocsfLines(3));
    const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW, vaultId: VAULT_ID });
    expect(s.imported).toBe(3);
    expect(stateOf(other)).toBe('running');
    expect((vault.db.prepare('SELECT importer FROM batches WHERE id = ?').get(s.batchId) as { importer: string }).importer).toBe(currentImporter());
  });
});
