import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VaultStatusSchema } from '../../../../shared/contract/vault';
import { createMemoryKeyStore, type MemoryKeyStore } from '../../../../electron/core/vault/keystore';
import { VaultService } from '../../../../electron/core/vault/vault-service';
import { systemClock } from '../../../../electron/core/vault/clock';
import { LATEST_SCHEMA_VERSION } from '../../../../electron/core/vault/migrator';
import {
  FakeClock,
  PASS,
  auditEvents,
  expectAttestError,
  makeVault,
  operations,
  removeDir,
  tempDir,
} from './helpers';

let dir: string;
beforeEach(() => {
  dir = path.join(tempDir(), 'vault');
});
afterEach(() => removeDir(path.dirname(dir)));

const readJson = () => JSON.parse(fs.readFileSync(path.join(dir, 'vault.json'), 'utf8'));

describe('VaultService: create, unlock, lock with a passphrase', () => {
  it('reports no vault before create, and NO_VAULT on unlock', async () => {
    const { vault } = makeVault(dir);
    const status = await vault.status();
    expect(VaultStatusSchema.parse(status)).toMatchObject({ exists: false, locked: true, methods: [], vaultId: null });
    await expectAttestError(vault.unlockWithPassphrase(PASS), 'NO_VAULT');
    expect(vault.vaultId()).toBeNull();
  });

  it('creates an unlocked vault, locks it, and unlocks it again', async () => {
    const { vault } = makeVault(dir);
    const created = await vault.create({ passphrase: PASS, keychain: false });
    expect(VaultStatusSchema.parse(created)).toMatchObject({
      exists: true,
      locked: false,
      cipher: 'aegis',
      methods: ['passphrase'],
      schemaVersion: LATEST_SCHEMA_VERSION,
      autoLockMinutes: 15,
      failedAttempts: 0,
    });
    expect(vault.isUnlocked).toBe(true);
    vault.database().prepare("INSERT INTO meta (key, value) VALUES ('probe', 'kept')").run();

    const locked = await vault.lock();
    expect(locked.locked).toBe(true);
    expect(locked.schemaVersion).toBeNull();
    expect(() => vault.database()).toThrowError(/locked/);
    await expectAttestError(() => vault.databaseKey(), 'LOCKED');

    // A new instance (a restart) opens it with the passphrase.
    const again = makeVault(dir).vault;
    await again.unlockWithPassphrase(PASS);
    expect(again.database().prepare("SELECT value FROM meta WHERE key = 'probe'").get()).toEqual({ value: 'kept' });
    expect(again.vaultId()).toBe(created.vaultId);
    await again.close();
  });

  it('writes vault.json with the documented fields and no key in clear', async () => {
    const { vault } = makeVault(dir);
    const status = await vault.create({ passphrase: PASS, keychain: false });
    const { key } = vault.databaseKey();
    const json = readJson();
    expect(json).toMatchObject({
      format: 'attest-vault',
      formatVersion: 1,
      vaultId: status.vaultId,
      cipher: 'aegis',
      autoLockMinutes: 15,
      pendingKey: null,
      failedUnlocks: { count: 0, lastFailureAt: null, recent: [] },
    });
    expect(json.methods.passphrase.kdf).toMatchObject({ algorithm: 'scrypt', N: 2 ** 12, r: 8, p: 1, keyLength: 32 });
    expect(Buffer.from(json.methods.passphrase.kdf.salt, 'base64').length).toBeGreaterThanOrEqual(16);
    expect(json.methods.passphrase.wrappedKey.alg).toBe('A256GCM');
    const text = fs.readFileSync(path.join(dir, 'vault.json'), 'utf8');
    expect(text).not.toContain(key.toString('hex'));
    expect(text).not.toContain(key.toString('base64'));
    expect(text).not.toContain(PASS);
    for (const f of ['vault.json', 'vault.sqlite', 'vault.sqlite-wal']) expect(fs.statSync(path.join(dir, f)).mode & 0o077).toBe(0);
    expect(fs.statSync(dir).mode & 0o077).toBe(0);
    await vault.close();
  });

  it('uses scrypt N=2^17 r=8 p=1 by default', async () => {
    const vault = new VaultService({ dir, keyStore: createMemoryKeyStore(), operator: 'alice', clock: new FakeClock() });
    await vault.create({ passphrase: PASS, keychain: false });
    expect(readJson().methods.passphrase.kdf).toMatchObject({ N: 131072, r: 8, p: 1, keyLength: 32 });
    await vault.lock();
    await vault.unlockWithPassphrase(PASS);
    expect(vault.isUnlocked).toBe(true);
    await vault.close();
  });

  it('raises weaker stored scrypt parameters at the next passphrase unlock, never lowers them', async () => {
    const weak = makeVault(dir, { scryptCost: { N: 2 ** 10, r: 8, p: 1 } }).vault;
    await weak.create({ passphrase: PASS, keychain: false });
    await weak.close();
    const { vault } = makeVault(dir); // this build wants N=2^12
    await vault.unlockWithPassphrase(PASS);
    expect(readJson().methods.passphrase.kdf.N).toBe(2 ** 12);
    expect(operations(vault.database())).toContain('vault.kdfUpgrade:1');
    await vault.close();
    const weaker = makeVault(dir, { scryptCost: { N: 2 ** 10, r: 8, p: 1 } }).vault;
    await weaker.unlockWithPassphrase(PASS);
    expect(readJson().methods.passphrase.kdf.N).toBe(2 ** 12);
    await weaker.close();
  });

  it('can create a SQLCipher vault and reopen it', async () => {
    const { vault } = makeVault(dir);
    expect((await vault.create({ passphrase: PASS, keychain: false, cipher: 'sqlcipher' })).cipher).toBe('sqlcipher');
    await vault.lock();
    await vault.unlockWithPassphrase(PASS);
    expect(vault.databaseKey().cipher).toBe('sqlcipher');
    await vault.close();
  });

  it('refuses a second create and a bad request', async () => {
    const { vault } = makeVault(dir);
    await expectAttestError(vault.create({ keychain: false }), 'BAD_REQUEST');
    await expectAttestError(vault.create({ passphrase: 'short', keychain: false }), 'BAD_REQUEST');
    await vault.create({ passphrase: PASS, keychain: false });
    await expectAttestError(makeVault(dir).vault.create({ passphrase: PASS, keychain: false }), 'VAULT_EXISTS');
    await vault.close();
  });

  it('refuses create over an orphaned vault.sqlite', async () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'vault.sqlite'), 'x');
    const err = await expectAttestError(makeVault(dir).vault.create({ passphrase: PASS, keychain: false }), 'VAULT_EXISTS');
    expect(err.message).toMatch(/without its vault\.json/);
  });

  it('needs an unlocked vault for every change (LOCKED)', async () => {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    await vault.lock();
    await expectAttestError(vault.addPassphrase(PASS), 'LOCKED');
    await expectAttestError(vault.addKeychain(), 'LOCKED');
    await expectAttestError(vault.removeMethod('passphrase'), 'LOCKED');
    await expectAttestError(vault.changePassphrase(PASS, `${PASS}!`), 'LOCKED');
    await expectAttestError(vault.rekey(), 'LOCKED');
    await expectAttestError(vault.setAutoLock(5), 'LOCKED');
    await expectAttestError(vault.backup(path.join(path.dirname(dir), 'b.attest-backup')), 'LOCKED');
  });

  /** A passphrase vault, locked, with its vault.json path and text as written. */
  async function lockedVaultAndItsJson() {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    await vault.lock();
    const file = path.join(dir, 'vault.json');
    return { vault, file, good: fs.readFileSync(file, 'utf8') };
  }

  it('reports a damaged or hand-edited vault.json clearly', async () => {
    const { vault, file, good } = await lockedVaultAndItsJson();

    fs.writeFileSync(file, good.slice(0, 40));
    expect((await expectAttestError(vault.unlockWithPassphrase(PASS), 'TAMPERED')).message).toMatch(/not valid JSON/);
    await expectAttestError(vault.status(), 'TAMPERED');

    // Hand edits of a file from before vault.json had a checksum: each member is still checked.
    const edited = JSON.parse(good);
    delete edited.checksum;
    edited.methods.passphrase.kdf.N = 1000; // not a power of two
    fs.writeFileSync(file, JSON.stringify(edited));
    expect((await expectAttestError(vault.unlockWithPassphrase(PASS), 'TAMPERED')).message).toMatch(/methods\.passphrase\.kdf\.N/);

    // A hostile file (or backup) asking scrypt for 16 GiB is refused before any derivation starts.
    const greedy = JSON.parse(good);
    delete greedy.checksum;
    Object.assign(greedy.methods.passphrase.kdf, { N: 2 ** 22, r: 32, p: 16 });
    fs.writeFileSync(file, JSON.stringify(greedy));
    expect((await expectAttestError(vault.unlockWithPassphrase(PASS), 'TAMPERED')).message).toMatch(/kdf/);

    const newer = JSON.parse(good);
    newer.formatVersion = 9;
    fs.writeFileSync(file, JSON.stringify(newer));
    await expectAttestError(vault.unlockWithPassphrase(PASS), 'VAULT_TOO_NEW');

    const otherVault = JSON.parse(good);
    delete otherVault.checksum;
    otherVault.vaultId = '7d444840-9dc0-11d1-b245-5ffdce74fad2';
    fs.writeFileSync(file, JSON.stringify(otherVault));
    // The wrap is bound to the vault id: moving it to another id makes it unusable.
    await expectAttestError(vault.unlockWithPassphrase(PASS), 'AUTH_FAILED');
  });

  it('tells a damaged vault.json from a wrong passphrase, and does not count it as a failed attempt', async () => {
    const { vault, file, good } = await lockedVaultAndItsJson();
    expect(JSON.parse(good).checksum).toMatch(/^[0-9a-f]{64}$/);
    // One byte of the vault id changed on disk: still valid JSON and a valid uuid, so before the checksum
    // the key's unwrap failed and it read as a wrong passphrase, five of which locked the owner out.
    const id = JSON.parse(good).vaultId as string;
    const damagedId = id.replace(/[0-9a-f](?=[^-]*$)/, (c) => (c === 'a' ? 'b' : 'a'));
    fs.writeFileSync(file, good.replace(id, damagedId));
    for (let i = 0; i < 6; i++) {
      expect((await expectAttestError(vault.unlockWithPassphrase(PASS), 'TAMPERED')).message).toMatch(/vault\.json is damaged: its content no longer matches its checksum/);
    }
    fs.writeFileSync(file, good);
    expect(readJson().failedUnlocks.count).toBe(0);
    await vault.unlockWithPassphrase(PASS);
    await vault.close();
  });

  it('reports a missing vault.sqlite as IO', async () => {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    await vault.lock();
    fs.rmSync(path.join(dir, 'vault.sqlite'));
    expect((await expectAttestError(vault.unlockWithPassphrase(PASS), 'IO')).message).toMatch(/missing/);
  });

  it('reports permission denied as IO', async () => {
    if (process.getuid?.() === 0) {
      // root ignores file modes; simulate with a vault.json that is a directory instead.
      const { vault } = makeVault(dir);
      await vault.create({ passphrase: PASS, keychain: false });
      await vault.lock();
      fs.rmSync(path.join(dir, 'vault.json'));
      fs.mkdirSync(path.join(dir, 'vault.json'));
      await expectAttestError(vault.status(), 'IO');
      return;
    }
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    fs.chmodSync(dir, 0o500);
    try {
      const err = await expectAttestError(vault.setAutoLock(5), 'IO');
      expect(err.message).toMatch(/Permission denied/);
    } finally {
      fs.chmodSync(dir, 0o700);
      await vault.close();
    }
  });
});

describe('VaultService: wrong passphrase and throttling', () => {
  it('fails with AUTH_FAILED and the exact message, and the counter survives a restart', async () => {
    const { vault, clock } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    await vault.lock();
    const err = await expectAttestError(vault.unlockWithPassphrase('wrong passphrase'), 'AUTH_FAILED');
    expect(err.message).toBe('Wrong passphrase: the vault stays locked.');
    expect(vault.isUnlocked).toBe(false);
    await expectAttestError(vault.unlockWithPassphrase('wrong again!'), 'AUTH_FAILED');

    const restarted = makeVault(dir, { clock }).vault;
    expect((await restarted.status()).failedAttempts).toBe(2);
    const json = readJson();
    expect(json.failedUnlocks.count).toBe(2);
    expect(json.failedUnlocks.recent).toHaveLength(2);
    expect(json.failedUnlocks.recent[0].method).toBe('passphrase');
    expect(JSON.stringify(json)).not.toContain('wrong again!');

    await restarted.unlockWithPassphrase(PASS);
    expect((await restarted.status()).failedAttempts).toBe(0);
    expect(readJson().failedUnlocks).toEqual({ count: 0, lastFailureAt: null, recent: [] });
    // The failures became audit events at the successful unlock.
    expect(operations(restarted.database()).slice(-3)).toEqual(['vault.unlock:2', 'vault.unlock:2', 'vault.unlock:1']);
    await restarted.close();
  });

  it('throttles after five failures, doubling, across restarts, and resets on success', async () => {
    const clock = new FakeClock();
    const { vault } = makeVault(dir, { clock });
    await vault.create({ passphrase: PASS, keychain: false });
    await vault.lock();
    for (let i = 0; i < 5; i++) await expectAttestError(vault.unlockWithPassphrase(`nope-${i}-xx`), 'AUTH_FAILED');

    const restarted = makeVault(dir, { clock }).vault;
    const throttled = await expectAttestError(restarted.unlockWithPassphrase(PASS), 'THROTTLED');
    expect(throttled.message).toBe('Too many failed attempts. Try again in 30 seconds.');
    expect(throttled.details?.retryAfterMs).toBe(30_000);
    expect((await restarted.status()).retryAfterMs).toBe(30_000);

    clock.advance(10_000);
    expect((await expectAttestError(restarted.unlockWithPassphrase(PASS), 'THROTTLED')).message).toBe(
      'Too many failed attempts. Try again in 20 seconds.',
    );
    clock.advance(20_000);
    await expectAttestError(restarted.unlockWithPassphrase('still wrong'), 'AUTH_FAILED'); // 6th failure
    expect((await expectAttestError(restarted.unlockWithPassphrase(PASS), 'THROTTLED')).details?.retryAfterMs).toBe(60_000);
    clock.advance(60_000);
    await restarted.unlockWithPassphrase(PASS);
    const status = await restarted.status();
    expect(status).toMatchObject({ locked: false, failedAttempts: 0, retryAfterMs: 0 });
    expect(operations(restarted.database()).filter((o) => o === 'vault.unlock:2')).toHaveLength(6);
    await restarted.close();
  });

  it('caps the wait at 15 minutes', async () => {
    const clock = new FakeClock();
    const { vault } = makeVault(dir, { clock });
    await vault.create({ passphrase: PASS, keychain: false });
    await vault.lock();
    for (let i = 0; i < 12; i++) {
      await expectAttestError(vault.unlockWithPassphrase(`nope-${i}-xx`), 'AUTH_FAILED');
      clock.advance(15 * 60_000);
    }
    const json = readJson();
    delete json.checksum; // edited by hand here to move the last failure to "now"
    json.failedUnlocks.lastFailureAt = new Date(clock.now()).toISOString();
    fs.writeFileSync(path.join(dir, 'vault.json'), JSON.stringify(json));
    expect((await vault.status()).retryAfterMs).toBe(15 * 60_000);
  });
});

describe('VaultService: keychain (memory key store)', () => {
  let keyStore: MemoryKeyStore;
  beforeEach(() => {
    keyStore = createMemoryKeyStore();
  });

  it('creates a keychain-only vault and unlocks it with the keychain', async () => {
    const { vault } = makeVault(dir, { keyStore });
    const status = await vault.create({ keychain: true });
    expect(status.methods).toEqual(['keychain']);
    const secret = keyStore.entries.get(status.vaultId!);
    expect(secret).toBeDefined();
    expect(Buffer.from(secret!, 'base64')).toHaveLength(32);
    expect(readJson().methods.keychain).toMatchObject({ service: 'attest', account: status.vaultId });
    await vault.lock();
    await expectAttestError(vault.unlockWithPassphrase(PASS), 'BAD_REQUEST');
    await vault.unlockWithKeychain();
    expect(vault.isUnlocked).toBe(true);
    await vault.close();
  });

  it('the keychain secret alone, or vault.json alone, is not the database key', async () => {
    const { vault } = makeVault(dir, { keyStore });
    const status = await vault.create({ keychain: true, passphrase: PASS });
    const { key } = vault.databaseKey();
    const secret = Buffer.from(keyStore.entries.get(status.vaultId!)!, 'base64');
    expect(secret.equals(key)).toBe(false);
    const json = fs.readFileSync(path.join(dir, 'vault.json'));
    expect(json.includes(key)).toBe(false);
    expect(json.includes(Buffer.from(key.toString('base64')))).toBe(false);
    expect(json.includes(Buffer.from(key.toString('hex')))).toBe(false);
    key.fill(0);
    await vault.close();
  });

  it('reports a missing keychain entry clearly', async () => {
    const { vault } = makeVault(dir, { keyStore });
    const status = await vault.create({ keychain: true, passphrase: PASS });
    await vault.lock();
    keyStore.entries.delete(status.vaultId!);
    const err = await expectAttestError(vault.unlockWithKeychain(), 'KEYCHAIN_UNAVAILABLE');
    expect(err.message).toMatch(/has no entry for this vault .*unlock with your passphrase instead/);
  });

  it('a replaced keychain secret fails with AUTH_FAILED and counts', async () => {
    const { vault } = makeVault(dir, { keyStore });
    const status = await vault.create({ keychain: true, passphrase: PASS });
    await vault.lock();
    keyStore.entries.set(status.vaultId!, Buffer.alloc(32, 7).toString('base64'));
    await expectAttestError(vault.unlockWithKeychain(), 'AUTH_FAILED');
    expect(readJson().failedUnlocks.recent).toEqual([expect.objectContaining({ method: 'keychain' })]);
    await vault.unlockWithPassphrase(PASS);
    const failed = auditEvents(vault.database()).filter((e) => e.status_id === 2);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.unmapped).toMatchObject({ unlock_method: 'keychain' });
    await vault.close();
  });

  it('an unavailable keychain stops a keychain create with nothing written', async () => {
    const unavailable = createMemoryKeyStore({ unavailableReason: 'no Secret Service running on this session' });
    const { vault } = makeVault(dir, { keyStore: unavailable });
    const err = await expectAttestError(vault.create({ keychain: true }), 'KEYCHAIN_UNAVAILABLE');
    expect(err.message).toBe(
      'The OS keychain is not available (no Secret Service running on this session): unlock with your passphrase instead, or create the vault with --passphrase-stdin.',
    );
    expect(fs.existsSync(path.join(dir, 'vault.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'vault.sqlite'))).toBe(false);
    expect((await vault.status({ probeKeychain: true })).keychain).toEqual({
      available: false,
      reason: 'no Secret Service running on this session',
    });
  });
});

describe('VaultService: adding and removing methods, changing the passphrase', () => {
  it('adds the keychain to a passphrase vault and removes the passphrase', async () => {
    const keyStore = createMemoryKeyStore();
    const { vault } = makeVault(dir, { keyStore });
    const status = await vault.create({ passphrase: PASS, keychain: false });
    await expectAttestError(vault.addPassphrase(`${PASS}2`), 'CONFLICT');
    expect((await vault.addKeychain()).methods).toEqual(['keychain', 'passphrase']);
    await expectAttestError(vault.addKeychain(), 'CONFLICT');
    expect((await vault.removeMethod('passphrase')).methods).toEqual(['keychain']);
    await expectAttestError(vault.removeMethod('passphrase'), 'NOT_FOUND');
    const last = await expectAttestError(vault.removeMethod('keychain'), 'CONFLICT');
    expect(last.message).toMatch(/only unlock method/);
    await vault.lock();
    await expectAttestError(vault.unlockWithPassphrase(PASS), 'BAD_REQUEST');
    await vault.unlockWithKeychain();
    expect(keyStore.entries.has(status.vaultId!)).toBe(true);
    await vault.close();
  });

  it('removing the keychain method deletes the keychain entry, and the passphrase still works', async () => {
    const keyStore = createMemoryKeyStore();
    const { vault } = makeVault(dir, { keyStore });
    const status = await vault.create({ passphrase: PASS, keychain: true });
    expect((await vault.removeMethod('keychain')).methods).toEqual(['passphrase']);
    expect(keyStore.entries.has(status.vaultId!)).toBe(false);
    expect(readJson().methods.keychain).toBeUndefined();
    await vault.lock();
    await expectAttestError(vault.unlockWithKeychain(), 'BAD_REQUEST');
    await vault.unlockWithPassphrase(PASS);
    await vault.close();
  });

  it('adds a passphrase to a keychain-only vault', async () => {
    const { vault } = makeVault(dir);
    await vault.create({ keychain: true });
    await expectAttestError(vault.addPassphrase('short'), 'BAD_REQUEST');
    expect((await vault.addPassphrase(PASS)).methods).toEqual(['keychain', 'passphrase']);
    await vault.lock();
    await vault.unlockWithPassphrase(PASS);
    await vault.close();
  });

  it('changes the passphrase: the old one fails, the new one works', async () => {
    const { vault } = makeVault(dir);
    await vault.create({ passphrase: PASS, keychain: false });
    const before = readJson().methods.passphrase.kdf.salt;
    const wrong = await expectAttestError(vault.changePassphrase('not the passphrase', 'new passphrase 2'), 'AUTH_FAILED');
    expect(wrong.message).toMatch(/current passphrase is wrong/);
    await vault.changePassphrase(PASS, 'new passphrase 2');
    expect(readJson().methods.passphrase.kdf.salt).not.toBe(before);
    expect(readJson().failedUnlocks.count).toBe(0);
    await vault.lock();
    await expectAttestError(vault.unlockWithPassphrase(PASS), 'AUTH_FAILED');
    await vault.unlockWithPassphrase('new passphrase 2');
    await vault.close();
  });
});

describe('VaultService: auto-lock', () => {
  it('locks after the idle period, calls onLocked and drops the key', async () => {
    const locked: string[] = [];
    const clock = new FakeClock();
    const { vault } = makeVault(dir, { clock, onLocked: (r) => locked.push(r) });
    await vault.create({ passphrase: PASS, keychain: false });
    const keyCopy = vault.databaseKey().key;
    expect(keyCopy.equals(Buffer.alloc(32))).toBe(false);

    clock.advance(14 * 60_000);
    vault.touch();
    clock.advance(14 * 60_000);
    expect(vault.isUnlocked).toBe(true);
    clock.advance(60_000 + 1);
    // Locking seals the session with a signed checkpoint (async crypto): wait for it, however slow the machine.
    await vi.waitFor(() => expect(vault.isUnlocked).toBe(false), { timeout: 10_000 });
    expect(locked).toEqual(['idle']);
    await expectAttestError(() => vault.database(), 'LOCKED');
    expect(clock.pending).toBe(0);

    await vault.unlockWithPassphrase(PASS);
    const events = auditEvents(vault.database());
    const lock = events.find((e) => e.api?.operation === 'vault.lock');
    expect(lock).toMatchObject({ class_uid: 3002, activity_id: 2, status_id: 1 });
    expect(lock!.message).toMatch(/automatically after 15 minutes/);
    await vault.close();
  });

  it('setAutoLock validates, persists, and changes the timer', async () => {
    const locked: string[] = [];
    const clock = new FakeClock();
    const { vault } = makeVault(dir, { clock, onLocked: (r) => locked.push(r) });
    await vault.create({ passphrase: PASS, keychain: false });
    await expectAttestError(vault.setAutoLock(0), 'BAD_REQUEST');
    await expectAttestError(vault.setAutoLock(1441), 'BAD_REQUEST');
    await expectAttestError(vault.setAutoLock(2.5), 'BAD_REQUEST');
    expect((await vault.setAutoLock(2)).autoLockMinutes).toBe(2);
    expect(readJson().autoLockMinutes).toBe(2);
    clock.advance(2 * 60_000);
    await vi.waitFor(() => expect(locked).toEqual(['idle']), { timeout: 10_000 });
    await vault.unlockWithPassphrase(PASS);
    expect((await vault.status()).autoLockMinutes).toBe(2);
    await vault.lock('operator');
    expect(locked).toEqual(['idle', 'operator']);
  });

  it('unrefs real timers so a CLI process can exit', async () => {
    const direct = systemClock.setTimeout(() => {}, 60_000) as NodeJS.Timeout;
    expect(direct.hasRef()).toBe(false);
    systemClock.clearTimeout(direct);
    // A clock whose timers are ref'd: the service unrefs them itself.
    const handles: NodeJS.Timeout[] = [];
    const refClock = {
      now: () => Date.now(),
      setTimeout: (fn: () => void, ms: number) => {
        const h = setTimeout(fn, ms);
        handles.push(h);
        return h;
      },
      clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
    };
    const { vault } = makeVault(dir, { clock: refClock });
    await vault.create({ passphrase: PASS, keychain: false });
    expect(handles.length).toBeGreaterThan(0);
    expect(handles.at(-1)!.hasRef()).toBe(false);
    await vault.close();
  });
});

describe('VaultService: audit events', () => {
  it('records every operation in the vault itself, with OCSF classes and no secrets', async () => {
    const keyStore = createMemoryKeyStore();
    const { vault } = makeVault(dir, { keyStore });
    await vault.create({ passphrase: PASS, keychain: false });
    await vault.lock();
    await expectAttestError(vault.unlockWithPassphrase('wrong passphrase'), 'AUTH_FAILED');
    await vault.unlockWithPassphrase(PASS);
    await vault.addKeychain();
    await vault.changePassphrase(PASS, 'second passphrase');
    await vault.rekey();
    await vault.setAutoLock(30);
    await vault.backup(path.join(path.dirname(dir), 'audit.attest-backup'));
    await vault.removeMethod('keychain');
    const key = vault.databaseKey().key;
    await vault.lock();
    await vault.unlockWithPassphrase('second passphrase');

    const events = auditEvents(vault.database());
    expect(events.map((e) => [e.api?.operation, e.class_uid, e.activity_id, e.status_id])).toEqual([
      ['vault.create', 3004, 1, 1],
      ['vault.lock', 3002, 2, 1],
      ['vault.unlock', 3002, 1, 2],
      ['vault.unlock', 3002, 1, 1],
      ['vault.addMethod', 3004, 1, 1],
      ['vault.changePassphrase', 3004, 3, 1],
      ['vault.rekey', 3004, 3, 1],
      ['vault.setAutoLock', 3004, 3, 1],
      ['vault.backup', 3004, 99, 1],
      ['vault.removeMethod', 3004, 4, 1],
      ['vault.lock', 3002, 2, 1],
      ['vault.unlock', 3002, 1, 1],
    ]);
    for (const e of events) {
      expect(e.metadata.product).toEqual({ name: 'Attest', vendor_name: 'Attest' });
      expect(e.actor?.user?.name).toBe('alice');
      expect(e.message).toBeTruthy();
    }
    const all = JSON.stringify(events);
    for (const secret of [PASS, 'second passphrase', 'wrong passphrase', key.toString('hex'), key.toString('base64')]) {
      expect(all).not.toContain(secret);
    }
    await vault.close();
  });
});
