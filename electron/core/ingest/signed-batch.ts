import { open } from 'node:fs/promises';
import { inflateHead } from './gzip-members';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type CompactVerifyResult, type JSONWebKeySet } from 'jose';

/**
 * Signed batches: a file of compact JWS, one per line (a line's payload is one record, or a batch of
 * them), or a single JWS whose payload is a batch (a JSON array of records, or JSON Lines).
 *
 * A JWS is accepted when: its signature verifies against the source's JWKS; its algorithm is on the
 * allow-list (EdDSA, ES256, RS256, PS256: never "none" or HMAC); `iss` equals the source's expected
 * issuer; and `exp`, when present, has not passed. `iss`/`exp` are read from the protected header
 * (RFC 7519 §5.3 replicated claims: they are covered by the signature and work for any payload); a
 * payload that is itself a JWT claims set ({"iss", "exp", "records": [...]}) is accepted too.
 */
export const SIGNED_ALGORITHMS = ['EdDSA', 'ES256', 'RS256', 'PS256'];

/** At most this much of a gzip's start is inflated to tell whether it is a signed file. */
const SNIFF_INFLATED_BYTES = 4 * 1024 * 1024;

/** Largest single JWS read into memory (a one-JWS batch file). Longer lines are quarantined by size. */
export const MAX_JWS_BYTES = 64 * 1024 * 1024;

/**
 * What the events of one signed record may store at most. Each event keeps the bytes that were signed for
 * it: its record of a batch (the JWS itself stored once), or the whole JWS when it carries one record. A
 * record that holds many events (a CloudTrail {"Records":[...]} object) keeps those bytes once per event;
 * past this the JWS is quarantined instead of filling the disk (1,000 events in a 0.5 MB JWS: 0.5 GB).
 */
export const MAX_SIGNED_EVENTS_STORED_BYTES = 256 * 1024 * 1024;

/** Why a verified JWS's events would store too much (MAX_SIGNED_EVENTS_STORED_BYTES), or null. */
export function signedEventsTooLarge(jws: Buffer, records: Buffer[], outcomes: Array<{ ok: boolean; events?: unknown[] }>, batch: boolean): string | null {
  let bytes = 0;
  let events = 0;
  for (let k = 0; k < records.length; k++) {
    const n = outcomes[k]?.ok ? (outcomes[k]!.events?.length ?? 0) : 0;
    events += n;
    bytes += n * (batch ? records[k]!.length : jws.length);
  }
  if (bytes <= MAX_SIGNED_EVENTS_STORED_BYTES) return null;
  const mib = (n: number) => (n / (1024 * 1024)).toFixed(1);
  return `signed input of ${events.toLocaleString('en-US')} events in ${mib(jws.length)} MiB: each event keeps the signed bytes it came in (its record, or the whole JWS when it carries one record), so it would store ${mib(bytes)} MiB (limit ${mib(MAX_SIGNED_EVENTS_STORED_BYTES)} MiB); sign one record per event (JSON Lines or an array of records), not records that each hold many events`;
}

export type SignedOutcome = { ok: true; records: Buffer[] } | { ok: false; reason: string };

export interface SignedSourceKeys {
  jwks: JSONWebKeySet;
  issuer: string;
}

const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** True when a line is shaped like a compact JWS (three base64url parts, a JSON header). */
export function looksLikeCompactJws(line: Buffer | string): boolean {
  const text = typeof line === 'string' ? line : line.toString('latin1');
  return text.startsWith('eyJ') && JWS_SHAPE.test(text);
}

/**
 * Looks at the start of a file: is it compact JWS? Reads at most 64 KiB; returns the protected header's
 * issuer when it could be decoded, so a signed file can find its source by issuer.
 */
export async function sniffSignedFile(path: string): Promise<{ signed: boolean; issuer: string | null; gzip: boolean }> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    let head: Buffer = buf.subarray(0, bytesRead);
    let gzip = false;
    // A whole file read (or, for a gzip, a whole file inflated) holds its first line whole.
    const complete = bytesRead < buf.length;
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      // Gzip: look at what the first bytes inflate to (a sync flush inflates a truncated stream as far as
      // it goes), bounded so that a bomb costs a refusal here, not memory (the unsigned path handles it).
      const inflated = await inflateHead(head, SNIFF_INFLATED_BYTES);
      if (inflated.length === 0) return { signed: false, issuer: null, gzip: false };
      head = inflated;
      gzip = true;
    }
    let text = head.toString('latin1');
    if (text.charCodeAt(0) === 0xef && text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
    text = text.replace(/^[\s]+/, '');
    const end = text.search(/[\r\n]/);
    const first = end === -1 ? text : text.slice(0, end);
    if (!first.startsWith('eyJ')) return { signed: false, issuer: null, gzip: false };
    // A first line longer than the sample: judge by its alphabet only.
    const lineComplete = end !== -1 || complete;
    const signed = lineComplete ? JWS_SHAPE.test(first) : /^[A-Za-z0-9_.-]+$/.test(first) && first.includes('.');
    if (!signed) return { signed: false, issuer: null, gzip: false };
    let issuer: string | null = null;
    try {
      const header = decodeProtectedHeader(first.slice(0, first.indexOf('.') + 1) + 'e30.x');
      if (typeof header.iss === 'string') issuer = header.iss;
    } catch {
      issuer = null;
    }
    // A JWT-style line carries iss in its payload's claims (read unverified: it only picks the source,
    // whose keys then verify every line).
    if (issuer === null && lineComplete) {
      const claims = parseJsonObject(Buffer.from(first.split('.')[1] ?? '', 'base64url'));
      if (claims && typeof claims.iss === 'string') issuer = claims.iss;
    }
    return { signed: true, issuer, gzip };
  } finally {
    await handle.close();
  }
}

/** Verifies JWS lines of one source at one moment ("now" decides expiry). */
export class SignedBatchVerifier {
  private readonly keySet;

  constructor(
    private readonly keys: SignedSourceKeys,
    private readonly now: number,
  ) {
    this.keySet = createLocalJWKSet(keys.jwks);
  }

  async verify(line: Buffer): Promise<SignedOutcome> {
    if (line.length > MAX_JWS_BYTES) return { ok: false, reason: 'signed record is larger than 64 MiB' };
    const text = line.toString('latin1').trim();
    if (!looksLikeCompactJws(text)) return { ok: false, reason: 'not a compact JWS' };
    let result: CompactVerifyResult;
    try {
      result = await this.verifySignature(text);
    } catch (err) {
      return { ok: false, reason: describeJoseError(err) };
    }
    const { claims, records, fromClaims } = readSignedPayload(result.protectedHeader as Record<string, unknown>, result.payload);
    if (fromClaims && !records.ok) return records;
    if (typeof claims.iss !== 'string') return { ok: false, reason: 'signed record carries no issuer (iss)' };
    if (claims.iss !== this.keys.issuer) {
      return { ok: false, reason: `issuer "${claims.iss.slice(0, 200)}" is not the source's expected issuer` };
    }
    if (claims.exp !== undefined) {
      if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return { ok: false, reason: 'exp is not a number of seconds' };
      if (claims.exp * 1000 <= this.now) return { ok: false, reason: `signature expired at ${new Date(claims.exp * 1000).toISOString()}` };
    }
    return records;
  }

  private async verifySignature(jws: string): Promise<CompactVerifyResult> {
    try {
      return await compactVerify(jws, this.keySet, { algorithms: SIGNED_ALGORITHMS });
    } catch (err) {
      // Several keys match (no kid): try each; any one verifying is enough.
      if ((err as { code?: string }).code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' && isAsyncIterable(err)) {
        for await (const key of err) {
          try {
            return await compactVerify(jws, key as CryptoKey, { algorithms: SIGNED_ALGORITHMS });
          } catch {
            // next key
          }
        }
        throw Object.assign(new Error('signature verification failed'), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
      }
      throw err;
    }
  }
}

/**
 * The claims (iss, exp) and the records of a JWS payload, read as an import reads them: claims in the
 * protected header (then the payload is the records), or a JWT claims set in the payload carrying its
 * records (or events). The signature is not checked here: verify() does that first; verification of the
 * vault uses this to take a stored batch's records apart again (jwsRecords).
 */
export function readSignedPayload(
  header: Record<string, unknown>,
  payload: Uint8Array,
): { claims: Record<string, unknown>; records: SignedOutcome; fromClaims: boolean } {
  if (header.iss === undefined) {
    // Claims inside the payload (a JWT whose claims set carries the records).
    const parsed = parseJsonObject(payload);
    if (parsed && typeof parsed.iss === 'string') {
      const inner = Array.isArray(parsed.records) ? parsed.records : Array.isArray(parsed.events) ? parsed.events : null;
      let records: Buffer[];
      try {
        records = inner ? inner.map((r) => Buffer.from(JSON.stringify(r), 'utf8')) : [Buffer.from(payload)];
      } catch {
        return { claims: parsed, records: { ok: false, reason: 'signed payload is nested too deeply' }, fromClaims: true };
      }
      if (records.length === 0) return { claims: parsed, records: { ok: false, reason: 'signed payload holds no records' }, fromClaims: true };
      return { claims: parsed, records: { ok: true, records }, fromClaims: true };
    }
  }
  return { claims: header, records: splitSignedPayload(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)), fromClaims: false };
}

/** The records of a stored compact JWS, taken apart as its import did (its signature is not checked). */
export function jwsRecords(jws: Buffer): SignedOutcome {
  const text = jws.toString('latin1');
  if (!looksLikeCompactJws(text)) return { ok: false, reason: 'not a compact JWS' };
  const [headerPart, payloadPart] = text.split('.');
  const header = parseJsonObject(Buffer.from(headerPart ?? '', 'base64url'));
  if (header === null) return { ok: false, reason: 'malformed JWS header' };
  return readSignedPayload(header, Buffer.from(payloadPart ?? '', 'base64url')).records;
}

/**
 * The records of a JWS payload WITHOUT verifying it: only to recognise the payload's format before any
 * line is verified (a file whose first line is forged must still get its other lines checked).
 */
export function unverifiedPayloadRecords(line: Buffer): Buffer[] | null {
  const text = line.toString('latin1').trim();
  if (!looksLikeCompactJws(text) || text.length > MAX_JWS_BYTES) return null;
  const payload = Buffer.from(text.split('.')[1] ?? '', 'base64url');
  const claims = parseJsonObject(payload);
  if (claims && typeof claims.iss === 'string' && Array.isArray(claims.records) && claims.records.length > 0) {
    try {
      return [Buffer.from(JSON.stringify(claims.records[0]), 'utf8')];
    } catch {
      return null;
    }
  }
  const split = splitSignedPayload(payload);
  return split.ok ? split.records : null;
}

/** A verified payload as records: a JSON array's elements, JSON Lines, or one record. */
export function splitSignedPayload(payload: Buffer): SignedOutcome {
  let start = 0;
  if (payload[0] === 0xef && payload[1] === 0xbb && payload[2] === 0xbf) start = 3;
  while (start < payload.length && isSpace(payload[start]!)) start++;
  if (start === payload.length) return { ok: false, reason: 'signed payload is empty' };
  const body = payload.subarray(start);
  if (body[0] === 0x5b /* [ */) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { ok: false, reason: 'signed payload starts like a JSON array but is not valid JSON' };
    }
    if (!Array.isArray(parsed)) return { ok: false, reason: 'signed payload is not a JSON array' };
    if (parsed.length === 0) return { ok: false, reason: 'signed payload is an empty array' };
    try {
      return { ok: true, records: parsed.map((r) => Buffer.from(JSON.stringify(r), 'utf8')) };
    } catch {
      return { ok: false, reason: 'signed payload is nested too deeply' };
    }
  }
  const records: Buffer[] = [];
  let pos = 0;
  while (pos <= body.length) {
    let nl = body.indexOf(0x0a, pos);
    if (nl === -1) nl = body.length;
    let end = nl;
    if (end > pos && body[end - 1] === 0x0d) end--;
    const line = body.subarray(pos, end);
    if (line.some((b) => !isSpace(b))) records.push(line);
    pos = nl + 1;
  }
  return records.length > 0 ? { ok: true, records } : { ok: false, reason: 'signed payload is empty' };
}

export function describeJoseError(err: unknown): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return "signature does not verify against the source's keys";
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'signature algorithm is not allowed (EdDSA, ES256, RS256, PS256 only)';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return "no key in the source's JWKS matches this signature (kid/alg)";
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'signature algorithm or key type is not supported';
    case 'ERR_JWS_INVALID':
      return 'malformed JWS';
    default:
      return 'signature could not be verified';
  }
}

function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | null {
  if (bytes.length === 0 || bytes.length > MAX_JWS_BYTES) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && Symbol.asyncIterator in v;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}
