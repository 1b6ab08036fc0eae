import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEncryptedDatabase, type Db } from '../../../../electron/core/vault/database';
import { createMemoryKeyStore } from '../../../../electron/core/vault/keystore';
import { PASS, expectAttestError, makeVault, operations, removeDir, tempDir } from './helpers';

let dir: string;
beforeEach(() => {
  dir = path.join(tempDir(), 'vault');
});
afterEach(() => removeDir(path.dirname(dir)));

const readJson = () => JSON.parse(fs.readFileSync(path.join(dir, 'vault.json'), 'utf8'));
const dbFile = () => path.join(dir, 'vault.sqlite');

function insertMarkers(db: Db, n: number): void {
  const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(`marker-${i}`, `value-${i}-${'x'.repeat(200)}`);
  })();
}

function countMarkers(db: Db): number {
  return (db.prepare("SELECT count(*) AS n FROM meta WHERE key LIKE 'marker-%'").get() as { n: number }).n;
}

/** Simulates a crash: the connection goes away without any further step of the operation. */
class Crash extends Error {}
const crashAt = (db: Db) => {
  db.close();
  throw new Crash('simulated crash');
};

describe('VaultService.rekey', () => {
  it('rotates the key: data intact, the old key no longer opens the database, every method re-wrapped', async () => {
    const keyStore = createMemoryKeyStore();
    const { vault } = makeVault(dir, { keyStore });
    await vault.create({ passphrase: PASS, keychain: true });
    insertMarkers(vault.database(), 500);
    const oldKey = vault.databaseKey().key;
    const before = readJson();

    const status = await vault.rekey();
    const newKey = vault.databaseKey().key;
    expect(newKey.equals(oldKey)).toBe(false);
    expect(countMarkers(vault.database())).toBe(500);
    const after = readJson();
    expect(after.pendingKey).toBeNull();
    expect(after.methods.passphrase.wrappedKey).not.toEqual(before.methods.passphrase.wrappedKey);
    expect(after.methods.keychain.wrappedKey).not.toEqual(before.methods.keychain.wrappedKey);
    expect(after.methods.passphrase.kdf).toEqual(before.methods.passphrase.kdf);
    expect(status.keyCreatedAt).toBe(after.keyCreatedAt);
    await vault.lock();

    await expectAttestError(() => openEncryptedDatabase(dbFile(), oldKey, 'aegis'), 'TAMPERED');
    const direct = openEncryptedDatabase(dbFile(), newKey, 'aegis');
    expect(countMarkers(direct)).toBe(500);
    direct.close();

    await vault.unlockWithPassphrase(PASS);
    await vault.lock();
    await vault.unlockWithKeychain();
    expect(countMarkers(vault.database())).toBe(500);
    expect(operations(vault.database())).toContain('vault.rekey:1');
    await vault.close();
  });

  it('works for a SQLCipher vault too', async () => {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false, cipher: 'sqlcipher' });
    insertMarkers(vault.database(), 50);
    const oldKey = vault.databaseKey().key;
    await vault.rekey();
    await vault.lock();
    await expectAttestError(() => openEncryptedDatabase(dbFile(), oldKey, 'sqlcipher'), 'TAMPERED');
    await vault.unlockWithPassphrase(PASS);
    expect(countMarkers(vault.database())).toBe(50);
    await vault.close();
  });

  it('a crash after writing the pending key (before PRAGMA rekey) keeps the old key and clears the pending one', async () => {
    const { vault, clock } = makeVault(dir, { faults: { afterPendingKeyWritten: crashAt } });
    await vault.create({ passphrase: PASS, keychain: false });
    insertMarkers(vault.database(), 200);
    const oldKey = vault.databaseKey().key;
    await expect(vault.rekey()).rejects.toBeInstanceOf(Crash);
    expect(readJson().pendingKey).not.toBeNull();

    const restarted = makeVault(dir, { clock }).vault;
    await restarted.unlockWithPassphrase(PASS);
    expect(countMarkers(restarted.database())).toBe(200);
    expect(restarted.databaseKey().key.equals(oldKey)).toBe(true);
    expect(readJson().pendingKey).toBeNull();
    expect(operations(restarted.database())).toContain('vault.rekey:2');
    // And a rotation now succeeds.
    await restarted.rekey();
    await restarted.lock();
    await restarted.unlockWithPassphrase(PASS);
    expect(countMarkers(restarted.database())).toBe(200);
    await restarted.close();
  });

  it('a crash after PRAGMA rekey (before vault.json is promoted) opens with the pending key and promotes it', async () => {
    const keyStore = createMemoryKeyStore();
    const { vault, clock } = makeVault(dir, { keyStore, faults: { afterDatabaseRekeyed: crashAt } });
    await vault.create({ passphrase: PASS, keychain: true });
    insertMarkers(vault.database(), 200);
    const oldKey = vault.databaseKey().key;
    await expect(vault.rekey()).rejects.toBeInstanceOf(Crash);
    const pending = readJson().pendingKey;
    expect(pending).not.toBeNull();
    await expectAttestError(() => openEncryptedDatabase(dbFile(), oldKey, 'aegis'), 'TAMPERED');

    const restarted = makeVault(dir, { clock, keyStore }).vault;
    await restarted.unlockWithKeychain();
    expect(countMarkers(restarted.database())).toBe(200);
    expect(restarted.databaseKey().key.equals(oldKey)).toBe(false);
    const json = readJson();
    expect(json.pendingKey).toBeNull();
    expect(json.methods.passphrase.wrappedKey).toEqual(pending.wrappedKeys.passphrase);
    expect(json.keyCreatedAt).toBe(pending.createdAt);
    await restarted.lock();
    // The passphrase's copy was promoted too.
    await restarted.unlockWithPassphrase(PASS);
    expect(countMarkers(restarted.database())).toBe(200);
    await restarted.close();
  });

  it('a kill -9 during PRAGMA rekey leaves a vault that opens', async () => {
    // Real crash, not a hook: a child process rekeys a database of ~8 MB and is killed mid-way.
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    insertMarkers(vault.database(), 30_000);
    const { key } = vault.databaseKey();
    await vault.lock();
    const { spawn } = await import('node:child_process');
    const script = `
      const D = require(${JSON.stringify(require.resolve('better-sqlite3-multiple-ciphers'))});
      const db = new D(process.argv[1]);
      db.pragma("cipher='aegis'"); db.pragma(\`key="x'\${process.argv[2]}'"\`);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      db.pragma('journal_mode = DELETE'); db.pragma('synchronous = FULL');
      process.stdout.write('go\\n');
      db.pragma(\`rekey="x'\${'ab'.repeat(32)}'"\`);
      process.stdout.write('done\\n');
    `;
    const child = spawn(process.execPath, ['-e', script, dbFile(), key.toString('hex')], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 30));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Either the rekey was rolled back (old key, via vault.json) or it completed (the test's fixed key).
    let opened = false;
    try {
      await vault.unlockWithPassphrase(PASS);
      expect(countMarkers(vault.database())).toBe(30_000);
      opened = true;
    } catch {
      const db = openEncryptedDatabase(dbFile(), Buffer.from('ab'.repeat(32), 'hex'), 'aegis');
      expect(countMarkers(db)).toBe(30_000);
      db.close();
    }
    if (opened) {
      expect(vault.database().pragma('integrity_check', { simple: true })).toBe('ok');
      await vault.close();
    }
  });

  it('a session unlocked with the keychain needs the passphrase to rotate', async () => {
    const keyStore = createMemoryKeyStore();
    const { vault } = makeVault(dir, { keyStore });
    await vault.create({ passphrase: PASS, keychain: true });
    await vault.lock();
    await vault.unlockWithKeychain();
    const err = await expectAttestError(vault.rekey(), 'AUTH_FAILED');
    expect(err.details).toEqual({ needs: 'passphrase' });
    await expectAttestError(vault.rekey({ passphrase: 'not it at all' }), 'AUTH_FAILED');
    expect(readJson().pendingKey).toBeNull();
    await vault.rekey({ passphrase: PASS });
    await vault.lock();
    await vault.unlockWithPassphrase(PASS);
    await vault.lock();
    await vault.unlockWithKeychain();
    await vault.close();
  });

  it('refuses while another connection holds the database, and the old key keeps working', async () => {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    const { key } = vault.databaseKey();
    const other = openEncryptedDatabase(dbFile(), key, 'aegis');
    other.prepare('BEGIN').run();
    other.prepare('SELECT count(*) FROM meta').get();
    vault.database().pragma('busy_timeout = 100');
    await expectAttestError(vault.rekey(), 'CONFLICT');
    other.prepare('COMMIT').run();
    other.close();
    expect(readJson().pendingKey).toBeNull();
    await vault.lock();
    await vault.unlockWithPassphrase(PASS);
    expect(vault.databaseKey().key.equals(key)).toBe(true);
    await vault.close();
  });
});
