import { AttestError } from '../../../shared/result';

/** Keychain service name every Attest secret lives under; the account is the vault id. */
export const KEYCHAIN_SERVICE = 'attest';

/**
 * Where the keychain unlock secret lives. The real implementation is the OS keychain through keytar;
 * tests use the in-memory one. Every failure to reach the keychain is AttestError('KEYCHAIN_UNAVAILABLE').
 */
export interface KeyStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  probe(): Promise<{ available: boolean; reason: string | null }>;
}

/** The part of keytar's API we use. */
interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const PASSPHRASE_ALTERNATIVE = 'unlock with your passphrase instead, or create the vault with --passphrase-stdin.';

/** One sentence naming the cause and the passphrase alternative. */
export function keychainUnavailable(reason: string): AttestError {
  return new AttestError('KEYCHAIN_UNAVAILABLE', `The OS keychain is not available (${reason}): ${PASSPHRASE_ALTERNATIVE}`, {
    reason,
  });
}

/**
 * Turns keytar's (and libsecret's) error texts into a short cause. The raw text only survives, shortened,
 * for causes we do not recognise; it never carries a secret (keytar errors name the D-Bus problem only).
 */
export function describeKeychainError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown }).code;
  if (code === 'MODULE_NOT_FOUND' || /Cannot find module/i.test(text)) return 'the keytar module is not installed';
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|dlopen|\.node/i.test(text))
    return 'the keytar native module could not be loaded for this runtime';
  if (/Cannot autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Unable to autolaunch|Failed to connect to socket|dbus/i.test(text) &&
      !/org\.freedesktop\.secrets/i.test(text))
    return 'no D-Bus session bus on this session';
  if (/org\.freedesktop\.secrets/i.test(text) || /ServiceUnknown|Secret Service/i.test(text))
    return 'no Secret Service running on this session';
  if (/locked collection|is locked|prompt.*dismiss|dismissed|cancel/i.test(text)) return 'the keychain is locked';
  const short = text.replace(/[\r\n\t]+/g, ' ').trim().slice(0, 160);
  return `the keychain reported: ${short || 'an unknown error'}`;
}

function asKeytar(mod: unknown): KeytarModule {
  const candidate = (mod && typeof mod === 'object' && 'default' in mod && !('getPassword' in mod)
    ? (mod as { default: unknown }).default
    : mod) as Partial<KeytarModule> | null;
  if (
    !candidate ||
    typeof candidate.getPassword !== 'function' ||
    typeof candidate.setPassword !== 'function' ||
    typeof candidate.deletePassword !== 'function'
  ) {
    throw keychainUnavailable('the keytar module does not provide the expected functions');
  }
  return candidate as KeytarModule;
}

function defaultLoadKeytar(): unknown {
  // Lazy and optional: keytar is an optionalDependency, and loading it may fail (no libsecret, wrong ABI).
  return require('keytar');
}

/**
 * The OS keychain through keytar. `loadKeytar` lets the Electron main process pass its own Electron-ABI
 * build; the module is loaded on first use, so a missing keychain costs nothing until someone asks for it.
 */
export function createKeytarKeyStore(loadKeytar: () => unknown = defaultLoadKeytar): KeyStore {
  let loaded: KeytarModule | null = null;

  const keytar = (): KeytarModule => {
    if (loaded) return loaded;
    let mod: unknown;
    try {
      mod = loadKeytar();
    } catch (err) {
      throw err instanceof AttestError ? err : keychainUnavailable(describeKeychainError(err));
    }
    loaded = asKeytar(mod);
    return loaded;
  };

  async function call<T>(fn: (k: KeytarModule) => Promise<T>): Promise<T> {
    const k = keytar();
    try {
      return await fn(k);
    } catch (err) {
      throw err instanceof AttestError ? err : keychainUnavailable(describeKeychainError(err));
    }
  }

  return {
    get: (account) => call((k) => k.getPassword(KEYCHAIN_SERVICE, account)),
    set: (account, secret) => call((k) => k.setPassword(KEYCHAIN_SERVICE, account, secret)),
    delete: (account) => call((k) => k.deletePassword(KEYCHAIN_SERVICE, account)),
    async probe() {
      try {
        // A read of an account that never exists: it goes through D-Bus and the Secret Service like a real one.
        await call((k) => k.getPassword(KEYCHAIN_SERVICE, '__attest_probe__'));
        return { available: true, reason: null };
      } catch (err) {
        const reason =
          err instanceof AttestError && typeof err.details?.reason === 'string' ? err.details.reason : describeKeychainError(err);
        return { available: false, reason };
      }
    },
  };
}

export interface MemoryKeyStore extends KeyStore {
  /** The stored secrets, for tests to inspect or tamper with. */
  readonly entries: Map<string, string>;
}

/** An in-process keychain for tests; optionally unavailable with a given reason. */
export function createMemoryKeyStore(options: { unavailableReason?: string } = {}): MemoryKeyStore {
  const entries = new Map<string, string>();
  const guard = (): void => {
    if (options.unavailableReason) throw keychainUnavailable(options.unavailableReason);
  };
  return {
    entries,
    async get(account) {
      guard();
      return entries.get(account) ?? null;
    },
    async set(account, secret) {
      guard();
      entries.set(account, secret);
    },
    async delete(account) {
      guard();
      return entries.delete(account);
    },
    async probe() {
      return options.unavailableReason
        ? { available: false, reason: options.unavailableReason }
        : { available: true, reason: null };
    },
  };
}
