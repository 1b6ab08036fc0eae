import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassphraseSchema, type Cipher, type UnlockMethod, type VaultStatus } from '../../../shared/contract/vault';
import { AttestError } from '../../../shared/result';
import { appendSelfAuditEvent } from '../chain/self-audit';
import { signCheckpoint } from '../chain/checkpoint';
import { restoreBackup, writeBackup } from './vault-backup';
import { systemClock, type Clock } from './clock';
import { openEncryptedDatabase, translateOpenError, type Db } from './database';
import {
  DEFAULT_SCRYPT_COST,
  decodeKeychainSecret,
  deriveKek,
  encodeKeychainSecret,
  newScryptParams,
  randomKey,
  unwrapKey,
  wrapKey,
  type ScryptCost,
  type WrappedKey,
} from './key-wrap';
import { KEYCHAIN_SERVICE, keychainUnavailable, type KeyStore } from './keystore';
import { migrate, LATEST_SCHEMA_VERSION } from './migrator';
import { retryAfterMs } from './throttle';
import { vaultAuditEvent, type VaultAuditInput } from './vault-audit';
import {
  DEFAULT_AUTO_LOCK_MINUTES,
  MAX_RECENT_FAILURES,
  VAULT_FORMAT_VERSION,
  ioError,
  readVaultFile,
  requireVaultFile,
  vaultDbPath,
  vaultJsonPath,
  writeVaultFile,
  withVaultFileLock,
  type VaultFile,
} from './vault-file';

export interface VaultServiceOptions {
  dir: string;
  keyStore: KeyStore;
  /** Name recorded as the actor of every vault audit event. */
  operator: string;
  clock?: Clock;
  /** Path to an Electron-ABI build of better-sqlite3-multiple-ciphers (the Electron main process passes it). */
  nativeBinding?: string;
  /** Called after the vault locked (idle timer or operator), so transports can push `vault:locked`. */
  onLocked?: (reason: 'idle' | 'operator') => void;
  /** scrypt cost for new passphrase wraps; defaults to N=2^17 r=8 p=1. Tests lower it for speed. */
  scryptCost?: ScryptCost;
  /** Test-only fault injection: called at these points of a key rotation; throwing simulates a crash there. */
  faults?: {
    afterPendingKeyWritten?: (db: Db) => void;
    afterDatabaseRekeyed?: (db: Db) => void;
  };
}

interface Session {
  db: Db;
  key: Buffer;
  file: VaultFile;
  /** KEKs known in this session, kept so a key rotation can re-wrap for every method; zeroed at lock. */
  passphraseKek: Buffer | null;
  keychainSecret: Buffer | null;
  timer: unknown;
  timerGeneration: number;
}

interface FailedAttempt {
  at: string;
  method: UnlockMethod;
}

const MINUTE_MS = 60_000;
const WRONG_PASSPHRASE = 'Wrong passphrase: the vault stays locked.';

const methodLabel = (m: UnlockMethod): string => (m === 'keychain' ? 'OS keychain' : 'passphrase');

function zero(buf: Buffer | null | undefined): void {
  buf?.fill(0);
}

function validatePassphrase(passphrase: string): void {
  const checked = PassphraseSchema.safeParse(passphrase);
  if (!checked.success) {
    throw new AttestError('BAD_REQUEST', `The passphrase is not acceptable: ${checked.error.issues[0]?.message ?? 'invalid'}`);
  }
}

function sortedMethods(file: VaultFile): UnlockMethod[] {
  const methods: UnlockMethod[] = [];
  if (file.methods.keychain) methods.push('keychain');
  if (file.methods.passphrase) methods.push('passphrase');
  return methods;
}

function removeDbFiles(dbFile: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${dbFile}${suffix}`, { force: true });
}

/** SQLITE_BUSY/LOCKED while rotating means another connection (an import) holds the database. */
function busyOrTranslate(err: unknown): AttestError {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AttestError('CONFLICT', 'The vault is busy (an import or another window is using it): try again when it finishes.');
  }
  return translateOpenError(err);
}

/**
 * The encrypted vault: one directory with vault.sqlite (page-encrypted under a random 256-bit key) and
 * vault.json (the key wrapped once per unlock method). Operations run one at a time; every one of them is
 * recorded as an audit event in the vault's own event log.
 */
export class VaultService {
  private readonly dir: string;
  private readonly keyStore: KeyStore;
  private readonly operator: string;
  private readonly clock: Clock;
  private readonly nativeBinding: string | undefined;
  private readonly onLocked: ((reason: 'idle' | 'operator') => void) | undefined;
  private readonly scryptCost: ScryptCost;
  private readonly faults: NonNullable<VaultServiceOptions['faults']>;
  private session: Session | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: VaultServiceOptions) {
    this.dir = path.resolve(opts.dir);
    this.keyStore = opts.keyStore;
    this.operator = opts.operator;
    this.clock = opts.clock ?? systemClock;
    this.nativeBinding = opts.nativeBinding;
    this.onLocked = opts.onLocked;
    this.scryptCost = opts.scryptCost ?? DEFAULT_SCRYPT_COST;
    this.faults = opts.faults ?? {};
  }

  get isUnlocked(): boolean {
    return this.session !== null;
  }

  // ---- reading -------------------------------------------------------------------------------------

  async status(opts: { probeKeychain?: boolean } = {}): Promise<VaultStatus> {
    const keychain = opts.probeKeychain ? await this.keyStore.probe() : null;
    const file = readVaultFile(this.dir);
    if (!file) {
      return {
        path: this.dir,
        exists: false,
        locked: this.session === null,
        vaultId: null,
        cipher: null,
        methods: [],
        keyCreatedAt: null,
        schemaVersion: null,
        appSchemaVersion: LATEST_SCHEMA_VERSION,
        autoLockMinutes: DEFAULT_AUTO_LOCK_MINUTES,
        failedAttempts: 0,
        retryAfterMs: 0,
        keychain,
      };
    }
    const s = this.session;
    return {
      path: this.dir,
      exists: true,
      locked: s === null,
      vaultId: file.vaultId,
      cipher: file.cipher,
      methods: sortedMethods(file),
      keyCreatedAt: file.keyCreatedAt,
      schemaVersion: s ? Number(s.db.pragma('user_version', { simple: true })) : null,
      appSchemaVersion: LATEST_SCHEMA_VERSION,
      autoLockMinutes: file.autoLockMinutes,
      failedAttempts: file.failedUnlocks.count,
      retryAfterMs: this.retryAfter(file),
      keychain,
    };
  }

  database(): Db {
    return this.requireSession().db;
  }

  /**
   * The raw key for the ingestion worker's own writer connection (same process only, never a transport).
   * A copy: the caller zeroes it when done; the session's own buffer is zeroed at lock.
   */
  databaseKey(): { key: Buffer; cipher: Cipher; file: string } {
    const s = this.requireSession();
    return { key: Buffer.from(s.key), cipher: s.file.cipher, file: vaultDbPath(this.dir) };
  }

  vaultId(): string | null {
    if (this.session) return this.session.file.vaultId;
    try {
      return readVaultFile(this.dir)?.vaultId ?? null;
    } catch {
      return null;
    }
  }

  /** Restarts the idle timer (any operator activity). */
  touch(): void {
    if (this.session) this.armTimer(this.session);
  }

  // ---- create / unlock / lock ---------------------------------------------------------------------------

  create(opts: { passphrase?: string; keychain: boolean; cipher?: Cipher }): Promise<VaultStatus> {
    return this.exclusive(async () => {
      if (opts.passphrase === undefined && !opts.keychain) {
        throw new AttestError('BAD_REQUEST', 'Choose a passphrase, the OS keychain, or both.');
      }
      if (opts.passphrase !== undefined) validatePassphrase(opts.passphrase);
      const cipher: Cipher = opts.cipher ?? 'aegis';
      const dbFile = vaultDbPath(this.dir);
      if (fs.existsSync(vaultJsonPath(this.dir))) {
        throw new AttestError('VAULT_EXISTS', 'A vault already exists in this location: unlock it, or choose another folder.');
      }
      if (fs.existsSync(dbFile)) {
        throw new AttestError(
          'VAULT_EXISTS',
          'This folder holds a vault database without its vault.json (an interrupted create, or vault.json was removed): restore vault.json from a backup, or choose another folder.',
        );
      }
      if (this.session) await this.lockNow('operator');
      try {
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      } catch (err) {
        throw ioError(err, 'the vault folder could not be created');
      }

      const vaultId = crypto.randomUUID();
      const key = randomKey();
      let passphraseKek: Buffer | null = null;
      let keychainSecret: Buffer | null = null;
      let keychainWritten = false;
      let db: Db | null = null;
      try {
        const methods: VaultFile['methods'] = {};
        if (opts.passphrase !== undefined) {
          const kdf = newScryptParams(this.scryptCost);
          passphraseKek = await deriveKek(opts.passphrase, kdf);
          methods.passphrase = { kdf, wrappedKey: wrapKey(key, passphraseKek, vaultId, 'passphrase') };
        }
        if (opts.keychain) {
          keychainSecret = randomKey();
          await this.keyStore.set(vaultId, encodeKeychainSecret(keychainSecret));
          keychainWritten = true;
          methods.keychain = {
            service: KEYCHAIN_SERVICE,
            account: vaultId,
            wrappedKey: wrapKey(key, keychainSecret, vaultId, 'keychain'),
          };
        }
        const now = new Date(this.clock.now()).toISOString();
        const file: VaultFile = {
          format: 'attest-vault',
          formatVersion: VAULT_FORMAT_VERSION,
          vaultId,
          cipher,
          createdAt: now,
          keyCreatedAt: now,
          autoLockMinutes: DEFAULT_AUTO_LOCK_MINUTES,
          methods,
          pendingKey: null,
          failedUnlocks: { count: 0, lastFailureAt: null, recent: [] },
          pendingAudit: [],
        };
        db = openEncryptedDatabase(dbFile, key, cipher, this.openOptions());
        // Owner-only like vault.json (SQLite gives its -wal/-shm files the database file's mode).
        if (process.platform !== 'win32') fs.chmodSync(dbFile, 0o600);
        migrate(db);
        const session: Session = { db, key, file, passphraseKek, keychainSecret, timer: null, timerGeneration: 0 };
        this.audit(session, {
          operation: 'create',
          message: `Vault created (cipher ${cipher}; unlock methods: ${sortedMethods(file).map(methodLabel).join(', ')}).`,
          details: { cipher },
        });
        // vault.json last: it is the commit point of a create.
        writeVaultFile(this.dir, file);
        this.session = session;
        this.armTimer(session);
      } catch (err) {
        try {
          db?.close();
        } catch {
          /* already failing */
        }
        if (db) removeDbFiles(dbFile);
        if (keychainWritten) await this.keyStore.delete(vaultId).catch(() => false);
        zero(key);
        zero(passphraseKek);
        zero(keychainSecret);
        throw err instanceof AttestError ? err : translateOpenError(err);
      }
      return this.status();
    });
  }

  unlockWithPassphrase(passphrase: string): Promise<VaultStatus> {
    return this.exclusive(async () => {
      if (this.session) {
        this.armTimer(this.session);
        return this.status();
      }
      const file = requireVaultFile(this.dir);
      const method = file.methods.passphrase;
      if (!method) {
        throw new AttestError('BAD_REQUEST', 'This vault has no passphrase: unlock it with the OS keychain.');
      }
      // Count the attempt before the slow KDF: killing the process mid-attempt must not dodge the counter.
      const attempt: FailedAttempt = { at: new Date(this.clock.now()).toISOString(), method: 'passphrase' };
      const counted = this.countAttempt(attempt, true);
      const kek = await deriveKek(passphrase, method.kdf);
      const key = unwrapKey(method.wrappedKey, kek, file.vaultId, 'passphrase');
      if (!key) {
        zero(kek);
        throw new AttestError('AUTH_FAILED', WRONG_PASSPHRASE);
      }
      const pending = file.pendingKey?.wrappedKeys.passphrase;
      const pendingKey = pending ? unwrapKey(pending, kek, file.vaultId, 'passphrase') : null;
      await this.openSession(counted, key, pendingKey, attempt, { passphraseKek: kek, keychainSecret: null, method: 'passphrase' });
      await this.strengthenKdf(passphrase);
      return this.status();
    });
  }

  /**
   * Keychain unlocks are not throttled (the secret cannot be guessed, and a mistyped passphrase should not
   * lock out the keychain), but a keychain secret that does not open the vault counts as a failure.
   */
  unlockWithKeychain(): Promise<VaultStatus> {
    return this.exclusive(async () => {
      if (this.session) {
        this.armTimer(this.session);
        return this.status();
      }
      const file = requireVaultFile(this.dir);
      const method = file.methods.keychain;
      if (!method) {
        throw new AttestError('BAD_REQUEST', 'This vault has no OS keychain unlock method: unlock it with your passphrase.');
      }
      const text = await this.keyStore.get(method.account);
      if (text === null) {
        throw new AttestError(
          'KEYCHAIN_UNAVAILABLE',
          file.methods.passphrase
            ? `The OS keychain has no entry for this vault (service ${KEYCHAIN_SERVICE}, account ${method.account}): unlock with your passphrase instead.`
            : `The OS keychain has no entry for this vault (service ${KEYCHAIN_SERVICE}, account ${method.account}), and the vault has no passphrase: restore the keychain entry or the vault from a backup.`,
          { reason: 'missing-entry' },
        );
      }
      const secret = decodeKeychainSecret(text);
      const key = secret ? unwrapKey(method.wrappedKey, secret, file.vaultId, 'keychain') : null;
      if (!secret || !key) {
        zero(secret);
        const attempt: FailedAttempt = { at: new Date(this.clock.now()).toISOString(), method: 'keychain' };
        this.writeFailure(file, attempt, true);
        throw new AttestError(
          'AUTH_FAILED',
          'The OS keychain entry does not open this vault (it was replaced or altered): unlock with your passphrase instead.',
        );
      }
      const pending = file.pendingKey?.wrappedKeys.keychain;
      const pendingKey = pending ? unwrapKey(pending, secret, file.vaultId, 'keychain') : null;
      await this.openSession(file, key, pendingKey, null, { passphraseKek: null, keychainSecret: secret, method: 'keychain' });
      return this.status();
    });
  }

  lock(reason: 'idle' | 'operator' = 'operator'): Promise<VaultStatus> {
    return this.exclusive(() => this.lockNow(reason));
  }

  /** Locks (recording the lock event) at process exit; never throws. */
  async close(): Promise<void> {
    await this.exclusive(() => this.lockNow('operator')).catch(() => undefined);
  }

  // ---- methods, passphrase, key rotation, settings -------------------------------------------------

  addPassphrase(passphrase: string): Promise<VaultStatus> {
    return this.exclusive(async () => {
      const s = this.requireSession();
      validatePassphrase(passphrase);
      const current = this.readOwnFile(s);
      if (current.methods.passphrase) {
        throw new AttestError('CONFLICT', 'This vault already has a passphrase: change it instead.');
      }
      const kdf = newScryptParams(this.scryptCost);
      const kek = await deriveKek(passphrase, kdf);
      const wrappedKey = wrapKey(s.key, kek, current.vaultId, 'passphrase');
      this.commitFile(s, { ...current, methods: { ...current.methods, passphrase: { kdf, wrappedKey } } });
      zero(s.passphraseKek);
      s.passphraseKek = kek;
      this.audit(s, { operation: 'method-added', method: 'passphrase', message: 'Passphrase unlock method added.' });
      return this.status();
    });
  }

  addKeychain(): Promise<VaultStatus> {
    return this.exclusive(async () => {
      const s = this.requireSession();
      const current = this.readOwnFile(s);
      if (current.methods.keychain) {
        throw new AttestError('CONFLICT', 'This vault already opens with the OS keychain.');
      }
      const secret = randomKey();
      await this.keyStore.set(current.vaultId, encodeKeychainSecret(secret));
      const keychain = {
        service: KEYCHAIN_SERVICE,
        account: current.vaultId,
        wrappedKey: wrapKey(s.key, secret, current.vaultId, 'keychain'),
      };
      try {
        this.commitFile(s, { ...current, methods: { ...current.methods, keychain } });
      } catch (err) {
        // vault.json still lists no keychain method: remove the now useless secret again.
        await this.keyStore.delete(current.vaultId).catch(() => false);
        zero(secret);
        throw err;
      }
      zero(s.keychainSecret);
      s.keychainSecret = secret;
      this.audit(s, { operation: 'method-added', method: 'keychain', message: 'OS keychain unlock method added.' });
      return this.status();
    });
  }

  removeMethod(method: UnlockMethod): Promise<VaultStatus> {
    return this.exclusive(async () => {
      const s = this.requireSession();
      const current = this.readOwnFile(s);
      if (!current.methods[method]) {
        throw new AttestError('NOT_FOUND', `This vault has no ${methodLabel(method)} unlock method.`);
      }
      const others = sortedMethods(current).filter((m) => m !== method);
      if (others.length === 0) {
        throw new AttestError('CONFLICT', `The ${methodLabel(method)} is this vault's only unlock method: add another one before removing it.`);
      }
      const methods = { ...current.methods };
      delete methods[method];
      // vault.json first: once it no longer lists the method, the method opens nothing even if the rest fails.
      this.commitFile(s, { ...current, methods });
      this.audit(s, {
        operation: 'method-removed',
        method,
        message: `${method === 'keychain' ? 'OS keychain' : 'Passphrase'} unlock method removed.`,
      });
      if (method === 'passphrase') {
        zero(s.passphraseKek);
        s.passphraseKek = null;
      } else {
        zero(s.keychainSecret);
        s.keychainSecret = null;
        try {
          await this.keyStore.delete(current.vaultId);
        } catch (err) {
          const reason = err instanceof AttestError && typeof err.details?.reason === 'string' ? err.details.reason : 'unknown error';
          throw new AttestError(
            'KEYCHAIN_UNAVAILABLE',
            `The OS keychain method was removed from the vault, but its keychain entry could not be deleted (${reason}): delete the "${KEYCHAIN_SERVICE}" entry for account ${current.vaultId} by hand.`,
            { reason },
          );
        }
      }
      return this.status();
    });
  }

  changePassphrase(currentPassphrase: string, nextPassphrase: string): Promise<VaultStatus> {
    return this.exclusive(async () => {
      const s = this.requireSession();
      validatePassphrase(nextPassphrase);
      const file = this.readOwnFile(s);
      const method = file.methods.passphrase;
      if (!method) throw new AttestError('BAD_REQUEST', 'This vault has no passphrase: add one instead.');
      const attempt: FailedAttempt = { at: new Date(this.clock.now()).toISOString(), method: 'passphrase' };
      const counted = this.countAttempt(attempt, false);
      const oldKek = await deriveKek(currentPassphrase, method.kdf);
      const check = unwrapKey(method.wrappedKey, oldKek, file.vaultId, 'passphrase');
      zero(oldKek);
      if (!check) {
        this.audit(s, {
          operation: 'passphrase-changed',
          failed: true,
          method: 'passphrase',
          message: 'Passphrase change refused: the current passphrase was wrong.',
        });
        throw new AttestError('AUTH_FAILED', 'The current passphrase is wrong: the passphrase was not changed.');
      }
      zero(check);
      const kdf = newScryptParams(this.scryptCost);
      const kek = await deriveKek(nextPassphrase, kdf);
      const wrappedKey = wrapKey(s.key, kek, file.vaultId, 'passphrase');
      this.commitFile(s, {
        ...counted,
        methods: { ...counted.methods, passphrase: { kdf, wrappedKey } },
        failedUnlocks: { ...counted.failedUnlocks, count: 0, lastFailureAt: null },
      });
      zero(s.passphraseKek);
      s.passphraseKek = kek;
      this.audit(s, { operation: 'passphrase-changed', method: 'passphrase', message: 'Passphrase changed.' });
      return this.status();
    });
  }

  /**
   * Rotates the database key: a new random key, PRAGMA rekey, and a new wrapped copy for every method.
   * Crash safety: the new key, wrapped for every method, goes into vault.json as `pendingKey` before the
   * database is re-encrypted; rekey runs in rollback-journal mode (SQLite3MultipleCiphers cannot rekey in
   * WAL mode), so a crash during it rolls back to the old key at the next open; a crash after it leaves the
   * pending key, which the next unlock tries and promotes. Re-wrapping needs every method's KEK: a session
   * unlocked with the keychain must be given the passphrase (when the vault has one).
   */
  rekey(opts: { passphrase?: string } = {}): Promise<VaultStatus> {
    return this.exclusive(async () => {
      const s = this.requireSession();
      const file = this.readOwnFile(s);
      const keks = await this.collectKeks(s, file, opts.passphrase);
      const newKey = randomKey();
      const createdAt = new Date(this.clock.now()).toISOString();
      const wrappedKeys: { passphrase?: WrappedKey; keychain?: WrappedKey } = {};
      if (keks.passphrase) wrappedKeys.passphrase = wrapKey(newKey, keks.passphrase, file.vaultId, 'passphrase');
      if (keks.keychain) wrappedKeys.keychain = wrapKey(newKey, keks.keychain, file.vaultId, 'keychain');
      const withPending: VaultFile = { ...file, pendingKey: { createdAt, wrappedKeys } };
      try {
        this.commitFile(s, withPending);
      } catch (err) {
        zero(newKey);
        throw err;
      }
      this.faults.afterPendingKeyWritten?.(s.db);

      try {
        const [checkpoint] = s.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
        if (checkpoint && checkpoint.busy) throw Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' });
        const mode = String(s.db.pragma('journal_mode = DELETE', { simple: true }));
        if (mode.toLowerCase() !== 'delete') throw Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' });
        s.db.pragma('synchronous = FULL');
        s.db.pragma(`rekey="x'${newKey.toString('hex')}'"`);
      } catch (err) {
        // PRAGMA rekey is one transaction: on failure the database still opens with the old key.
        try {
          s.db.pragma('journal_mode = WAL');
          s.db.pragma('synchronous = NORMAL');
        } catch {
          /* the next open sets these again */
        }
        try {
          this.commitFile(s, { ...withPending, pendingKey: null });
        } catch {
          /* a stale pendingKey is ignored and cleared at the next unlock */
        }
        zero(newKey);
        throw busyOrTranslate(err);
      }
      this.faults.afterDatabaseRekeyed?.(s.db);

      const oldKey = s.key;
      s.key = newKey;
      zero(oldKey);
      s.db.pragma('journal_mode = WAL');
      s.db.pragma('synchronous = NORMAL');
      const methods: VaultFile['methods'] = { ...withPending.methods };
      if (methods.passphrase && wrappedKeys.passphrase) methods.passphrase = { ...methods.passphrase, wrappedKey: wrappedKeys.passphrase };
      if (methods.keychain && wrappedKeys.keychain) methods.keychain = { ...methods.keychain, wrappedKey: wrappedKeys.keychain };
      // If this write fails, vault.json still holds the new key as pending and the next unlock promotes it.
      this.commitFile(s, { ...withPending, methods, keyCreatedAt: createdAt, pendingKey: null });
      this.audit(s, {
        operation: 'rekey',
        message: `Database key rotated; the new key was wrapped for every unlock method (${sortedMethods(file).map(methodLabel).join(', ')}).`,
      });
      return this.status();
    });
  }

  setAutoLock(minutes: number): Promise<VaultStatus> {
    return this.exclusive(async () => {
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) {
        throw new AttestError('BAD_REQUEST', 'Auto-lock must be a whole number of minutes from 1 to 1440.');
      }
      const s = this.requireSession();
      const file = this.readOwnFile(s);
      const before = file.autoLockMinutes;
      this.commitFile(s, { ...file, autoLockMinutes: minutes });
      this.armTimer(s);
      this.audit(s, {
        operation: 'auto-lock-set',
        message: `Auto-lock set to ${minutes} minute${minutes === 1 ? '' : 's'} (was ${before}).`,
        details: { minutes, previous_minutes: before },
      });
      return this.status();
    });
  }

  // ---- backup and restore -----------------------------------------------------------------------------

  /** Writes a single-file encrypted backup (see vault-backup.ts) and records it in the audit log. */
  backup(outFile: string): Promise<{ file: string; bytes: number; sha256: string }> {
    return this.exclusive(async () => {
      const s = this.requireSession();
      const result = writeBackup({
        db: s.db,
        key: s.key,
        cipher: s.file.cipher,
        vault: this.readOwnFile(s),
        outFile,
        now: this.clock.now(),
        ...this.openOptions(),
      });
      this.audit(s, {
        operation: 'backup',
        message: `Encrypted backup written (${result.bytes} bytes, SHA-256 ${result.sha256}).`,
        details: { bytes: result.bytes, sha256: result.sha256, file_name: path.basename(result.file) },
      });
      return result;
    });
  }

  /**
   * Re-creates a vault directory from a backup file. No secret is needed: the data stays encrypted and the
   * restored vault is unlocked later like any other (same passphrase / keychain entry as when backed up).
   * The restore itself is recorded as an audit event at that first unlock.
   */
  static async restore(backupFile: string, targetDir: string): Promise<{ dir: string; vaultId: string }> {
    return restoreBackup(backupFile, targetDir, Date.now());
  }

  // ---- internals ------------------------------------------------------------------------------------

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private openOptions(): { nativeBinding?: string } {
    return this.nativeBinding ? { nativeBinding: this.nativeBinding } : {};
  }

  private requireSession(): Session {
    if (!this.session) throw new AttestError('LOCKED', 'The vault is locked: unlock it first.');
    return this.session;
  }

  private retryAfter(file: VaultFile): number {
    const last = file.failedUnlocks.lastFailureAt;
    return retryAfterMs(file.failedUnlocks.count, last === null ? null : Date.parse(last), this.clock.now());
  }

  private assertNotThrottled(file: VaultFile): void {
    const wait = this.retryAfter(file);
    if (wait > 0) {
      throw new AttestError('THROTTLED', `Too many failed attempts. Try again in ${Math.ceil(wait / 1000)} seconds.`, {
        retryAfterMs: wait,
      });
    }
  }

  /**
   * Throttle check and failure count as one step under the cross-process lock, on vault.json as it is on
   * disk now: parallel attempts from several processes are each counted, none slips past the throttle.
   */
  private countAttempt(attempt: FailedAttempt, remember: boolean): VaultFile {
    return withVaultFileLock(this.dir, () => {
      const current = requireVaultFile(this.dir);
      this.assertNotThrottled(current);
      return this.writeFailure(current, attempt, remember);
    });
  }

  /** Persists one more failure (count, time, and, if `remember`, the attempt for the audit log). */
  private writeFailure(file: VaultFile, attempt: FailedAttempt, remember: boolean): VaultFile {
    const recent = remember ? [...file.failedUnlocks.recent, attempt].slice(-MAX_RECENT_FAILURES) : file.failedUnlocks.recent;
    const next: VaultFile = {
      ...file,
      failedUnlocks: { count: file.failedUnlocks.count + 1, lastFailureAt: attempt.at, recent },
    };
    writeVaultFile(this.dir, next);
    if (this.session && this.session.file.vaultId === next.vaultId) this.session.file = next;
    return next;
  }

  /** vault.json as on disk now (another process may have counted failures), checked to be our vault. */
  private readOwnFile(s: Session): VaultFile {
    const file = requireVaultFile(this.dir);
    if (file.vaultId !== s.file.vaultId) {
      throw new AttestError('TAMPERED', 'vault.json was replaced by another vault\'s file while this vault was unlocked: lock it and check the folder.');
    }
    return file;
  }

  private commitFile(s: Session, file: VaultFile): void {
    writeVaultFile(this.dir, file);
    s.file = file;
  }

  /** Opens the database with the unwrapped key (or the pending key of an interrupted rotation). */
  private async openSession(
    file: VaultFile,
    key: Buffer,
    pendingKey: Buffer | null,
    countedAttempt: FailedAttempt | null,
    secrets: { passphraseKek: Buffer | null; keychainSecret: Buffer | null; method: UnlockMethod },
  ): Promise<void> {
    const dbFile = vaultDbPath(this.dir);
    const dropSecrets = () => {
      zero(key);
      zero(pendingKey);
      zero(secrets.passphraseKek);
      zero(secrets.keychainSecret);
    };
    if (!fs.existsSync(dbFile)) {
      dropSecrets();
      throw new AttestError('IO', 'The vault database (vault.sqlite) is missing from the vault folder: restore the vault from a backup.');
    }
    let db: Db;
    let activeKey = key;
    let rotation: 'none' | 'promoted' | 'discarded' = 'none';
    try {
      // The current key first: after a crash during rekey, it is the one that can roll back the journal.
      db = openEncryptedDatabase(dbFile, key, file.cipher, this.openOptions());
      if (file.pendingKey) rotation = 'discarded';
    } catch (err) {
      if (!(err instanceof AttestError && err.code === 'TAMPERED' && pendingKey)) {
        dropSecrets();
        throw err;
      }
      try {
        db = openEncryptedDatabase(dbFile, pendingKey, file.cipher, this.openOptions());
      } catch {
        dropSecrets();
        throw err;
      }
      activeKey = pendingKey;
      rotation = 'promoted';
    }
    if (activeKey !== key) zero(key);
    else zero(pendingKey);

    // Success with the right secret: this attempt was no failure, and the counter starts over.
    // writeFailure appended this attempt last; drop exactly that one entry.
    const recent = [...file.failedUnlocks.recent];
    const last = recent[recent.length - 1];
    if (countedAttempt && last && last.at === countedAttempt.at && last.method === countedAttempt.method) recent.pop();
    const resetCounter: VaultFile = { ...file, failedUnlocks: { count: 0, lastFailureAt: null, recent: [] } };
    try {
      migrate(db);
    } catch (err) {
      db.close();
      zero(activeKey);
      zero(secrets.passphraseKek);
      zero(secrets.keychainSecret);
      try {
        writeVaultFile(this.dir, { ...resetCounter, failedUnlocks: { count: 0, lastFailureAt: null, recent } });
      } catch {
        /* the refusal below is the error that matters */
      }
      throw err instanceof AttestError ? err : translateOpenError(err);
    }

    let next: VaultFile = { ...resetCounter, pendingAudit: [], pendingKey: null };
    if (rotation === 'promoted' && file.pendingKey) {
      const methods: VaultFile['methods'] = { ...file.methods };
      const w = file.pendingKey.wrappedKeys;
      if (methods.passphrase && w.passphrase) methods.passphrase = { ...methods.passphrase, wrappedKey: w.passphrase };
      if (methods.keychain && w.keychain) methods.keychain = { ...methods.keychain, wrappedKey: w.keychain };
      next = { ...next, methods, keyCreatedAt: file.pendingKey.createdAt };
    }
    const session: Session = {
      db,
      key: activeKey,
      file: next,
      passphraseKek: secrets.passphraseKek,
      keychainSecret: secrets.keychainSecret,
      timer: null,
      timerGeneration: 0,
    };
    try {
      // Audit first, then vault.json: if we crash in between, the facts are written twice, never lost.
      db.transaction(() => {
        for (const failure of recent) {
          this.audit(session, {
            operation: 'unlock-failed',
            method: failure.method,
            time: Date.parse(failure.at),
            message: `Failed unlock attempt with the ${methodLabel(failure.method)}.`,
          });
        }
        for (const item of file.pendingAudit) {
          if (item.kind === 'restore') {
            this.audit(session, {
              operation: 'restore',
              time: Date.parse(item.at),
              message: `Vault restored from a backup (backup SHA-256 ${item.backupSha256}).`,
              details: { backup_sha256: item.backupSha256 },
            });
          } else {
            this.audit(session, {
              operation: 'rekey-interrupted',
              failed: true,
              time: Date.parse(item.at),
              message: 'A database key rotation was interrupted; the previous key stayed in use.',
            });
          }
        }
        if (rotation === 'promoted') {
          this.audit(session, {
            operation: 'rekey',
            message: 'A database key rotation interrupted after re-encryption was completed at unlock; the new key is in use.',
          });
        } else if (rotation === 'discarded') {
          this.audit(session, {
            operation: 'rekey-interrupted',
            failed: true,
            message: 'A database key rotation was interrupted before re-encryption; the previous key stays in use.',
          });
        }
        this.audit(session, {
          operation: 'unlock',
          method: secrets.method,
          message: `Vault unlocked with the ${methodLabel(secrets.method)}.`,
        });
      }).immediate();
      writeVaultFile(this.dir, next);
    } catch (err) {
      db.close();
      zero(activeKey);
      zero(secrets.passphraseKek);
      zero(secrets.keychainSecret);
      throw err instanceof AttestError ? err : translateOpenError(err);
    }
    this.session = session;
    this.armTimer(session);
  }

  /**
   * Stored scrypt parameters weaker than this build's are raised at the next passphrase unlock (the only
   * moment the passphrase is at hand). Best effort: the old wrap stays valid if this fails.
   */
  private async strengthenKdf(passphrase: string): Promise<void> {
    const s = this.session;
    const method = s?.file.methods.passphrase;
    if (!s || !method) return;
    const want = this.scryptCost;
    const old = method.kdf;
    if (old.N >= want.N && old.r >= want.r && old.p >= want.p) return;
    try {
      const kdf = newScryptParams({ N: Math.max(old.N, want.N), r: Math.max(old.r, want.r), p: Math.max(old.p, want.p) });
      const kek = await deriveKek(passphrase, kdf);
      const file = this.readOwnFile(s);
      if (!file.methods.passphrase) return;
      this.commitFile(s, { ...file, methods: { ...file.methods, passphrase: { kdf, wrappedKey: wrapKey(s.key, kek, file.vaultId, 'passphrase') } } });
      zero(s.passphraseKek);
      s.passphraseKek = kek;
      this.audit(s, {
        operation: 'kdf-upgraded',
        method: 'passphrase',
        message: `Passphrase key derivation strengthened from scrypt N=${old.N}, r=${old.r}, p=${old.p} to N=${kdf.N}, r=${kdf.r}, p=${kdf.p}.`,
      });
    } catch {
      /* the vault is unlocked either way; the next unlock tries again */
    }
  }

  /** The KEK of every method, to wrap a new key; verified against the current wrapped copies. */
  private async collectKeks(
    s: Session,
    file: VaultFile,
    passphrase: string | undefined,
  ): Promise<{ passphrase: Buffer | null; keychain: Buffer | null }> {
    let passphraseKek: Buffer | null = null;
    let keychainKek: Buffer | null = null;
    const opens = (w: WrappedKey, kek: Buffer, m: UnlockMethod): boolean => {
      const k = unwrapKey(w, kek, file.vaultId, m);
      const ok = k !== null && k.equals(s.key);
      zero(k);
      return ok;
    };
    if (file.methods.passphrase) {
      const m = file.methods.passphrase;
      if (passphrase !== undefined) {
        const attempt: FailedAttempt = { at: new Date(this.clock.now()).toISOString(), method: 'passphrase' };
        const counted = this.countAttempt(attempt, false);
        const kek = await deriveKek(passphrase, m.kdf);
        if (!opens(m.wrappedKey, kek, 'passphrase')) {
          zero(kek);
          throw new AttestError('AUTH_FAILED', 'Wrong passphrase: the database key was not rotated.');
        }
        this.commitFile(s, { ...counted, failedUnlocks: { ...counted.failedUnlocks, count: 0, lastFailureAt: null } });
        passphraseKek = kek;
      } else if (s.passphraseKek && opens(m.wrappedKey, s.passphraseKek, 'passphrase')) {
        passphraseKek = Buffer.from(s.passphraseKek);
      } else {
        throw new AttestError(
          'AUTH_FAILED',
          'Rotating the database key needs your passphrase, because this session was not unlocked with it: enter the passphrase to continue.',
          { needs: 'passphrase' },
        );
      }
    }
    if (file.methods.keychain) {
      const m = file.methods.keychain;
      let secret: Buffer | null = s.keychainSecret ? Buffer.from(s.keychainSecret) : null;
      if (!secret || !opens(m.wrappedKey, secret, 'keychain')) {
        zero(secret);
        const text = await this.keyStore.get(m.account);
        secret = text === null ? null : decodeKeychainSecret(text);
        if (!secret || !opens(m.wrappedKey, secret, 'keychain')) {
          zero(secret);
          zero(passphraseKek);
          throw text === null
            ? keychainUnavailable('it has no entry for this vault, so the new key cannot be wrapped for it; remove the keychain method first')
            : new AttestError('AUTH_FAILED', 'The OS keychain entry does not open this vault: remove and re-add the keychain method first.');
        }
      }
      keychainKek = secret;
    }
    return { passphrase: passphraseKek, keychain: keychainKek };
  }

  private async lockNow(reason: 'idle' | 'operator'): Promise<VaultStatus> {
    const s = this.session;
    if (s) {
      if (s.timer !== null) this.clock.clearTimeout(s.timer);
      s.timerGeneration++;
      try {
        this.audit(s, {
          operation: 'lock',
          message:
            reason === 'idle'
              ? `Vault locked automatically after ${s.file.autoLockMinutes} minute${s.file.autoLockMinutes === 1 ? '' : 's'} without activity.`
              : 'Vault locked by the operator.',
          details: { reason },
        });
      } catch {
        // Locking must never fail: a vault that cannot record its lock is still locked.
      }
      try {
        // Seal the session: a signed checkpoint of the head as it is at lock, lock event included, so an
        // exported checkpoint covers everything the operator did, not only the last import.
        await signCheckpoint(s.db, s.file.vaultId);
      } catch {
        /* the chain itself is intact; the next import or lock signs again */
      }
      try {
        s.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        /* the WAL stays encrypted; the next open checkpoints it */
      }
      try {
        s.db.close();
      } catch {
        /* closing is best effort */
      }
      zero(s.key);
      zero(s.passphraseKek);
      zero(s.keychainSecret);
      this.session = null;
      try {
        this.onLocked?.(reason);
      } catch {
        /* a failing listener must not undo the lock */
      }
    }
    return this.status();
  }

  private armTimer(s: Session): void {
    if (s.timer !== null) this.clock.clearTimeout(s.timer);
    const generation = ++s.timerGeneration;
    const handle = this.clock.setTimeout(() => {
      if (this.session !== s || s.timerGeneration !== generation) return;
      void this.exclusive(async () => {
        // touch() may have re-armed the timer while this call waited its turn.
        if (this.session === s && s.timerGeneration === generation) await this.lockNow('idle');
      }).catch(() => undefined);
    }, s.file.autoLockMinutes * MINUTE_MS);
    (handle as { unref?: () => void } | null)?.unref?.();
    s.timer = handle;
  }

  private audit(s: Session, input: Omit<VaultAuditInput, 'time' | 'operator' | 'vaultId'> & { time?: number }): number {
    const event = vaultAuditEvent({
      ...input,
      time: input.time ?? this.clock.now(),
      operator: this.operator,
      vaultId: s.file.vaultId,
    });
    try {
      return appendSelfAuditEvent(s.db, event);
    } catch (err) {
      throw err instanceof AttestError ? err : translateOpenError(err);
    }
  }
}
