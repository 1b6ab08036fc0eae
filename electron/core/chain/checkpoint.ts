import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Db } from '../vault/database';
import { AttestError } from '../../../shared/result';
import { canonicalJson } from './canonical-json';
import { chainHead } from './event-log';

/**
 * Signed checkpoints of the chain head. After each import the vault signs
 * {vault_id, seq, head_hash, time} as a compact JWS (EdDSA over Ed25519) with a key generated on first
 * use. The private JWK is stored only in signing_keys inside the encrypted vault; the public JWK is
 * exported so an auditor can keep it and later check exported checkpoints without Attest.
 */
export interface CheckpointPayload {
  vault_id: string;
  seq: number;
  /** Lower-case hex SHA-256 chain hash of event `seq`. */
  head_hash: string;
  /** ms since the Unix epoch. */
  time: number;
}

export interface Checkpoint {
  seq: number;
  headHash: string;
  time: number;
  jws: string;
  /** False when the head had not moved since the latest checkpoint, which is returned instead. */
  created: boolean;
}

export const CHECKPOINT_JWS_TYPE = 'attest-checkpoint+jws';

interface KeyRow {
  kid: string;
  private_jwk: string;
  public_jwk: string;
}

/** The vault's signing key, generated and stored on first use. */
async function signingKey(db: Db, now: number): Promise<KeyRow> {
  const existing = latestKey(db);
  if (existing) return existing;
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const withMeta = (jwk: JWK): string => canonicalJson({ ...jwk, kid, alg: 'EdDSA', use: 'sig' });
  // Only the first key wins if two callers raced here; both then sign with it.
  db.prepare(
    `INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at)
     SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM signing_keys)`,
  ).run(kid, withMeta(privateJwk), withMeta(publicJwk), now);
  const stored = latestKey(db);
  if (!stored) throw new AttestError('INTERNAL', 'The checkpoint signing key could not be stored.');
  return stored;
}

function latestKey(db: Db): KeyRow | undefined {
  return db
    .prepare<[], KeyRow>('SELECT kid, private_jwk, public_jwk FROM signing_keys ORDER BY created_at DESC, kid LIMIT 1')
    .get();
}

/**
 * Signs the current chain head unless the latest checkpoint already covers it. Returns null for an empty
 * chain (nothing to attest yet).
 */
export async function signCheckpoint(db: Db, vaultId: string, now: number = Date.now()): Promise<Checkpoint | null> {
  const head = chainHead(db);
  if (head.seq === 0) return null;
  const latest = latestCheckpointRow(db);
  if (latest && latest.seq >= head.seq) {
    return { seq: latest.seq, headHash: latest.head_hash.toString('hex'), time: latest.time, jws: latest.jws, created: false };
  }
  const key = await signingKey(db, now);
  const privateKey = await importJWK(JSON.parse(key.private_jwk) as JWK, 'EdDSA');
  const payload: CheckpointPayload = { vault_id: vaultId, seq: head.seq, head_hash: head.hash.toString('hex'), time: now };
  const jws = await new CompactSign(Buffer.from(canonicalJson(payload), 'utf8'))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: CHECKPOINT_JWS_TYPE })
    .sign(privateKey);
  db.prepare('INSERT OR IGNORE INTO checkpoints (seq, head_hash, time, jws) VALUES (?, ?, ?, ?)').run(head.seq, head.hash, now, jws);
  return { seq: head.seq, headHash: payload.head_hash, time: now, jws, created: true };
}

interface CheckpointRow {
  seq: number;
  head_hash: Buffer;
  time: number;
  jws: string;
}

function latestCheckpointRow(db: Db): CheckpointRow | undefined {
  return db.prepare<[], CheckpointRow>('SELECT seq, head_hash, time, jws FROM checkpoints ORDER BY seq DESC LIMIT 1').get();
}

/** The payload of a compact JWS, decoded without checking the signature (callers verify separately). */
export function decodeCheckpointPayload(jws: string): CheckpointPayload {
  const part = jws.split('.')[1];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
  } catch {
    throw new AttestError('TAMPERED', 'A stored checkpoint is not a readable signed document.');
  }
  if (!isCheckpointPayload(parsed)) throw new AttestError('TAMPERED', 'A stored checkpoint has an unexpected payload.');
  return parsed;
}

export function isCheckpointPayload(value: unknown): value is CheckpointPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.vault_id === 'string' &&
    typeof v.seq === 'number' && Number.isSafeInteger(v.seq) &&
    typeof v.head_hash === 'string' && /^[0-9a-f]{64}$/.test(v.head_hash) &&
    typeof v.time === 'number' && Number.isSafeInteger(v.time)
  );
}

/** The newest checkpoint with the public key that verifies it, for an auditor to keep. */
export function exportLatestCheckpoint(db: Db): { jws: string; payload: CheckpointPayload; publicJwk: JWK } {
  const latest = latestCheckpointRow(db);
  if (!latest) throw new AttestError('NOT_FOUND', 'No checkpoint has been signed yet: import events first.');
  return { jws: latest.jws, payload: decodeCheckpointPayload(latest.jws), publicJwk: exportPublicJwk(db) };
}

/** The public half of the vault's checkpoint key (kid, alg and use included). */
export function exportPublicJwk(db: Db): JWK {
  const key = latestKey(db);
  if (!key) throw new AttestError('NOT_FOUND', 'This vault has no checkpoint signing key yet: import events first.');
  return JSON.parse(key.public_jwk) as JWK;
}

/** Every stored public key by kid (verification of older checkpoints after a key rotation). */
export function publicKeysByKid(db: Db): Map<string, JWK> {
  const rows = db.prepare<[], { kid: string; public_jwk: string }>('SELECT kid, public_jwk FROM signing_keys').all();
  return new Map(rows.map((r) => [r.kid, JSON.parse(r.public_jwk) as JWK]));
}
