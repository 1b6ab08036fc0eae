import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CipherSchema, UnlockMethodSchema } from '../../../shared/contract/vault';
import { AttestError } from '../../../shared/result';

/**
 * vault.json: everything needed to unlock the vault, nothing that opens it alone. It holds the wrapped
 * copies of the database key (one per unlock method, AES-256-GCM), the passphrase KDF parameters, the
 * failed-unlock counter (so a restart does not reset throttling) and audit facts waiting for the next
 * unlock (failed attempts, a restore), because the event log itself can only be written while unlocked.
 */
export const VAULT_FORMAT_VERSION = 1;
export const VAULT_JSON = 'vault.json';
export const VAULT_DB = 'vault.sqlite';
export const DEFAULT_AUTO_LOCK_MINUTES = 15;
export const MAX_RECENT_FAILURES = 50;
export const MAX_PENDING_AUDIT = 50;

const base64 = (minBytes: number, maxBytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64')
    .refine((s) => {
      const n = Buffer.from(s, 'base64').length;
      return n >= minBytes && n <= maxBytes;
    }, 'wrong length');

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a time');

export const WrappedKeySchema = z
  .object({ alg: z.literal('A256GCM'), iv: base64(12, 12), data: base64(32, 32), tag: base64(16, 16) })
  .strict();

const powerOfTwo = (n: number) => n > 1 && (n & (n - 1)) === 0;
export const ScryptParamsSchema = z
  .object({
    algorithm: z.literal('scrypt'),
    // Bounds keep a hand-edited file (or a hostile backup) from asking for gigabytes of memory or minutes
    // of CPU: 128·N·r is at most 1 GiB (N=2^20, r=8 or N=2^19, r=16), p at most 4.
    N: z.number().int().min(2 ** 10).max(2 ** 20).refine(powerOfTwo, 'N must be a power of two'),
    r: z.number().int().min(1).max(16),
    p: z.number().int().min(1).max(4),
    keyLength: z.literal(32),
    salt: base64(16, 64),
  })
  .strict()
  .refine((k) => 128 * k.N * k.r <= 2 ** 30, 'scrypt parameters would need more than 1 GiB of memory');

const WrappedKeysSchema = z
  .object({ passphrase: WrappedKeySchema.optional(), keychain: WrappedKeySchema.optional() })
  .strict();

export const VaultFileSchema = z
  .object({
    format: z.literal('attest-vault'),
    formatVersion: z.literal(VAULT_FORMAT_VERSION),
    vaultId: z.uuid(),
    cipher: CipherSchema,
    createdAt: isoTime,
    keyCreatedAt: isoTime,
    autoLockMinutes: z.number().int().min(1).max(24 * 60),
    methods: z
      .object({
        passphrase: z.object({ kdf: ScryptParamsSchema, wrappedKey: WrappedKeySchema }).strict().optional(),
        keychain: z
          .object({ service: z.string().min(1), account: z.string().min(1), wrappedKey: WrappedKeySchema })
          .strict()
          .optional(),
      })
      .strict()
      .refine((m) => m.passphrase !== undefined || m.keychain !== undefined, 'no unlock method'),
    /** A key rotation in flight: the new key, wrapped for every method, written before PRAGMA rekey. */
    pendingKey: z.object({ createdAt: isoTime, wrappedKeys: WrappedKeysSchema }).strict().nullable(),
    failedUnlocks: z
      .object({
        count: z.number().int().min(0),
        lastFailureAt: isoTime.nullable(),
        recent: z.array(z.object({ at: isoTime, method: UnlockMethodSchema }).strict()).max(MAX_RECENT_FAILURES),
      })
      .strict(),
    pendingAudit: z
      .array(
        z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('restore'), at: isoTime, backupSha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
          z.object({ kind: z.literal('rekey-interrupted'), at: isoTime }).strict(),
        ]),
      )
      .max(MAX_PENDING_AUDIT),
    /** SHA-256 of the file's other members as written (vaultFileChecksum). Absent in files from before it. */
    checksum: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .strict();
export type VaultFile = z.infer<typeof VaultFileSchema>;

/**
 * The checksum of vault.json: SHA-256 of its members other than `checksum`, serialised as they are written.
 * It tells a damaged file (a byte changed on disk) from a wrong passphrase: both would otherwise fail the
 * key's AES-GCM unwrap alike, and a damaged file would count towards the lockout. Not a defence against a
 * deliberate edit (anyone can recompute it); the wrapped keys are bound to the vault id for that.
 */
export function vaultFileChecksum(members: Record<string, unknown>): string {
  const { checksum: _ignored, ...rest } = members;
  return crypto.createHash('sha256').update(JSON.stringify(rest, null, 2)).digest('hex');
}
export type PendingAudit = VaultFile['pendingAudit'][number];

export function vaultJsonPath(dir: string): string {
  return path.join(dir, VAULT_JSON);
}
export function vaultDbPath(dir: string): string {
  return path.join(dir, VAULT_DB);
}

/** Parses vault.json text; anything unexpected is a clear TAMPERED/VAULT_TOO_NEW error, never a crash. */
export function parseVaultFile(text: string): VaultFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AttestError('TAMPERED', 'vault.json is damaged (it is not valid JSON): restore it from a backup.');
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > VAULT_FORMAT_VERSION) {
    throw new AttestError(
      'VAULT_TOO_NEW',
      `This vault was written by a newer version of Attest (vault format ${version}; this version knows ${VAULT_FORMAT_VERSION}). Update Attest to open it.`,
    );
  }
  const stored = (raw as { checksum?: unknown } | null)?.checksum;
  if (typeof stored === 'string' && typeof raw === 'object' && raw !== null && stored !== vaultFileChecksum(raw as Record<string, unknown>)) {
    throw new AttestError(
      'TAMPERED',
      'vault.json is damaged: its content no longer matches its checksum (a byte changed on disk, or the file was edited). Restore vault.json from a backup of the vault folder. No unlock was attempted, and nothing was counted as a failed attempt.',
    );
  }
  const parsed = VaultFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? issue.path.join('.') : 'the file';
    throw new AttestError('TAMPERED', `vault.json was altered or damaged (${where}: ${issue?.message ?? 'invalid'}): restore it from a backup.`);
  }
  return parsed.data;
}

/** Reads vault.json, or null when the directory holds no vault. */
export function readVaultFile(dir: string): VaultFile | null {
  let text: string;
  try {
    text = fs.readFileSync(vaultJsonPath(dir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw ioError(err, 'vault.json could not be read');
  }
  return parseVaultFile(text);
}

export function requireVaultFile(dir: string): VaultFile {
  const file = readVaultFile(dir);
  if (!file) throw new AttestError('NO_VAULT', 'There is no vault in this location: create one first.');
  return file;
}

/** Maps file-system failures to IO errors with a clear cause; paths are left out on purpose. */
export function ioError(err: unknown, what: string): AttestError {
  if (err instanceof AttestError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new AttestError('IO', `The disk is full: ${what}.`);
    case 'EACCES':
    case 'EPERM':
      return new AttestError('IO', `Permission denied: ${what}.`);
    case 'EROFS':
      return new AttestError('IO', `The file system is read-only: ${what}.`);
    case 'ENOENT':
      return new AttestError('IO', `A file or folder is missing: ${what}.`);
    default:
      return new AttestError('IO', `${what[0]?.toUpperCase() ?? ''}${what.slice(1)} (${code ?? 'I/O error'}).`);
  }
}

/** fsync a directory so a rename inside it survives power loss; not possible (nor needed) on Windows. */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes bytes so that a crash leaves either the old file or the new one: temp + fsync + rename + fsync dir. */
export function writeFileAtomic(file: string, data: string | Buffer, what: string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    fsyncDir(dir);
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* the temp file is harmless: it holds nothing the real file does not */
    }
    throw ioError(err, what);
  }
}

export function writeVaultFile(dir: string, file: VaultFile): void {
  // Validate before writing: a bug here must never leave an unreadable vault.json behind.
  const { checksum: _old, ...members } = VaultFileSchema.parse(file);
  const text = JSON.stringify({ ...members, checksum: vaultFileChecksum(members) }, null, 2);
  writeFileAtomic(vaultJsonPath(dir), `${text}\n`, 'vault.json could not be written');
}

const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 30_000;

/**
 * Runs a read-modify-write of vault.json under a lock file shared by every Attest process on this vault
 * (CLI runs, the app, `attest serve`), so concurrent failed unlocks are each counted and throttled. A lock
 * left by a killed process is broken after 30 s.
 */
export function withVaultFileLock<T>(dir: string, fn: () => T): T {
  const lock = path.join(dir, 'vault.json.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let fd: number | null = null;
  while (fd === null) {
    try {
      fd = fs.openSync(lock, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AttestError('IO', `The vault's lock file could not be created (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
      }
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > LOCK_STALE_MS) fs.rmSync(lock, { force: true });
      } catch {
        /* it went away meanwhile */
      }
      if (Date.now() > deadline) throw new AttestError('CONFLICT', 'Another Attest process is updating this vault; try again in a moment.');
      Atomics.wait(pause, 0, 0, 15);
    }
  }
  try {
    return fn();
  } finally {
    fs.closeSync(fd);
    fs.rmSync(lock, { force: true });
  }
}
