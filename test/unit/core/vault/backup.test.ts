import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultService } from '../../../../electron/core/vault/vault-service';
import { createMemoryKeyStore } from '../../../../electron/core/vault/keystore';
import { PASS, auditEvents, expectAttestError, fileContains, filesOf, makeVault, removeDir, tempDir } from './helpers';

const MARKER = 'PLAINTEXT-MARKER-7f3a9c';

let root: string;
let dir: string;
beforeEach(() => {
  root = tempDir();
  dir = path.join(root, 'vault');
});
afterEach(() => removeDir(root));

describe.each(['aegis', 'sqlcipher'] as const)('backup and restore (%s)', (cipher) => {
  it('round-trips: data intact, files encrypted, opens with the same passphrase and keychain', async () => {
    const keyStore = createMemoryKeyStore();
    const { vault, clock } = makeVault(dir, { keyStore });
    const created = await vault.create({ passphrase: PASS, keychain: true, cipher });
    vault.database().prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('marker', MARKER);
    const out = path.join(root, 'vault.attest-backup');

    const result = await vault.backup(out);
    expect(result.file).toBe(out);
    expect(result.bytes).toBe(fs.statSync(out).size);
    expect(result.sha256).toBe(crypto.createHash('sha256').update(fs.readFileSync(out)).digest('hex'));
    expect(fs.statSync(out).mode & 0o077).toBe(0);
    expect(fileContains(out, 'CREATE TABLE')).toBe(false);
    expect(fileContains(out, MARKER)).toBe(false);
    expect(fileContains(out, 'SQLite format 3')).toBe(false);
    // No temp files left beside the backup.
    expect(fs.readdirSync(root).sort()).toEqual(['vault', 'vault.attest-backup']);
    await expectAttestError(vault.backup(out), 'CONFLICT');
    await vault.close();

    const target = path.join(root, 'restored');
    const restored = await VaultService.restore(out, target);
    expect(restored).toEqual({ dir: target, vaultId: created.vaultId });
    for (const f of filesOf(target)) {
      expect(fileContains(f, 'CREATE TABLE')).toBe(false);
      expect(fileContains(f, MARKER)).toBe(false);
    }

    const again = makeVault(target, { keyStore, clock }).vault;
    expect(await again.status()).toMatchObject({ exists: true, locked: true, cipher, methods: ['keychain', 'passphrase'] });
    await again.unlockWithPassphrase(PASS);
    expect(again.database().prepare("SELECT value FROM meta WHERE key = 'marker'").get()).toEqual({ value: MARKER });
    const events = auditEvents(again.database());
    const backupEvent = events.find((e) => e.api?.operation === 'vault.backup');
    expect(backupEvent).toBeUndefined(); // written after the snapshot, so only in the original
    const restoreEvent = events.find((e) => e.api?.operation === 'vault.restore');
    expect(restoreEvent).toMatchObject({ class_uid: 3004, activity_id: 99, status_id: 1 });
    expect(restoreEvent!.message).toContain(result.sha256);
    await again.lock();
    await again.unlockWithKeychain();
    await again.close();
    expect(JSON.parse(fs.readFileSync(path.join(target, 'vault.json'), 'utf8')).pendingAudit).toEqual([]);
  });
});

describe('backup and restore: refusals', () => {
  it('records the backup in the original vault', async () => {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    const { sha256 } = await vault.backup(path.join(root, 'b1'));
    const event = auditEvents(vault.database()).find((e) => e.api?.operation === 'vault.backup');
    expect(event).toMatchObject({ class_uid: 3004, activity_id: 99 });
    expect(event!.unmapped).toMatchObject({ sha256, file_name: 'b1' });
    await vault.close();
  });

  it('refuses a non-empty target, a damaged backup, and a file that is no backup', async () => {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    const out = path.join(root, 'b.attest-backup');
    await vault.backup(out);
    await vault.close();

    await expectAttestError(VaultService.restore(out, dir), 'VAULT_EXISTS');
    const busy = path.join(root, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'x'), 'x');
    await expectAttestError(VaultService.restore(out, busy), 'CONFLICT');

    const bytes = fs.readFileSync(out);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 100]! ^= 0x01;
    const bad = path.join(root, 'flipped');
    fs.writeFileSync(bad, flipped);
    await expectAttestError(VaultService.restore(bad, path.join(root, 't1')), 'TAMPERED');
    expect(fs.existsSync(path.join(root, 't1'))).toBe(false);

    const truncated = path.join(root, 'truncated');
    fs.writeFileSync(truncated, bytes.subarray(0, bytes.length - 4096));
    await expectAttestError(VaultService.restore(truncated, path.join(root, 't2')), 'TAMPERED');

    const other = path.join(root, 'other');
    fs.writeFileSync(other, 'hello world, not a backup');
    await expectAttestError(VaultService.restore(other, path.join(root, 't3')), 'UNSUPPORTED_FORMAT');
    await expectAttestError(VaultService.restore(path.join(root, 'missing'), path.join(root, 't4')), 'IO');
  });
});
