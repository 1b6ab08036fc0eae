import type { Db } from '../vault/database';
import type { EventSignature } from '../../../shared/contract/events';

/** Enough of a JWS for its protected header. */
const HEADER_BYTES = 4096;

/**
 * How an event's signature was checked, for the detail panel: present when its batch was a signed file,
 * whose every imported record had verified against the source's JWKS (import-file.ts). The algorithm and
 * key id come from the JWS protected header (the record's own JWS, or its batch's, kept once); the issuer
 * from the batch's options as recorded at the import (older batches: the header's `iss`, if any).
 */
export function eventSignature(db: Db, batchId: number | null, raw: Buffer, envelopeSha256: Buffer | null): EventSignature | undefined {
  if (batchId === null) return undefined;
  const optionsText = db.prepare<[number], unknown>('SELECT options FROM batches WHERE id = ?').pluck().get(batchId);
  const options = parseObject(typeof optionsText === 'string' ? optionsText : null);
  if (options?.signed !== true) return undefined;
  let jws: Buffer | null = raw;
  if (envelopeSha256 !== null) {
    const head: unknown = db.prepare<[number, Buffer], unknown>('SELECT substr(jws, 1, ?) FROM signed_envelopes WHERE sha256 = ?').pluck().get(HEADER_BYTES, envelopeSha256);
    jws = Buffer.isBuffer(head) ? head : typeof head === 'string' ? Buffer.from(head, 'latin1') : null;
  }
  const header = jws === null ? null : protectedHeader(jws);
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.slice(0, 512) : null);
  return {
    alg: text(header?.alg),
    kid: text(header?.kid),
    issuer: text(options.issuer) ?? text(header?.iss),
  };
}

function protectedHeader(jws: Buffer): Record<string, unknown> | null {
  const dot = jws.indexOf(0x2e);
  if (dot <= 0 || dot > HEADER_BYTES) return null;
  return parseObject(Buffer.from(jws.subarray(0, dot).toString('latin1'), 'base64url').toString('utf8'));
}

function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
