import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarKeyStore, createMemoryKeyStore, describeKeychainError } from '../../../../electron/core/vault/keystore';
import { PASS, expectAttestError, makeVault, removeDir, tempDir } from './helpers';

const failing = (message: string, code?: string) => () => {
  throw Object.assign(new Error(message), code ? { code } : {});
};

/** A keytar stand-in whose every call rejects with `message`, as keytar does when D-Bus is missing. */
const rejecting = (message: string) => () => ({
  getPassword: () => Promise.reject(new Error(message)),
  setPassword: () => Promise.reject(new Error(message)),
  deletePassword: () => Promise.reject(new Error(message)),
});

describe('createKeytarKeyStore', () => {
  it('translates a D-Bus failure into KEYCHAIN_UNAVAILABLE with one clear sentence', async () => {
    const store = createKeytarKeyStore(rejecting('Cannot autolaunch D-Bus without X11 $DISPLAY'));
    const err = await expectAttestError(store.get('id'), 'KEYCHAIN_UNAVAILABLE');
    expect(err.message).toBe(
      'The OS keychain is not available (no D-Bus session bus on this session): unlock with your passphrase instead, or create the vault with --passphrase-stdin.',
    );
    expect(await store.probe()).toEqual({ available: false, reason: 'no D-Bus session bus on this session' });
  });

  it('recognises a loader that throws the D-Bus error, a missing module, a wrong ABI, no Secret Service, a locked keyring', async () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [failing('Cannot autolaunch D-Bus without X11 $DISPLAY'), /no D-Bus session bus/],
      [failing("Cannot find module 'keytar'", 'MODULE_NOT_FOUND'), /keytar module is not installed/],
      [failing('The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115'), /could not be loaded for this runtime/],
      [rejecting('The name org.freedesktop.secrets was not provided by any .service files'), /no Secret Service running/],
      [rejecting('Cannot create an item in a locked collection'), /keychain is locked/],
      [() => ({ something: 1 }), /expected functions/],
    ];
    for (const [loader, reason] of cases) {
      const store = createKeytarKeyStore(loader);
      const err = await expectAttestError(store.set('id', 'secret'), 'KEYCHAIN_UNAVAILABLE');
      expect(err.message).toMatch(reason);
      expect(err.message).toMatch(/unlock with your passphrase instead/);
      expect(err.message).not.toContain('secret');
      const probe = await store.probe();
      expect(probe.available).toBe(false);
      expect(probe.reason).toMatch(reason);
    }
  });

  it('loads keytar lazily and uses service "attest"', async () => {
    let loads = 0;
    const calls: string[] = [];
    const store = createKeytarKeyStore(() => {
      loads++;
      return {
        getPassword: async (s: string, a: string) => (calls.push(`get ${s} ${a}`), 'v'),
        setPassword: async (s: string, a: string) => void calls.push(`set ${s} ${a}`),
        deletePassword: async (s: string, a: string) => (calls.push(`delete ${s} ${a}`), true),
      };
    });
    expect(loads).toBe(0);
    expect(await store.get('acct')).toBe('v');
    await store.set('acct', 'x');
    expect(await store.delete('acct')).toBe(true);
    expect(await store.probe()).toEqual({ available: true, reason: null });
    expect(loads).toBe(1);
    expect(calls.slice(0, 3)).toEqual(['get attest acct', 'set attest acct', 'delete attest acct']);
  });

  it('accepts an ES-module style default export', async () => {
    const store = createKeytarKeyStore(() => ({
      default: { getPassword: async () => null, setPassword: async () => {}, deletePassword: async () => false },
    }));
    expect(await store.get('x')).toBeNull();
  });

  it('keeps unknown errors short and single-line', () => {
    expect(describeKeychainError(new Error(`weird\nfailure ${'x'.repeat(500)}`))).toMatch(/^the keychain reported: weird failure x+$/);
    expect(describeKeychainError(new Error(`weird ${'x'.repeat(500)}`)).length).toBeLessThan(200);
  });
});

describe('vault with an unavailable keychain', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => removeDir(root));

  it('create with the keychain fails clearly and writes nothing; never a plaintext fallback', async () => {
    const dir = path.join(root, 'vault');
    const { vault } = makeVault(dir, { keyStore: createKeytarKeyStore(failing('Cannot autolaunch D-Bus without X11 $DISPLAY')) });
    const err = await expectAttestError(vault.create({ keychain: true }), 'KEYCHAIN_UNAVAILABLE');
    expect(err.message).toMatch(/^The OS keychain is not available \(no D-Bus session bus on this session\): unlock with your passphrase/);
    expect((await vault.status()).exists).toBe(false);
    expect(vault.isUnlocked).toBe(false);
  });

  it('unlock with the keychain fails clearly, and the passphrase still opens the vault', async () => {
    const dir = path.join(root, 'vault');
    const memory = createMemoryKeyStore();
    const first = makeVault(dir, { keyStore: memory }).vault;
    await first.create({ keychain: true, passphrase: PASS });
    await first.close();
    const { vault } = makeVault(dir, { keyStore: createKeytarKeyStore(rejecting('Cannot autolaunch D-Bus without X11 $DISPLAY')) });
    await expectAttestError(vault.unlockWithKeychain(), 'KEYCHAIN_UNAVAILABLE');
    expect((await vault.status({ probeKeychain: true })).keychain).toEqual({ available: false, reason: 'no D-Bus session bus on this session' });
    await vault.unlockWithPassphrase(PASS);
    await expectAttestError(vault.removeMethod('keychain'), 'KEYCHAIN_UNAVAILABLE');
    // The method is gone from vault.json even though the entry could not be deleted.
    expect((await vault.status()).methods).toEqual(['passphrase']);
    await vault.close();
  });
});

describe('createMemoryKeyStore', () => {
  it('stores, reads and deletes', async () => {
    const store = createMemoryKeyStore();
    expect(await store.get('a')).toBeNull();
    await store.set('a', 's');
    expect(await store.get('a')).toBe('s');
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
  });
});
