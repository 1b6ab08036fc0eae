import crypto from 'node:crypto';
import fs from 'node:fs';
import { AttestError } from '../../../shared/result';
import { parseVaultFile, type VaultFile } from './vault-file';

/**
 * Attest backup file, one file, version 1. All integers big-endian.
 *
 *   offset 0   8 bytes   magic "ATTESTBK"
 *   offset 8   4 bytes   format version (1)
 *   offset 12  4 bytes   header length H (bytes of UTF-8 JSON)
 *   offset 16  H bytes   header JSON: { vault: <vault.json as of the backup, counters reset>,
 *                                      db: { bytes, sha256 }, createdAt, schemaVersion }
 *   offset 16+H          the database: a page-encrypted SQLite file under the vault's key (as vault.sqlite)
 *
 * The header carries only wrapped keys, so the file opens with the same passphrase or keychain entry as
 * the vault it came from and with nothing else. Its own SHA-256 is reported to the operator and recorded
 * in the audit log; the database's SHA-256 in the header catches truncation and damage at restore.
 */
export const BACKUP_MAGIC = Buffer.from('ATTESTBK', 'ascii');
export const BACKUP_FORMAT_VERSION = 1;
const PREFIX_BYTES = 16;
const MAX_HEADER_BYTES = 1024 * 1024;

export interface BackupHeader {
  vault: VaultFile;
  db: { bytes: number; sha256: string };
  createdAt: string;
  schemaVersion: number;
}

export function encodeBackupPrefix(header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  BACKUP_MAGIC.copy(prefix, 0);
  prefix.writeUInt32BE(BACKUP_FORMAT_VERSION, 8);
  prefix.writeUInt32BE(json.length, 12);
  return Buffer.concat([prefix, json]);
}

const damaged = (why: string) => new AttestError('TAMPERED', `The backup file is damaged or not an Attest backup (${why}).`);

/** Reads and checks a backup's prefix and header from an open file; the database follows at dbOffset. */
export function readBackupHeader(fd: number, fileBytes: number): { header: BackupHeader; dbOffset: number } {
  const prefix = Buffer.alloc(PREFIX_BYTES);
  const got = fs.readSync(fd, prefix, 0, PREFIX_BYTES, 0);
  if (got < PREFIX_BYTES || !prefix.subarray(0, 8).equals(BACKUP_MAGIC)) {
    throw new AttestError('UNSUPPORTED_FORMAT', 'This file is not an Attest vault backup.');
  }
  const version = prefix.readUInt32BE(8);
  if (version !== BACKUP_FORMAT_VERSION) {
    throw new AttestError('UNSUPPORTED_FORMAT', `This backup uses format ${version}, which this version of Attest cannot read.`);
  }
  const headerBytes = prefix.readUInt32BE(12);
  if (headerBytes > MAX_HEADER_BYTES || PREFIX_BYTES + headerBytes > fileBytes) throw damaged('header length');
  const json = Buffer.alloc(headerBytes);
  if (fs.readSync(fd, json, 0, headerBytes, PREFIX_BYTES) !== headerBytes) throw damaged('header length');
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch {
    throw damaged('header is not JSON');
  }
  const h = raw as Partial<BackupHeader> | null;
  if (
    !h ||
    typeof h !== 'object' ||
    !h.db ||
    !Number.isSafeInteger(h.db.bytes) ||
    typeof h.db.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(h.db.sha256)
  ) {
    throw damaged('header fields');
  }
  const vault = parseVaultFile(JSON.stringify(h.vault ?? null));
  const dbOffset = PREFIX_BYTES + headerBytes;
  if (fileBytes - dbOffset !== h.db.bytes) throw damaged('the database is truncated');
  return {
    header: {
      vault,
      db: { bytes: h.db.bytes, sha256: h.db.sha256 },
      createdAt: typeof h.createdAt === 'string' ? h.createdAt : '',
      schemaVersion: typeof h.schemaVersion === 'number' ? h.schemaVersion : 0,
    },
    dbOffset,
  };
}

/** True when the bytes start like an unencrypted SQLite file. */
export function looksLikePlainSqlite(firstBytes: Buffer): boolean {
  return firstBytes.subarray(0, 16).toString('latin1') === 'SQLite format 3\0';
}

/**
 * Copies `length` bytes from one file to another in chunks, returning their SHA-256; fsyncs the target.
 * Chunked so a multi-gigabyte vault never has to fit in memory.
 */
export function copyRangeHashed(fromFd: number, fromOffset: number, length: number, toFd: number, toOffset: number): string {
  const hash = crypto.createHash('sha256');
  const chunk = Buffer.alloc(1024 * 1024);
  let done = 0;
  while (done < length) {
    const want = Math.min(chunk.length, length - done);
    const n = fs.readSync(fromFd, chunk, 0, want, fromOffset + done);
    if (n <= 0) throw damaged('the database is truncated');
    hash.update(chunk.subarray(0, n));
    let written = 0;
    while (written < n) written += fs.writeSync(toFd, chunk, written, n - written, toOffset + done + written);
    done += n;
  }
  fs.fsyncSync(toFd);
  return hash.digest('hex');
}

/** SHA-256 of a whole file, chunked. */
export function sha256File(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const hash = crypto.createHash('sha256');
    const chunk = Buffer.alloc(1024 * 1024);
    let pos = 0;
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, pos);
      if (n <= 0) break;
      hash.update(chunk.subarray(0, n));
      pos += n;
    }
    return hash.digest('hex');
  } finally {
    fs.closeSync(fd);
  }
}
