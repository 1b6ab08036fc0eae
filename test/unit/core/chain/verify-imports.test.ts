import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../../electron/core/ingest/import-file';
import { createBatch } from '../../../../electron/core/ingest/import-batches';
import { ensureSource, eventLogFor } from '../../../../electron/core/chain/self-audit';
import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { retryQuarantine } from '../../../../electron/core/ingest/quarantine';
import { verifyChain } from '../../../../electron/core/chain/verify';
import { createPipelineVault, NOW, ocsfLines, type PipelineVault } from '../ingest/pipeline/pipeline-fixture';
import { buildVerifyWorker } from './verify-worker-build';

let vault: PipelineVault;
beforeEach(() => {
  vault = createPipelineVault();
});
afterEach(() => vault.cleanup());
let worker: Awaited<ReturnType<typeof buildVerifyWorker>>;
beforeAll(async () => {
  worker = await buildVerifyWorker();
});
afterAll(() => worker.dispose());

/** Imports 6 good OCSF lines and 3 rejected ones; returns the batch id and the seq of its audit event. */
async function importWithQuarantine(name = 'mixed.jsonl', first = 0): Promise<{ batchId: number; auditSeq: number }> {
  const file = vault.input(name);
  // Lines of their own per file: a line already in quarantine from another file of the source is a duplicate.
  const bad = [`{"class_uid": "not a number", "n": ${first}}`, `{not json ${first}`, `{"class_uid":3002,"activity_id":1,"time":"yesterday","n":${first}}`];
  const good = ocsfLines(6, first).trimEnd().split('\n');
  writeFileSync(file, [good[0], bad[0], good[1], good[2], bad[1], good[3], good[4], bad[2], good[5]].join('\n') + '\n');
  const summary = await importFile(vault.db, { path: file }, { operator: 'olga', now: NOW });
  expect(summary).toMatchObject({ read: 9, imported: 6, quarantined: 3, error: null });
  const audit = vault.db
    .prepare("SELECT e.seq, e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'attest' AND e.event LIKE '%ingest.import%' ORDER BY e.seq DESC")
    .get() as { seq: number; event: string };
  const details = (JSON.parse(audit.event) as { unmapped: Record<string, unknown> }).unmapped;
  expect(details).toMatchObject({ quarantine_rows: 3, quarantine_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  return { batchId: summary.batchId!, auditSeq: audit.seq };
}

const run = (sql: string, ...params: unknown[]) => vault.db.prepare(sql).run(...params);

describe('verify holds batches and their quarantine to the chained import record', () => {
  it('accepts an untouched import, and one whose quarantine was retried (rows resolved, reasons reworded)', async () => {
    const { batchId } = await importWithQuarantine();
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true });
    await retryQuarantine(vault.db, { batchId }, 'olga', NOW);
    run("UPDATE quarantine SET reason = 'reworded by a retry' WHERE batch_id = ?", batchId);
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true });
  });

  const tamperings: [string, (batchId: number) => void, RegExp][] = [
    ['a rejected line deleted', (b) => run('DELETE FROM quarantine WHERE id = (SELECT min(id) FROM quarantine WHERE batch_id = ?)', b), /quarantine of batch \d+ \(mixed.jsonl\), recorded by event \d+ was altered: it holds 2 rejected record\(s\), 3 were recorded/],
    ['a rejected line\'s bytes edited', (b) => run("UPDATE quarantine SET raw = CAST('{}' AS BLOB) WHERE id = (SELECT max(id) FROM quarantine WHERE batch_id = ?)", b), /line number, place in its array or bytes changed/],
    ['a rejected line renumbered', (b) => run('UPDATE quarantine SET line = line + 1 WHERE id = (SELECT max(id) FROM quarantine WHERE batch_id = ?)', b), /line number, place in its array or bytes changed/],
    ['a rejected line moved to another batch', (b) => run('UPDATE quarantine SET batch_id = ? WHERE id = (SELECT max(id) FROM quarantine WHERE batch_id = ?)', b + 1000, b), /holds 2 rejected record/],
    ['the batch\'s file renamed', (b) => run("UPDATE batches SET file = 'other.jsonl' WHERE id = ?", b), /its file name no longer match/],
    ['the batch\'s SHA-256 replaced', (b) => run("UPDATE batches SET sha256 = 'ab' WHERE id = ?", b), /its SHA-256 no longer match/],
    ['the batch\'s operator replaced', (b) => run("UPDATE batches SET operator = 'someone else' WHERE id = ?", b), /its operator no longer match/],
    ['the batch marked as cancelled', (b) => run("UPDATE batches SET state = 'cancelled' WHERE id = ?", b), /its outcome no longer match/],
    ['a rejected line given a place in an array', (b) => run('UPDATE quarantine SET element = 2 WHERE id = (SELECT min(id) FROM quarantine WHERE batch_id = ?)', b), /place in its array/],
    ['a rejected line\'s number made non-numeric', (b) => run("UPDATE quarantine SET line = 'abc' WHERE id = (SELECT min(id) FROM quarantine WHERE batch_id = ?)", b), /line number, place in its array or bytes changed/],
    // Outside probe (probe9): the counts, seq range and source name were not held to anything.
    ['an imported event recounted as a duplicate', (b) => run('UPDATE batches SET imported = imported - 1, duplicates = duplicates + 1 WHERE id = ?', b), /it says 5 event\(s\) imported \(\d+–\d+\), the log holds 6/],
    ['the seq range moved', (b) => run('UPDATE batches SET first_seq = first_seq + 10 WHERE id = ?', b), /the log holds 6/],
    ['the quarantined count zeroed', (b) => run('UPDATE batches SET quarantined = 0 WHERE id = ?', b), /its counts no longer add up \(read 9 ≠ imported 6 \+ duplicates 0 \+ quarantined 0\)/],
    ['the quarantined count zeroed with read to match', (b) => run('UPDATE batches SET quarantined = 0, read = 6 WHERE id = ?', b), /it says 0 record\(s\) quarantined, its quarantine holds 3 still open/],
    ['its source renamed (events move to another source name)', (b) => run("UPDATE sources SET name = 'okta' WHERE id = (SELECT source_id FROM batches WHERE id = ?)", b), /its source no longer match/],
    ['the batch moved to another source', (b) => run("UPDATE batches SET source_id = (SELECT id FROM sources WHERE name = 'attest') WHERE id = ?", b), /its source no longer match/],
  ];
  it.each(tamperings)('catches %s, at the audit event that recorded the import', async (_name, tamper, message) => {
    const { batchId, auditSeq } = await importWithQuarantine();
    vault.db.pragma('foreign_keys = OFF'); // an attacker is not bound by them
    tamper(batchId);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: auditSeq });
    expect(report.problem).toMatch(message);
  });

  it('holds a record\'s place in its JSON array to the import record: moved or cleared, verify says so', async () => {
    const file = vault.input('records.json');
    const ok = { eventVersion: '1.08', eventTime: '2026-10-01T08:00:00Z', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userIdentity: { type: 'IAMUser', userName: 'u1' }, eventID: 'id-1' };
    writeFileSync(file, JSON.stringify({ Records: [ok, { eventName: 'ConsoleLogin', eventID: 'bad-2' }, { eventName: 'ConsoleLogin', eventID: 'bad-3' }] }));
    const summary = await importFile(vault.db, { path: file }, { operator: 'olga', now: NOW });
    expect(summary).toMatchObject({ imported: 1, quarantined: 2 });
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true });
    for (const [tamper, undo] of [
      ['UPDATE quarantine SET element = 3 WHERE element = 2', 'UPDATE quarantine SET element = 2 WHERE id = (SELECT min(id) FROM quarantine)'],
      ['UPDATE quarantine SET element = NULL WHERE element = 2', 'UPDATE quarantine SET element = 2 WHERE id = (SELECT min(id) FROM quarantine)'],
      ["UPDATE quarantine SET element = 'two' WHERE element = 2", 'UPDATE quarantine SET element = 2 WHERE id = (SELECT min(id) FROM quarantine)'],
    ] as const) {
      run(tamper);
      const report = await verifyChain({ db: vault.db });
      expect(report, tamper).toMatchObject({ ok: false });
      expect(report.problem).toMatch(/place in its array/);
      run(undo);
      expect(await verifyChain({ db: vault.db }), undo).toMatchObject({ ok: true });
    }
  });

  it('takes import records only from Attest\'s own events, not from imported lines that look like them', async () => {
    // Review finding: a hostile line imported under the source name "attest" posed as an import record.
    const file = vault.input('spoof.jsonl');
    const spoof = { class_uid: 3004, activity_id: 1, time: Date.UTC(2026, 9, 1), status_id: 1, severity_id: 1, api: { operation: 'ingest.import' }, resources: [{ type: 'import batch', name: 'evil.log', uid: '1' }], unmapped: { file: 'evil.log', bytes: 1, quarantine_rows: 9, quarantine_sha256: '00'.repeat(32) }, metadata: { product: {} } };
    writeFileSync(file, JSON.stringify(spoof) + '\n');
    // Imports under that name are refused now (source-name.ts)...
    const summary = await importFile(vault.db, { path: file }, { operator: 'olga', source: 'attest', now: NOW });
    expect(summary.error).toMatch(/reserved/);
    // ...but a vault written before could hold such a line, as an import wrote it: with a batch.
    const sourceId = ensureSource(vault.db, 'attest');
    const batchId = createBatch(vault.db, { sourceId, file: 'spoof.jsonl', bytes: 1, sha256: '', format: 'ocsf', options: {}, operator: 'olga', startedAt: NOW });
    const raw = Buffer.from(JSON.stringify(spoof));
    const appended = vault.db.transaction(() => eventLogFor(vault.db).appendChunk([{ event: spoof as unknown as CanonicalEvent, raw, fp: 12345n, sourceId, batchId }])).immediate();
    // The batch's counts as an import keeps them (verify holds them to its events).
    vault.db.prepare('UPDATE batches SET read = 1, imported = 1, first_seq = ?, last_seq = ? WHERE id = ?').run(appended.firstSeq, appended.lastSeq, batchId);
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true });
  });

  it('verifies a log whose actor and IP values hold lone surrogates (stored by SQLite as U+FFFD)', async () => {
    // Review finding: one such line made every later verify report the dictionary as altered.
    const file = vault.input('surrogates.jsonl');
    const line = (i: number, name: string) =>
      JSON.stringify({ class_uid: 3002, activity_id: 1, time: Date.UTC(2026, 9, 1) + i, status_id: 2, severity_id: 1, actor: { user: { name, uid: `${name}-uid` } }, src_endpoint: { ip: `${name}-ip` }, metadata: { product: {} } });
    writeFileSync(file, [line(1, 'mallory\ud800'), line(2, 'mallory\udc01'), line(3, 'plain')].join('\n') + '\n');
    const summary = await importFile(vault.db, { path: file }, { operator: 'olga', now: NOW });
    expect(summary).toMatchObject({ imported: 3, error: null });
    const report = await verifyChain({ db: vault.db });
    expect(report.problem).toBeNull();
    expect(report).toMatchObject({ ok: true });
  });

  it('collects the import records from every verification thread', async () => {
    await importWithQuarantine('a.jsonl', 0);
    await importWithQuarantine('b.jsonl', 100);
    const { batchId, auditSeq } = await importWithQuarantine('c.jsonl', 200);
    const threaded = () => verifyChain({ db: vault.db, key: vault.key, cipher: 'aegis' }, { workerScript: worker.script, threads: 2, minEventsPerThread: 1 });
    expect(await threaded()).toMatchObject({ ok: true });
    run('DELETE FROM quarantine WHERE id = (SELECT min(id) FROM quarantine WHERE batch_id = ?)', batchId);
    const single = await verifyChain({ db: vault.db });
    expect(single).toMatchObject({ ok: false, firstBadSeq: auditSeq });
    expect({ ...(await threaded()), ms: 0 }).toEqual({ ...single, ms: 0 });
  });
});
