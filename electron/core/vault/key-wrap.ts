import crypto from 'node:crypto';
import type { UnlockMethod } from '../../../shared/contract/vault';
import { AttestError } from '../../../shared/result';

/** A 256-bit key wrapped with AES-256-GCM; all fields base64. */
export interface WrappedKey {
  alg: 'A256GCM';
  iv: string;
  data: string;
  tag: string;
}

export interface ScryptParams {
  algorithm: 'scrypt';
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
  keyLength: 32;
  /** Random salt, base64, at least 16 bytes. */
  salt: string;
}

/** OWASP's scrypt recommendation (N=2^17, r=8, p=1); stored per vault so it can be raised later. */
export const DEFAULT_SCRYPT_COST = { N: 2 ** 17, r: 8, p: 1 } as const;
export type ScryptCost = { N: number; r: number; p: number };

export const KEY_BYTES = 32;

/** A fresh random 256-bit key in its own (non-pooled) buffer, so zeroing it cannot touch other data. */
export function randomKey(): Buffer {
  const key = Buffer.alloc(KEY_BYTES);
  crypto.randomFillSync(key);
  return key;
}

export function newScryptParams(cost: ScryptCost = DEFAULT_SCRYPT_COST): ScryptParams {
  return { algorithm: 'scrypt', N: cost.N, r: cost.r, p: cost.p, keyLength: 32, salt: crypto.randomBytes(16).toString('base64') };
}

/** Derives the passphrase KEK. maxmem covers 128·N·r with headroom (N=2^17, r=8 needs 128 MiB). */
export function deriveKek(passphrase: string, params: ScryptParams): Promise<Buffer> {
  const salt = Buffer.from(params.salt, 'base64');
  const maxmem = 256 * params.N * params.r + 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    crypto.scrypt(passphrase.normalize('NFC'), salt, params.keyLength, { N: params.N, r: params.r, p: params.p, maxmem }, (err, out) => {
      if (err) reject(new AttestError('INTERNAL', 'The passphrase key could not be derived with the stored parameters.'));
      else resolve(out);
    });
  });
}

/**
 * Additional data binds a wrapped key to its vault and its unlock method, so a wrapped copy cannot be moved
 * to another vault's file or swapped between methods.
 */
function additionalData(vaultId: string, method: UnlockMethod): Buffer {
  return Buffer.from(`attest/vault-key/v1\n${vaultId}\n${method}`, 'utf8');
}

export function wrapKey(key: Buffer, kek: Buffer, vaultId: string, method: UnlockMethod): WrappedKey {
  if (key.length !== KEY_BYTES || kek.length !== KEY_BYTES) throw new AttestError('INTERNAL', 'Key wrapping needs 256-bit keys.');
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(additionalData(vaultId, method));
  const data = Buffer.concat([cipher.update(key), cipher.final()]);
  const wrapped: WrappedKey = {
    alg: 'A256GCM',
    iv: iv.toString('base64'),
    data: data.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
  data.fill(0);
  return wrapped;
}

/** The unwrapped key, or null when the KEK (or the binding) is wrong. */
export function unwrapKey(wrapped: WrappedKey, kek: Buffer, vaultId: string, method: UnlockMethod): Buffer | null {
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', kek, Buffer.from(wrapped.iv, 'base64'));
    decipher.setAAD(additionalData(vaultId, method));
    decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
    const head = decipher.update(Buffer.from(wrapped.data, 'base64'));
    const tail = decipher.final();
    const key = Buffer.alloc(KEY_BYTES);
    if (head.length + tail.length !== KEY_BYTES) return null;
    head.copy(key, 0);
    tail.copy(key, head.length);
    head.fill(0);
    tail.fill(0);
    return key;
  } catch {
    return null;
  }
}

/** The keychain holds a random 256-bit secret (base64); it is the KEK for the keychain's wrapped copy. */
export function encodeKeychainSecret(secret: Buffer): string {
  return secret.toString('base64');
}

export function decodeKeychainSecret(text: string): Buffer | null {
  const buf = Buffer.from(text, 'base64');
  if (buf.length !== KEY_BYTES) return null;
  return buf;
}
