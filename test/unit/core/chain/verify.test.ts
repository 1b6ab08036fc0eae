import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Db } from '../../../../electron/core/vault/database';
import { EventLog } from '../../../../electron/core/chain/event-log';
import { ensureSource } from '../../../../electron/core/chain/self-audit';
import { signCheckpoint } from '../../../../electron/core/chain/checkpoint';
import { ChainHasher, splitFingerprint } from '../../../../electron/core/chain/chain-record';
import { verifyChain } from '../../../../electron/core/chain/verify';
import { createTestVault, newEvent, type TestVault } from './vault-fixture';

let vault: TestVault;
let workerDir: string;
let workerScript: string;

beforeAll(async () => {
  // The worker runs as plain JS, as in the shipped build: bundle it the way build.mjs does.
  // Under node_modules/.cache so the bundle resolves the native module the way out/node/ does.
  const cache = path.resolve(__dirname, '../../../../node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  workerDir = mkdtempSync(path.join(cache, 'attest-verify-worker-'));
  workerScript = path.join(workerDir, 'verify-worker.js');
  await build({
    entryPoints: [path.resolve(__dirname, '../../../../electron/core/chain/verify-worker.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', outfile: workerScript, logLevel: 'error',
    absWorkingDir: path.resolve(__dirname, '../../../..'),
  });
});
afterAll(() => rmSync(workerDir, { recursive: true, force: true }));
beforeEach(() => {
  vault = createTestVault();
});
afterEach(() => vault.cleanup());

/** 20 events in two chunks; a checkpoint after the first (seq 10), none after the second. */
async function seed(db: Db, count = 20): Promise<void> {
  const sourceId = ensureSource(db, 'okta');
  const log = new EventLog(db);
  const half = Math.floor(count / 2);
  db.transaction(() => log.appendChunk(Array.from({ length: half }, (_, i) => newEvent(i, sourceId, 1)))).immediate();
  await signCheckpoint(db, 'vault-1', 1_000);
  db.transaction(() => log.appendChunk(Array.from({ length: count - half }, (_, i) => newEvent(half + i, sourceId, 2)))).immediate();
}

const run = (db: Db, sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);

describe('verifyChain', () => {
  it('accepts an untouched chain and reports count, head and checkpoints', async () => {
    await seed(vault.db);
    const head = vault.db.prepare('SELECT hash FROM events WHERE seq = 20').pluck().get() as Buffer;
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: true, count: 20, headSeq: 20, headHash: head.toString('hex'), checkpoints: 1, firstBadSeq: null, problem: null });
  });

  it('accepts an empty log', async () => {
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true, count: 0, headSeq: 0, firstBadSeq: null });
  });

  it('catches a renamed actor or IP dictionary entry (searches would hide events) at the first event using it', async () => {
    await seed(vault.db);
    const firstWithActor = vault.db.prepare('SELECT min(seq) FROM events WHERE actor_id IS NOT NULL').pluck().get() as number;
    const actorId = vault.db.prepare('SELECT actor_id FROM events WHERE seq = ?').pluck().get(firstWithActor) as number;
    run(vault.db, "UPDATE dim_values SET value = 'someone-else' WHERE id = ?", actorId);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: firstWithActor });
    expect(report.problem).toMatch(/actor index disagrees/);

    run(vault.db, 'UPDATE dim_values SET value = ? WHERE id = ?', JSON.parse(vault.db.prepare('SELECT event FROM events WHERE seq = ?').pluck().get(firstWithActor) as string).actor.user.name, actorId);
    expect((await verifyChain({ db: vault.db })).ok).toBe(true);
    const firstWithIp = vault.db.prepare('SELECT min(seq) FROM events WHERE ip_id IS NOT NULL').pluck().get() as number;
    run(vault.db, 'UPDATE events SET ip_id = NULL WHERE seq = ?', firstWithIp);
    // ip_id is also hashed, so the chain itself catches this one.
    expect((await verifyChain({ db: vault.db })).firstBadSeq).toBe(firstWithIp);
  });

  it('catches an edited event JSON at its seq', async () => {
    await seed(vault.db);
    run(vault.db, "UPDATE events SET event = replace(event, 'login 6', 'login X') WHERE seq = 7");
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 7, count: 6 });
  });

  it('catches edited raw bytes at their seq', async () => {
    await seed(vault.db);
    run(vault.db, 'UPDATE events SET raw = ? WHERE seq = 14', Buffer.from('something else'));
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 14 });
  });

  it.each(['status_id = 2', 'time = time + 1', 'class_uid = 1', 'severity_id = 5', 'activity_id = 2', 'source_id = 99', 'batch_id = NULL', 'fp = fp + 1', 'actor_id = NULL', 'ip_id = ip_id + 1'])(
    'catches an edited column (%s) at its seq',
    async (assignment) => {
      await seed(vault.db);
      run(vault.db, `UPDATE events SET ${assignment} WHERE seq = 12`);
      expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 12 });
    },
  );

  it('catches a column rewritten with a value of another type', async () => {
    await seed(vault.db);
    run(vault.db, "UPDATE events SET status_id = 'one' WHERE seq = 3");
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('catches a deleted event at its seq (gap)', async () => {
    await seed(vault.db);
    run(vault.db, 'DELETE FROM events WHERE seq = 5');
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 5 });
    expect(report.problem).toMatch(/missing/);
  });

  it('catches a forged row appended after the head at its seq', async () => {
    await seed(vault.db);
    run(vault.db, `INSERT INTO events (seq, time, fp, class_uid, activity_id, status_id, severity_id, actor_id, ip_id, source_id, batch_id, event, raw, hash)
      SELECT 21, time + 5, fp + 1, class_uid, activity_id, status_id, severity_id, actor_id, ip_id, source_id, batch_id, event, raw, hash FROM events WHERE seq = 20`);
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 21, headSeq: 21 });
  });

  it('catches a forged row inserted mid-chain (later events renumbered) at its seq', async () => {
    await seed(vault.db);
    run(vault.db, 'UPDATE events SET seq = seq + 1000 WHERE seq >= 8');
    run(vault.db, 'UPDATE events SET seq = seq - 999 WHERE seq >= 1000');
    // The forger copies the neighbour's hash: the row does not chain from event 7.
    run(vault.db, `INSERT INTO events (seq, time, fp, class_uid, activity_id, status_id, severity_id, actor_id, ip_id, source_id, batch_id, event, raw, hash)
      SELECT 8, time - 1, fp, class_uid, activity_id, 2, severity_id, actor_id, ip_id, source_id, batch_id, event, raw, hash FROM events WHERE seq = 9`);
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 8 });
  });

  it('a forger who recomputes the inserted row\'s hash is caught at the next seq, the first displaced event', async () => {
    await seed(vault.db);
    const { db } = vault;
    run(db, 'UPDATE events SET seq = seq + 1000 WHERE seq >= 15');
    run(db, 'UPDATE events SET seq = seq - 999 WHERE seq >= 1000');
    const model = db.prepare('SELECT * FROM events WHERE seq = 16').get() as Record<string, number | Buffer | string | null>;
    const prev = db.prepare('SELECT hash FROM events WHERE seq = 14').pluck().get() as Buffer;
    const fp = splitFingerprint(123n);
    const event = Buffer.from(String(model.event).replace('login', 'forged'), 'utf8');
    const forged = {
      seq: 15, time: (model.time as number) - 1, ...fp, classUid: 3002, activityId: 1, statusId: 1, severityId: 1,
      actorId: model.actor_id as number, ipId: model.ip_id as number, sourceId: model.source_id as number, batchId: 2, event, raw: model.raw as Buffer,
    };
    const hash = new ChainHasher().next(prev, forged);
    run(db, `INSERT INTO events (seq, time, fp, class_uid, activity_id, status_id, severity_id, actor_id, ip_id, source_id, batch_id, event, raw, hash)
      VALUES (15, ?, ?, 3002, 1, 1, 1, ?, ?, ?, 2, ?, ?, ?)`, forged.time, fp.stored, forged.actorId, forged.ipId, forged.sourceId, event.toString('utf8'), forged.raw, hash);
    expect(await verifyChain({ db })).toMatchObject({ ok: false, firstBadSeq: 16 });
  });

  it('catches a chain rewritten consistently from an edited event through a signed checkpoint', async () => {
    await seed(vault.db);
    const { db } = vault;
    run(db, "UPDATE events SET event = replace(event, 'login 2', 'login Z') WHERE seq = 3");
    rehashFrom(db, 3);
    const report = await verifyChain({ db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 10 });
    expect(report.problem).toMatch(/checkpoint signed at event 10/);
  });

  it('catches events removed from the end when a checkpoint covered them', async () => {
    await seed(vault.db);
    run(vault.db, 'DELETE FROM events WHERE seq >= 10');
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 10, headSeq: 9 });
  });

  it('catches a checkpoint whose signature or content was altered', async () => {
    await seed(vault.db);
    const jws = vault.db.prepare('SELECT jws FROM checkpoints').pluck().get() as string;
    const [h, p, s] = jws.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    payload.time = 2_000;
    run(vault.db, 'UPDATE checkpoints SET jws = ?', `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 10 });
    expect(report.problem).toMatch(/signature/);
  });

  it('checks checkpoints against a trusted public key when given one', async () => {
    await seed(vault.db);
    const { exportPublicJwk } = await import('../../../../electron/core/chain/checkpoint');
    const genuine = exportPublicJwk(vault.db);
    expect((await verifyChain({ db: vault.db }, { trustedPublicJwk: genuine })).ok).toBe(true);
    // An attacker who replaced the vault's key and re-signed cannot pass the auditor's kept key.
    const { generateKeyPair, exportJWK } = await import('jose');
    const other = await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).publicKey);
    expect(await verifyChain({ db: vault.db }, { trustedPublicJwk: other })).toMatchObject({ ok: false, firstBadSeq: 10 });
    expect((await verifyChain({ db: vault.db }, { vaultId: 'another-vault' })).ok).toBe(false);
  });

  it('splits the work across worker threads with the same result', async () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    // 30,000 events (several verification batches per thread), split across 2 threads.
    for (let c = 0; c < 3; c++) {
      db.transaction(() => log.appendChunk(Array.from({ length: 10_000 }, (_, i) => newEvent(c * 10_000 + i, sourceId, c)))).immediate();
    }
    await signCheckpoint(db, 'vault-1');
    const target = { db, key: vault.key, cipher: 'aegis' as const };
    const threads = { workerScript, threads: 2, minEventsPerThread: 1_000 };
    const single = await verifyChain({ db });
    const threaded = await verifyChain(target, threads);
    expect(single).toMatchObject({ ok: true, count: 30_000 });
    expect({ ...threaded, ms: 0 }).toEqual({ ...single, ms: 0 });

    run(db, 'UPDATE events SET status_id = 2 WHERE seq = 25001');
    run(db, 'UPDATE events SET status_id = 2 WHERE seq = 28001');
    expect(await verifyChain(target, threads)).toMatchObject({ ok: false, firstBadSeq: 25_001, count: 25_000 });
    // A break on the first row of the second thread's range (15,000 | 15,001).
    run(db, "UPDATE events SET raw = x'00' WHERE seq = 15001");
    expect(await verifyChain(target, threads)).toMatchObject({ ok: false, firstBadSeq: 15_001, count: 15_000 });
    run(db, 'DELETE FROM events WHERE seq = 9001');
    expect(await verifyChain(target, threads)).toMatchObject({ ok: false, firstBadSeq: 9_001, count: 9_000 });
  });

  it('reports a byte flipped in the middle of a closed vault file as tampering, in one line', async () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    db.transaction(() => log.appendChunk(Array.from({ length: 3_000 }, (_, i) => newEvent(i, sourceId, 1)))).immediate();
    db.close();
    const size = statSync(vault.file).size;
    const fd = openSync(vault.file, 'r+');
    const byte = Buffer.alloc(1);
    const at = Math.floor(size / 2);
    readSync(fd, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x01;
    writeSync(fd, byte, 0, 1, at);
    closeSync(fd);
    for (const options of [{}, { workerScript }]) {
      const report = await verifyChain({ file: vault.file, key: vault.key, cipher: 'aegis' }, options);
      expect(report.ok).toBe(false);
      expect(report.problem).toMatch(/altered or damaged/);
      expect(report.problem).not.toMatch(/\n/);
    }
  });
});

/** What an attacker with the key could do: recompute every hash from `from` on. */
function rehashFrom(db: Db, from: number): void {
  const hasher = new ChainHasher();
  let prev = db.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(from - 1) as Buffer;
  const rows = db.prepare('SELECT * FROM events WHERE seq >= ? ORDER BY seq').safeIntegers(true).all(from) as Record<string, bigint | Buffer | string | null>[];
  const update = db.prepare('UPDATE events SET hash = ? WHERE seq = ?');
  const num = (v: unknown) => (v === null ? null : Number(v));
  for (const r of rows) {
    const fp = splitFingerprint(r.fp as bigint);
    prev = hasher.next(prev, {
      seq: Number(r.seq), time: Number(r.time), fpHi: fp.fpHi, fpLo: fp.fpLo, classUid: Number(r.class_uid), activityId: Number(r.activity_id),
      statusId: Number(r.status_id), severityId: Number(r.severity_id), actorId: num(r.actor_id), ipId: num(r.ip_id), sourceId: Number(r.source_id),
      batchId: num(r.batch_id), event: Buffer.from(String(r.event), 'utf8'), raw: r.raw as Buffer,
    });
    update.run(prev, r.seq);
  }
}
