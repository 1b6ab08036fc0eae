import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEncryptedDatabase, translateOpenError } from '../../../../electron/core/vault/database';
import { PASS, expectAttestError, fileContains, filesOf, makeVault, removeDir, tempDir } from './helpers';

const MARKER = 'PLAINTEXT-MARKER-c0ffee';

let root: string;
let dir: string;
beforeEach(() => {
  root = tempDir();
  dir = path.join(root, 'vault');
});
afterEach(() => removeDir(root));

function assertNothingReadable(files: string[]): void {
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    expect(fileContains(f, 'CREATE TABLE'), `${path.basename(f)} contains CREATE TABLE`).toBe(false);
    expect(fileContains(f, 'CREATE INDEX'), `${path.basename(f)} contains CREATE INDEX`).toBe(false);
    expect(fileContains(f, MARKER), `${path.basename(f)} contains the marker`).toBe(false);
    expect(fileContains(f, 'SQLite format 3'), `${path.basename(f)} has a plain SQLite header`).toBe(false);
  }
}

describe('vault files at rest', () => {
  it.each(['aegis', 'sqlcipher'] as const)('hold no readable schema or data while unlocked and after lock (%s)', async (cipher) => {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: true, cipher });
    const insert = vault.database().prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (let i = 0; i < 200; i++) insert.run(`k${i}`, `${MARKER}-${i}`);
    // Unlocked: the WAL and shared-memory files exist and hold recent pages.
    const live = filesOf(dir);
    expect(live.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['vault.sqlite', 'vault.sqlite-wal', 'vault.json']));
    assertNothingReadable(live);
    await vault.backup(path.join(root, 'backup.attest-backup'));
    await vault.lock();
    assertNothingReadable([...filesOf(dir), path.join(root, 'backup.attest-backup')]);
  });
});

describe('tampering', () => {
  it('a flipped byte in vault.sqlite is reported as TAMPERED at unlock', async () => {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    await vault.lock();
    const file = path.join(dir, 'vault.sqlite');
    const bytes = fs.readFileSync(file);
    bytes[200]! ^= 0x40; // inside page 1, after the cipher's salt/nonce
    fs.writeFileSync(file, bytes);
    const err = await expectAttestError(vault.unlockWithPassphrase(PASS), 'TAMPERED');
    expect(err.message).toMatch(/altered or damaged/);
    expect(vault.isUnlocked).toBe(false);
  });

  it('a flipped byte in a data page is reported as TAMPERED when read', async () => {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    const insert = vault.database().prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (let i = 0; i < 400; i++) insert.run(`k${i}`, 'y'.repeat(100));
    const { key } = vault.databaseKey();
    await vault.lock();
    const file = path.join(dir, 'vault.sqlite');
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBeGreaterThan(4096 * 4);
    bytes[bytes.length - 2000]! ^= 0x01; // the last page
    fs.writeFileSync(file, bytes);
    await expectAttestError(() => {
      const db = openEncryptedDatabase(file, key, 'aegis');
      try {
        db.pragma('quick_check');
      } catch (err) {
        throw translateOpenError(err);
      } finally {
        db.close();
      }
    }, 'TAMPERED');
  });
});
