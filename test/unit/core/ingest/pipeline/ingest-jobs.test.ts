import { spawn, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { readStoredEvents } from '../../chain/stored-events';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IngestProgress } from '../../../../../shared/contract/events';
import { IngestJobs } from '../../../../../electron/core/ingest/ingest-jobs';
import { AttestError } from '../../../../../shared/result';
import { importFile } from '../../../../../electron/core/ingest/import-file';
import { verifyChain } from '../../../../../electron/core/chain/verify';
import { openEncryptedDatabase } from '../../../../../electron/core/vault/database';
import { createPipelineVault, eventCount, expectReconciled, NOW, ocsfLines, VAULT_ID, type PipelineVault } from './pipeline-fixture';
import { cloudTrailRecordsLines } from './container-records';

const ROOT = path.resolve(__dirname, '../../../../..');
const WORKER = path.join(ROOT, 'out/node/ingest-worker.js');

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'build/scripts/build.mjs'), '--node', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  expect(existsSync(WORKER)).toBe(true);
}, 120_000);

let vault: PipelineVault;
beforeEach(() => {
  vault = createPipelineVault();
});
afterEach(() => vault.cleanup());

function jobsFor(onProgress: (p: IngestProgress) => void = () => undefined): IngestJobs {
  return new IngestJobs({
    workerScript: WORKER,
    openKey: () => ({ key: Buffer.from(vault.key), cipher: 'aegis', file: vault.file, vaultId: VAULT_ID }), // a copy: the importer zeroes it
    operator: 'worker-test',
    onProgress,
    progressIntervalMs: 20,
  });
}

describe('IngestJobs with the real worker', () => {
  it('a re-import through the parse thread counts lines already in quarantine as duplicates', async () => {
    const file = vault.input('bad.jsonl');
    writeFileSync(file, ocsfLines(50) + 'broken line\n' + 'broken line\n' + '[1,2\n');
    const jobs = jobsFor();
    const [first] = await jobs.wait(jobs.start([{ path: file }]));
    expect(first).toMatchObject({ read: 53, imported: 50, quarantined: 3, duplicates: 0 });
    const [again] = await jobs.wait(jobs.start([{ path: file }]));
    expect(again).toMatchObject({ read: 53, imported: 0, quarantined: 0, duplicates: 53, alreadyQuarantined: 3 });
    for (const s of [first!, again!]) expectReconciled(vault.db, s);
    expect((vault.db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n).toBe(3);
  });

  it('through the parse thread too, each event of a Records line keeps its own element as raw bytes', async () => {
    const { text, records } = cloudTrailRecordsLines(4, 50);
    const file = vault.input('ct-lines.jsonl');
    writeFileSync(file, text);
    const jobs = jobsFor();
    const [s] = await jobs.wait(jobs.start([{ path: file }]));
    expect(s).toMatchObject({ format: 'cloudtrail', read: 200, imported: 200 });
    const db = openEncryptedDatabase(vault.file, vault.key, 'aegis');
    try {
      const raws = readStoredEvents(db).filter((e) => e.batch_id === s!.batchId).map((e) => e.raw.toString());
      expect(raws).toEqual(records.flat());
    } finally {
      db.close();
    }
  });

  it('imports several files, reports progress and a summary per file', async () => {
    const a = vault.input('a.jsonl');
    const b = vault.input('b.jsonl');
    writeFileSync(a, ocsfLines(30_000));
    writeFileSync(b, ocsfLines(100, 29_950) + 'broken line\n');
    const progress: IngestProgress[] = [];
    const jobs = jobsFor((p) => progress.push(p));
    const id = jobs.start([{ path: a, name: 'first.jsonl' }, { path: b }]);
    expect(jobs.result(id).state).toBe('running');
    const summaries = await jobs.wait(id);
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toMatchObject({ file: 'first.jsonl', read: 30_000, imported: 30_000, cancelled: false, error: null });
    expect(summaries[1]).toMatchObject({ file: 'b.jsonl', read: 101, imported: 50, duplicates: 50, quarantined: 1 });
    for (const s of summaries) expectReconciled(vault.db, s);
    expect(jobs.result(id)).toEqual({ state: 'done', summaries });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.jobId === id && p.fileCount === 2)).toBe(true);
    expect(progress.some((p) => p.fileIndex === 0 && p.state === 'running')).toBe(true);
    const lastOfFirst = progress.filter((p) => p.fileIndex === 0).pop()!;
    expect(lastOfFirst).toMatchObject({ state: 'done', events: 30_000, bytesRead: lastOfFirst.bytesTotal });
    expect(jobs.workerStats(id)?.maxRssBytes).toBeGreaterThan(0);
    // A checkpoint was signed by the worker.
    expect((vault.db.prepare('SELECT count(*) AS n FROM checkpoints').get() as { n: number }).n).toBeGreaterThan(0);
    await jobs.dispose();
  });

  it('cancel keeps what was committed and says so', async () => {
    const big = vault.input('big.jsonl');
    writeFileSync(big, ocsfLines(150_000));
    const other = vault.input('other.jsonl');
    writeFileSync(other, ocsfLines(10));
    let id = '';
    const jobs = jobsFor((p) => {
      if (p.events > 0 && p.state === 'running') jobs.cancel(id);
    });
    id = jobs.start([{ path: big }, { path: other }]);
    const summaries = await jobs.wait(id);
    expect(jobs.result(id).state).toBe('cancelled');
    expect(summaries[0]!.cancelled).toBe(true);
    expect(summaries[0]!.read).toBeLessThan(150_000);
    expectReconciled(vault.db, summaries[0]!);
    expect(eventCount(vault.db)).toBe(summaries[0]!.imported);
    expect(summaries[1]).toMatchObject({ cancelled: true, read: 0, batchId: null });
    expect(jobs.cancel(id)).toBe(false);
    await jobs.dispose();
  });

  it('queues jobs one at a time, cancels a queued job at once, and refuses unknown ids', async () => {
    const f = vault.input('q.jsonl');
    writeFileSync(f, ocsfLines(2000));
    const jobs = jobsFor();
    const first = jobs.start([{ path: f }]);
    const second = jobs.start([{ path: f }]);
    expect(jobs.cancel(second)).toBe(true);
    expect(jobs.result(second).state).toBe('cancelled');
    const [s] = await jobs.wait(first);
    expect(s!.imported).toBe(2000);
    expect(() => jobs.result('nope')).toThrow(/no import job/);
    await jobs.dispose();
  });

  it('refuses to start on a locked vault, and a worker that cannot open the vault fails the job', async () => {
    const locked = new IngestJobs({
      workerScript: WORKER,
      openKey: () => {
        throw new AttestError('LOCKED', 'The vault is locked.');
      },
      operator: 'x',
      onProgress: () => undefined,
    });
    expect(() => locked.start([{ path: vault.input('x.jsonl') }])).toThrow(/locked/);
    await locked.dispose();
    const wrongKey = new IngestJobs({
      workerScript: WORKER,
      openKey: () => ({ key: Buffer.alloc(32, 1), cipher: 'aegis', file: vault.file, vaultId: VAULT_ID }),
      operator: 'x',
      onProgress: () => undefined,
    });
    const f = vault.input('x.jsonl');
    writeFileSync(f, ocsfLines(3));
    const id = wrongKey.start([{ path: f }]);
    await expect(wrongKey.wait(id)).rejects.toThrow(/integrity|could not be opened/);
    expect(wrongKey.result(id)).toMatchObject({ state: 'failed', summaries: [{ imported: 0, error: expect.stringMatching(/Not imported/) }] });
    await wrongKey.dispose();
  });
});

describe('parse thread', () => {
  it('stores exactly what the in-thread path stores: same events, fingerprints, hashes, quarantine and counts', async () => {
    // Repeated lines (occurrence counting), a broken line, a line with an invalid id and a NUL escape.
    const line = ocsfLines(1, 7);
    // Lines already in Attest's canonical form are stored once, as version 2 records: ASCII ones travel from
    // the parse thread without a copy, one with non-ASCII text travels as bytes for the log to compare.
    const canonical = (day: number, message: string) =>
      JSON.stringify({ class_uid: 3002, class_name: 'Authentication', activity_id: 1, activity_name: 'Logon', time: Date.UTC(2026, 9, day), status_id: 1, status: 'Success', severity_id: 1, message, metadata: { product: {} } }) + '\n';
    const text = ocsfLines(5_000) + line + line + 'broken line\n' + '{"class_uid":"x"}\n' +
      JSON.stringify({ class_uid: 3002, activity_id: 1, time: Date.UTC(2026, 9, 2), status_id: 1, severity_id: 1, message: 'a\u0000b', metadata: { product: {} } }) + '\n' +
      canonical(3, 'Zugriff für Jörg') + canonical(4, 'plain') + canonical(5, 'also plain');
    const input = vault.input('same.jsonl');
    writeFileSync(input, text);
    const inThread = await importFile(vault.db, { path: input }, { operator: 'a', now: NOW, chunkEvents: 1_000 });
    const other = createPipelineVault();
    try {
      // Low bounds make the parse thread start its numbering of actors and IPs over many times.
      const threaded = await importFile(other.db, { path: input }, { operator: 'a', now: NOW, chunkEvents: 1_000, parseThreadScript: WORKER, numberedValuesBound: 50, numberedCharsBound: 400 });
      const pick = ({ read, imported, duplicates, quarantined, error }: typeof inThread) => ({ read, imported, duplicates, quarantined, error });
      expect(pick(threaded)).toEqual(pick(inThread));
      expect(pick(threaded)).toMatchObject({ read: 5_008, imported: 5_006, duplicates: 0, quarantined: 2, error: null });
      expectReconciled(other.db, threaded);
      // The import's own audit event carries a random fingerprint: compare the imported events.
      const rows = (db: typeof vault.db) =>
        db.prepare('SELECT seq, fp, event, raw, hash, actor_id, ip_id FROM events WHERE batch_id IS NOT NULL ORDER BY seq').safeIntegers(true).all();
      expect(rows(other.db)).toEqual(rows(vault.db));
      const once = readStoredEvents(other.db).filter((e) => e.batch_id !== null && e.version === 2);
      expect(once.map((e) => JSON.parse(e.event) as { message: string }).map((e) => e.message)).toEqual(['Zugriff für Jörg', 'plain', 'also plain']);
      const quarantine = (db: typeof vault.db) => db.prepare('SELECT line, reason, raw FROM quarantine ORDER BY id').all();
      expect(quarantine(other.db)).toEqual(quarantine(vault.db));
      const opts = (db: typeof vault.db) => JSON.parse(db.prepare('SELECT options FROM batches').pluck().get() as string) as { notes?: string[] };
      expect(opts(other.db).notes).toEqual(opts(vault.db).notes);
      expect(opts(other.db).notes?.length).toBeGreaterThan(0);
    } finally {
      other.cleanup();
    }
  }, 60_000);
});

describe('crash safety', () => {
  it('kill -9 mid-import leaves a vault that opens and verifies; re-running completes it with no duplicates', async () => {
    const childJs = path.join(vault.dir, 'kill-child.js');
    await build({
      entryPoints: [path.join(__dirname, 'kill-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      outfile: childJs,
      absWorkingDir: ROOT,
      logLevel: 'error',
      nodePaths: [path.join(ROOT, 'node_modules')],
    });
    const N = 30_000;
    const input = vault.input('large.jsonl');
    writeFileSync(input, ocsfLines(N));
    vault.db.close();

    const child = spawn(process.execPath, [childJs, input, vault.file, 'aegis'], {
      env: { ...process.env, ATTEST_TEST_KEY: vault.key.toString('hex'), NODE_PATH: path.join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const watcher = openEncryptedDatabase(vault.file, vault.key, 'aegis');
    let committed = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      const row = watcher.prepare('SELECT imported FROM batches ORDER BY id DESC LIMIT 1').get() as { imported: number } | undefined;
      committed = row?.imported ?? 0;
      if (committed >= 3000) break;
    }
    watcher.close();
    child.kill('SIGKILL');
    await exited;
    expect(stderr).toBe('');
    expect(committed).toBeGreaterThanOrEqual(3000);
    expect(committed).toBeLessThan(N);

    const db = vault.reopen();
    const report = await verifyChain({ db });
    expect(report.ok).toBe(true);
    const before = eventCount(db);
    expect(before).toBeGreaterThanOrEqual(committed);
    const rerun = await importFile(db, { path: input }, { operator: 'test', now: NOW, vaultId: VAULT_ID });
    expectReconciled(db, rerun);
    expect(rerun.read).toBe(N);
    expect(rerun.duplicates).toBe(before);
    expect(rerun.imported).toBe(N - before);
    expect(eventCount(db)).toBe(N);
    const states = (db.prepare('SELECT state FROM batches ORDER BY id').all() as { state: string }[]).map((r) => r.state);
    expect(states).toEqual(['interrupted', 'done']);
    // The interrupted import is in the chain with what it had committed, like every other import.
    const interrupted = readStoredEvents(db)
      .map((e) => JSON.parse(e.event) as { unmapped?: { outcome?: string; imported?: number } })
      .filter((e) => e.unmapped?.outcome === 'interrupted');
    expect(interrupted.map((e) => e.unmapped?.imported)).toEqual([before]);
    expect((await verifyChain({ db })).ok).toBe(true);
  });
});
