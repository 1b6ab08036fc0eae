import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEncryptedDatabase, type Db } from '../../../../electron/core/vault/database';
import { migrate, LATEST_SCHEMA_VERSION } from '../../../../electron/core/vault/migrator';
import { migrations } from '../../../../electron/core/vault/migrations';
import { PASS, expectAttestError, makeVault, removeDir, tempDir } from './helpers';
import { ChainHasher, GENESIS_HASH, splitFingerprint } from '../../../../electron/core/chain/chain-record';
import { verifyChain } from '../../../../electron/core/chain/verify';
import { readStoredEvents } from '../chain/stored-events';
import { EventLog } from '../../../../electron/core/chain/event-log';
import { ensureSource } from '../../../../electron/core/chain/self-audit';
import { newEvent } from '../chain/vault-fixture';

let root: string;
let db: Db;
beforeEach(() => {
  root = tempDir();
  db = openEncryptedDatabase(path.join(root, 'm.sqlite'), crypto.randomBytes(32), 'aegis');
});
afterEach(() => {
  if (db.open) db.close();
  removeDir(root);
});

const tables = (d: Db) =>
  (d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
const indexes = (d: Db) =>
  (d.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
/** Every table's definition, and the meta rows once that table exists: what a migration changes. */
const schemaAndMeta = (d: Db) => ({
  schema: d.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").all(),
  meta: tables(d).includes('meta') ? d.prepare('SELECT key, value FROM meta ORDER BY key').all() : [],
});
const columns = (d: Db, table: string) => (d.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);

/** What each migration adds. A new migration without an entry here fails the first test. */
const shapes: Record<number, (d: Db) => void> = {
  1: (d) => {
    expect(tables(d)).toEqual(
      expect.arrayContaining(['meta', 'sources', 'batches', 'dim_values', 'events', 'postings', 'quarantine', 'checkpoints', 'signing_keys']),
    );
    expect(indexes(d)).toEqual(expect.arrayContaining(['events_time_fp', 'quarantine_batch']));
    expect(columns(d, 'events')).toEqual([
      'seq', 'time', 'fp', 'class_uid', 'activity_id', 'status_id', 'severity_id', 'actor_id', 'ip_id', 'source_id', 'batch_id', 'event', 'raw', 'hash',
    ]);
    expect(columns(d, 'sources')).toContain('name');
  },
  2: (d) => {
    expect(tables(d)).toEqual(expect.arrayContaining(['event_chunks', 'event_summary']));
    expect(columns(d, 'event_chunks')).toEqual(['first_seq', 'last_seq', 'min_time', 'max_time', 'count']);
    expect(columns(d, 'event_summary')).toEqual(['dim', 'outcome', 'minute', 'key_id', 'n']);
  },
  3: (d) => {
    expect(tables(d)).toEqual(expect.arrayContaining(['event_blocks', 'event_keys']));
    expect(tables(d)).not.toContain('events');
    expect(tables(d)).not.toContain('event_chunks');
    expect(columns(d, 'event_blocks')).toEqual(['first_seq', 'last_seq', 'min_time', 'max_time', 'count', 'head_hash', 'data']);
    expect(columns(d, 'event_keys')).toEqual(['time', 'fp']);
  },
  4: (d) => {
    expect(d.prepare("SELECT value FROM meta WHERE key = 'chain_record_versions'").pluck().get()).toBe('1,2');
    expect(columns(d, 'dim_values')).toEqual(['id', 'kind', 'value', 'first_seq']);
    expect(indexes(d)).toContain('dim_values_first_seq');
  },
  5: (d) => {
    expect(columns(d, 'batches')).toContain('importer');
    expect(columns(d, 'quarantine')).toEqual(expect.arrayContaining(['fp', 'occurrence']));
    expect(indexes(d)).toContain('quarantine_fp');
  },
  6: (d) => {
    expect(columns(d, 'signed_envelopes')).toEqual(['id', 'sha256', 'jws', 'records']);
    expect(columns(d, 'quarantine')).toContain('envelope');
    expect(d.prepare("SELECT value FROM meta WHERE key = 'chain_record_versions'").pluck().get()).toBe('1,2,3');
  },
  7: (d) => {
    // A recount (Attest's own events apart), and the dim they are kept in: the table keeps its columns.
    expect(columns(d, 'event_summary')).toEqual(['dim', 'outcome', 'minute', 'key_id', 'n']);
    expect(d.prepare("SELECT value FROM meta WHERE key = 'summary_own_dim'").pluck().get()).toBe('7');
  },
  8: (d) => {
    expect(columns(d, 'quarantine')).toContain('element');
  },
};

describe('schema migrations', () => {
  it('are numbered 1..N in order, and every one has a shape test below', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(Object.keys(shapes).map(Number)).toEqual(migrations.map((m) => m.version));
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length);
  });

  for (const m of migrations) {
    it(`migration ${m.version} (${m.name}) upgrades a version ${m.version - 1} vault`, () => {
      migrate(db, migrations.slice(0, m.version - 1));
      expect(Number(db.pragma('user_version', { simple: true }))).toBe(m.version - 1);
      const before = schemaAndMeta(db);
      expect(migrate(db, migrations.slice(0, m.version))).toEqual({ from: m.version - 1, to: m.version });
      expect(Number(db.pragma('user_version', { simple: true }))).toBe(m.version);
      expect(schemaAndMeta(db)).not.toEqual(before);
      shapes[m.version]!(db);
      // Running again is a no-op.
      expect(migrate(db, migrations.slice(0, m.version))).toEqual({ from: m.version, to: m.version });
    });
  }

  it('runs all pending steps in one transaction: a failing step leaves nothing behind', () => {
    const broken = [...migrations, { version: migrations.length + 1, name: 'broken', up: 'CREATE TABLE ok_one (x); CREATE TABLE sources (x);' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(Number(db.pragma('user_version', { simple: true }))).toBe(0);
    expect(tables(db)).toEqual([]);
  });

  it('migration 3 repacks a row-per-event log with its stored hashes: the chain, head and keys are unchanged', async () => {
    migrate(db, migrations.slice(0, 2));
    db.prepare("INSERT INTO sources (id, name, created_at) VALUES (1, 'okta', 0)").run();
    db.prepare("INSERT INTO dim_values (id, kind, value) VALUES (1, 1, 'alice')").run();
    const insert = db.prepare(
      `INSERT INTO events (seq, time, fp, class_uid, activity_id, status_id, severity_id, actor_id, ip_id, source_id, batch_id, event, raw, hash)
       VALUES (?, ?, ?, 3002, 1, 1, 1, ?, NULL, 1, NULL, ?, ?, ?)`,
    );
    const hasher = new ChainHasher();
    let prev = GENESIS_HASH;
    const count = 2500; // several blocks
    for (let seq = 1; seq <= count; seq++) {
      const event = JSON.stringify({ class_uid: 3002, activity_id: 1, time: 1_700_000_000_000 + seq, status_id: 1, severity_id: 1, actor: { user: { name: 'alice' } }, metadata: { product: { name: 'x' } } });
      // Every third row's raw bytes are its event JSON: hashed as version 1 (the only version then), they
      // must be repacked as version 1, not stored once as version 2.
      const raw = seq % 3 === 0 ? Buffer.from(event, 'utf8') : Buffer.from(`line ${seq}`);
      const fp = BigInt(seq) * 7919n - 5_000_000n; // some negative, as stored fingerprints can be
      const { fpHi, fpLo } = splitFingerprint(fp);
      const record = { seq, time: 1_700_000_000_000 + seq, fpHi, fpLo, classUid: 3002, activityId: 1, statusId: 1, severityId: 1, actorId: 1, ipId: null, sourceId: 1, batchId: null, event, raw, version: 1 };
      const hash = hasher.next(prev, record);
      insert.run(seq, record.time, fp, 1, event, raw, hash);
      prev = hash;
    }
    // An event altered before the upgrade must stay detectable after it (the migration copies, never re-hashes).
    db.prepare("UPDATE events SET raw = x'00' WHERE seq = 1700").run();
    migrate(db);
    expect(db.prepare('SELECT count(*) FROM event_blocks').pluck().get()).toBeGreaterThan(1);
    expect(db.prepare('SELECT count(*) FROM event_keys').pluck().get()).toBe(count);
    const report = await verifyChain({ db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 1700, headSeq: count, headHash: prev.toString('hex') });
    const rows = readStoredEvents(db);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(rows[99]!.fp).toBe(100n * 7919n - 5_000_000n);
    expect(rows[2]!.version).toBe(1);
    expect(rows[2]!.raw.toString('utf8')).toBe(rows[2]!.event);
    // Apart from the event altered before the upgrade, everything verifies.
    expect(report.count).toBe(1699);
  });

  it('migration 4 fills in each dictionary entry\'s first event and recounts the Overview from the log, and the vault verifies', async () => {
    migrate(db, migrations.slice(0, 4));
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    const items = Array.from({ length: 3000 }, (_, i) => newEvent(i, sourceId, 1, { user: `user${i % 40}`, ip: `10.1.${i % 9}.${i % 250}`, statusId: i % 4 === 0 ? 2 : 1, ...(i % 3 === 0 ? { uid: `uid-${i % 60}` } : {}) }));
    for (let i = 0; i < items.length; i += 1000) db.transaction(() => log.appendChunk(items.slice(i, i + 1000))).immediate();
    const written = db.prepare('SELECT id, first_seq FROM dim_values ORDER BY id').all();
    expect(written.length).toBeGreaterThan(40 + 60);
    const summary = () => db.prepare('SELECT * FROM event_summary ORDER BY dim, outcome, minute, key_id').all();
    const counted = summary();
    expect(counted.length).toBeGreaterThan(100);
    // Back to schema 3: no first_seq, no marker, and (as migration 2 left vaults that already held events)
    // the Overview's counts missing the older events.
    db.exec(`DROP INDEX dim_values_first_seq; ALTER TABLE dim_values DROP COLUMN first_seq; DELETE FROM meta WHERE key = 'chain_record_versions';
             DELETE FROM event_summary WHERE minute < (SELECT max(minute) FROM event_summary) - 10;`);
    db.pragma('user_version = 3');
    expect(summary()).not.toEqual(counted);
    expect(migrate(db)).toEqual({ from: 3, to: LATEST_SCHEMA_VERSION });
    expect(db.prepare('SELECT id, first_seq FROM dim_values ORDER BY id').all()).toEqual(written);
    expect(summary()).toEqual(counted);
    expect(await verifyChain({ db })).toMatchObject({ ok: true, count: 3000 });
  });

  it('refuses a vault from a newer version (VAULT_TOO_NEW)', async () => {
    migrate(db);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    const err = await expectAttestError(() => migrate(db), 'VAULT_TOO_NEW');
    expect(err.message).toMatch(/newer version of Attest/);
  });

  it('the service refuses to unlock a newer vault and leaves it untouched', async () => {
    const dir = path.join(root, 'vault');
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    vault.database().pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    await vault.lock();
    const err = await expectAttestError(vault.unlockWithPassphrase(PASS), 'VAULT_TOO_NEW');
    expect(err.message).toContain(`schema ${LATEST_SCHEMA_VERSION + 5}`);
    expect(vault.isUnlocked).toBe(false);
    // The right passphrase was given: no failed attempt is counted.
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'vault.json'), 'utf8')).failedUnlocks.count).toBe(0);
  });
});
