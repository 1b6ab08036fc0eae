import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Cipher } from '../../../shared/contract/vault';
import { AttestError } from '../../../shared/result';
import {
  copyRangeHashed,
  encodeBackupPrefix,
  looksLikePlainSqlite,
  readBackupHeader,
  sha256File,
  type BackupHeader,
} from './backup-format';
import { openEncryptedDatabase, translateOpenError, type Db } from './database';
import { fsyncDir, ioError, vaultDbPath, vaultJsonPath, writeVaultFile, type VaultFile } from './vault-file';

export interface BackupInput {
  db: Db;
  key: Buffer;
  cipher: Cipher;
  /** vault.json as it is now; its wrapped keys go into the backup so the same secrets open it. */
  vault: VaultFile;
  outFile: string;
  now: number;
  nativeBinding?: string;
}

const exists = () => new AttestError('CONFLICT', 'A file already exists at the backup location: choose a new file name.');

/**
 * Writes a single-file backup (format in backup-format.ts). The database copy is made with VACUUM INTO,
 * not better-sqlite3's backup(): SQLite3MultipleCiphers refuses the backup API into an unkeyed target
 * ("backup is not supported with incompatible source and target databases"), while VACUUM INTO writes a
 * consistent snapshot encrypted with the same cipher and key. The copy is checked to be encrypted and to
 * open with the key before it is packaged; the package is staged and renamed into place.
 */
export function writeBackup(input: BackupInput): { file: string; bytes: number; sha256: string } {
  const out = path.resolve(input.outFile);
  if (fs.existsSync(out)) throw exists();
  const outDir = path.dirname(out);
  if (!fs.existsSync(outDir)) throw new AttestError('IO', 'The folder for the backup does not exist.');
  const nonce = crypto.randomBytes(6).toString('hex');
  const snapshot = path.join(outDir, `.${path.basename(out)}.${nonce}.db.tmp`);
  const staging = path.join(outDir, `.${path.basename(out)}.${nonce}.tmp`);
  try {
    try {
      input.db.prepare('VACUUM INTO ?').run(snapshot);
    } catch (err) {
      throw backupIoError(err);
    }
    assertEncryptedCopy(snapshot, input);
    const dbBytes = fs.statSync(snapshot).size;
    const header: BackupHeader = {
      vault: {
        ...input.vault,
        pendingKey: null,
        pendingAudit: [],
        failedUnlocks: { count: 0, lastFailureAt: null, recent: [] },
      },
      db: { bytes: dbBytes, sha256: sha256File(snapshot) },
      createdAt: new Date(input.now).toISOString(),
      schemaVersion: Number(input.db.pragma('user_version', { simple: true })),
    };
    const prefix = encodeBackupPrefix(header);
    const outFd = fs.openSync(staging, 'wx', 0o600);
    try {
      fs.writeSync(outFd, prefix, 0, prefix.length, 0);
      const inFd = fs.openSync(snapshot, 'r');
      try {
        copyRangeHashed(inFd, 0, dbBytes, outFd, prefix.length);
      } finally {
        fs.closeSync(inFd);
      }
    } finally {
      fs.closeSync(outFd);
    }
    if (fs.existsSync(out)) throw exists();
    fs.renameSync(staging, out);
    fsyncDir(outDir);
  } catch (err) {
    throw err instanceof AttestError ? err : ioError(err, 'the backup could not be written');
  } finally {
    fs.rmSync(snapshot, { force: true });
    fs.rmSync(staging, { force: true });
  }
  return { file: out, bytes: fs.statSync(out).size, sha256: sha256File(out) };
}

/**
 * Re-creates a vault directory (new or empty) from a backup file: vault.sqlite first, vault.json last as
 * the commit point, with a pending audit fact so the restore is logged at the first unlock.
 */
export function restoreBackup(backupFile: string, targetDir: string, now: number): { dir: string; vaultId: string } {
  const source = path.resolve(backupFile);
  const target = path.resolve(targetDir);
  let fd: number;
  try {
    fd = fs.openSync(source, 'r');
  } catch (err) {
    throw ioError(err, 'the backup file could not be opened');
  }
  let createdDir = false;
  let wroteDb = false;
  const dbFile = vaultDbPath(target);
  try {
    const { header, dbOffset } = readBackupHeader(fd, fs.fstatSync(fd).size);
    if (fs.existsSync(target)) {
      if (!fs.statSync(target).isDirectory() || fs.readdirSync(target).length > 0) {
        throw new AttestError(
          fs.existsSync(vaultJsonPath(target)) ? 'VAULT_EXISTS' : 'CONFLICT',
          'The restore target must be a new or empty folder.',
        );
      }
    } else {
      fs.mkdirSync(target, { recursive: true, mode: 0o700 });
      createdDir = true;
    }
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, dbOffset);
    if (looksLikePlainSqlite(head)) {
      throw new AttestError('TAMPERED', 'The backup file is damaged or not an Attest backup (the database is not encrypted).');
    }
    const dbFd = fs.openSync(dbFile, 'wx', 0o600);
    wroteDb = true;
    let sha: string;
    try {
      sha = copyRangeHashed(fd, dbOffset, header.db.bytes, dbFd, 0);
    } finally {
      fs.closeSync(dbFd);
    }
    if (sha !== header.db.sha256) {
      throw new AttestError('TAMPERED', 'The backup file is damaged (the database checksum does not match).');
    }
    const restored: VaultFile = {
      ...header.vault,
      pendingKey: null,
      failedUnlocks: { count: 0, lastFailureAt: null, recent: [] },
      pendingAudit: [{ kind: 'restore', at: new Date(now).toISOString(), backupSha256: sha256File(source) }],
    };
    writeVaultFile(target, restored);
    return { dir: target, vaultId: restored.vaultId };
  } catch (err) {
    if (wroteDb) fs.rmSync(dbFile, { force: true });
    if (createdDir) fs.rmSync(target, { recursive: true, force: true });
    throw err instanceof AttestError ? err : ioError(err, 'the vault could not be restored');
  } finally {
    fs.closeSync(fd);
  }
}

function assertEncryptedCopy(file: string, input: BackupInput): void {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(16);
  try {
    fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (looksLikePlainSqlite(head)) {
    throw new AttestError('INTERNAL', 'The backup copy came out unencrypted, so it was discarded.');
  }
  const copy = openEncryptedDatabase(file, input.key, input.cipher, {
    readonly: true,
    ...(input.nativeBinding ? { nativeBinding: input.nativeBinding } : {}),
  });
  try {
    copy.prepare('SELECT count(*) FROM sqlite_master').get();
  } finally {
    copy.close();
  }
}

function backupIoError(err: unknown): AttestError {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return new AttestError('IO', 'The disk is full: the backup could not be written.');
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code.startsWith('SQLITE_IOERR')) {
    return new AttestError('IO', 'The backup could not be written to that location (permission denied or not writable).');
  }
  return translateOpenError(err);
}
