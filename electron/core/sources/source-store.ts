import { createLocalJWKSet, type JSONWebKeySet, type JWK } from 'jose';
import type { Source } from '../../../shared/contract/events';
import { AttestError } from '../../../shared/result';
import { CSV_TARGET_PATHS } from '../../../shared/domain/csv-target-fields';
import type { Db } from '../vault/database';
import { sourceNameOf } from './source-name';

/** What `sources:save` carries: every field but the name is optional, and a missing one keeps its value. */
export interface SourceInput {
  name: string;
  signedOnly?: boolean;
  /** A JWKS as JSON text (pasted or read from a file); '' removes the stored one. */
  jwksJson?: string;
  issuer?: string | null;
  csvMapping?: Record<string, string> | null;
  syslogYear?: number | null;
  syslogZone?: string | null;
}

/** A source with what the importer needs beyond the public view: its row id and the parsed JWKS. */
export interface SourceSettings extends Source {
  id: number;
  jwks: JSONWebKeySet | null;
}

interface SourceRow {
  id: number;
  name: string;
  signed_only: number;
  jwks: string | null;
  issuer: string | null;
  csv_mapping: string | null;
  syslog_year: number | null;
  syslog_zone: string | null;
}

/** Only public keys of the signature families the importer accepts (EdDSA, ES256, RS256, PS256). */
const ALLOWED_KTY = new Set(['OKP', 'EC', 'RSA']);
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

export function listSources(db: Db): Source[] {
  const rows = db.prepare('SELECT * FROM sources ORDER BY name').all() as SourceRow[];
  return rows.map((r) => toSource(r));
}

export function getSourceByName(db: Db, name: string): Source | null {
  const settings = getSourceSettings(db, name);
  return settings ? toPublic(settings) : null;
}

export function getSourceSettings(db: Db, name: string): SourceSettings | null {
  const row = db.prepare('SELECT * FROM sources WHERE name = ?').get(name) as SourceRow | undefined;
  return row ? toSettings(row) : null;
}

export function getSourceSettingsById(db: Db, id: number): SourceSettings | null {
  const row = db.prepare('SELECT * FROM sources WHERE id = ?').get(id) as SourceRow | undefined;
  return row ? toSettings(row) : null;
}

/** Sources registered with a JWKS for this issuer: how a signed file without an explicit source finds its own. */
export function findSignedSourcesByIssuer(db: Db, issuer: string): SourceSettings[] {
  const rows = db.prepare('SELECT * FROM sources WHERE issuer = ? AND jwks IS NOT NULL ORDER BY id').all(issuer) as SourceRow[];
  return rows.map(toSettings);
}

/** Creates or updates a source; fields left out keep their stored values. */
export function saveSource(db: Db, request: SourceInput, now: number = Date.now()): Source {
  // The stored form of the name (NFKC), or a refusal of a name that passes for another.
  const input = { ...request, name: sourceNameOf(request.name) };
  const save = db.transaction((): Source => {
    const existing = db.prepare('SELECT * FROM sources WHERE name = ?').get(input.name) as SourceRow | undefined;
    const jwks = input.jwksJson === undefined ? (existing?.jwks ?? null) : input.jwksJson.trim() === '' ? null : JSON.stringify(parseJwks(input.jwksJson));
    const issuer = input.issuer === undefined ? (existing?.issuer ?? null) : normaliseIssuer(input.issuer);
    const signedOnly = input.signedOnly ?? existing?.signed_only === 1;
    const csvMapping =
      input.csvMapping === undefined ? (existing?.csv_mapping ?? null) : input.csvMapping === null ? null : jsonOrNull(validateMapping(input.csvMapping));
    const syslogYear = input.syslogYear === undefined ? (existing?.syslog_year ?? null) : input.syslogYear;
    const syslogZone = input.syslogZone === undefined ? (existing?.syslog_zone ?? null) : validateZone(input.syslogZone);
    if (signedOnly && (jwks === null || issuer === null)) {
      throw new AttestError('BAD_REQUEST', 'A signed-only source needs a JWKS and an expected issuer.');
    }
    if (existing) {
      db.prepare(
        `UPDATE sources SET signed_only = ?, jwks = ?, issuer = ?, csv_mapping = ?, syslog_year = ?, syslog_zone = ? WHERE id = ?`,
      ).run(signedOnly ? 1 : 0, jwks, issuer, csvMapping, syslogYear, syslogZone, existing.id);
    } else {
      db.prepare(
        `INSERT INTO sources (name, signed_only, jwks, issuer, csv_mapping, syslog_year, syslog_zone, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(input.name, signedOnly ? 1 : 0, jwks, issuer, csvMapping, syslogYear, syslogZone, now);
    }
    const row = db.prepare('SELECT * FROM sources WHERE name = ?').get(input.name) as SourceRow;
    return toSource(row);
  });
  return save.immediate();
}

/**
 * Parses and checks a JWKS: the shape jose accepts (createLocalJWKSet), public keys only, of the key
 * types the signature allow-list can use. A private key pasted by mistake is refused, never stored.
 */
export function parseJwks(text: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AttestError('BAD_REQUEST', 'The JWKS is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys)) {
    throw new AttestError('BAD_REQUEST', 'The JWKS must be a JSON object with a "keys" array.');
  }
  const keys = (parsed as { keys: unknown[] }).keys;
  if (keys.length === 0) throw new AttestError('BAD_REQUEST', 'The JWKS holds no keys.');
  for (const key of keys) {
    if (typeof key !== 'object' || key === null) throw new AttestError('BAD_REQUEST', 'Every JWKS entry must be a JSON object.');
    const jwk = key as Record<string, unknown>;
    if (typeof jwk.kty !== 'string' || !ALLOWED_KTY.has(jwk.kty)) {
      throw new AttestError('BAD_REQUEST', 'The JWKS may hold only OKP (Ed25519), EC (P-256) or RSA public keys.');
    }
    if (PRIVATE_MEMBERS.some((m) => m in jwk)) {
      throw new AttestError('BAD_REQUEST', 'The JWKS contains private key material: paste the public keys only.');
    }
  }
  const jwks = parsed as JSONWebKeySet;
  try {
    createLocalJWKSet(jwks);
  } catch (err) {
    throw new AttestError('BAD_REQUEST', `The JWKS was not accepted: ${err instanceof Error ? err.message : 'invalid key set'}.`);
  }
  return { keys: keys.map((k) => k as JWK) };
}


function normaliseIssuer(issuer: string | null): string | null {
  if (issuer === null) return null;
  const trimmed = issuer.trim();
  return trimmed === '' ? null : trimmed;
}

const jsonOrNull = (v: Record<string, string> | null): string | null => (v === null ? null : JSON.stringify(v));

/**
 * A mapping is { field: column }: every field one Attest can fill from a CSV column, every column a
 * non-empty name. Checked when saved, so a typo is refused here instead of failing every later import.
 */
function validateMapping(mapping: Record<string, string>): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [field, column] of Object.entries(mapping)) {
    if (typeof column !== 'string' || column.trim() === '') throw new AttestError('BAD_REQUEST', `The CSV mapping gives no column for the field "${field.slice(0, 80)}".`);
    if (!CSV_TARGET_PATHS.has(field)) {
      throw new AttestError('BAD_REQUEST', `"${field.slice(0, 80)}" is not a field Attest can fill from a CSV column (known: ${[...CSV_TARGET_PATHS].join(', ')}).`);
    }
    out[field] = column;
  }
  // An empty mapping would switch off the automatic column detection and refuse every file: no mapping.
  return Object.keys(out).length > 0 ? out : null;
}

/** "UTC", a fixed offset like "+02:00", or an IANA zone name the runtime knows. */
export function validateZone(zone: string | null): string | null {
  if (zone === null) return null;
  const z = zone.trim();
  if (z === '') return null;
  if (z === 'UTC' || z === 'Z' || /^[+-](?:[01]\d|2[0-3]):?[0-5]\d$/.test(z)) return z;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: z });
  } catch {
    throw new AttestError('BAD_REQUEST', `Unknown time zone "${z.slice(0, 64)}": use UTC, an offset like +02:00, or a zone like Europe/Berlin.`);
  }
  return z;
}

function toSettings(row: SourceRow): SourceSettings {
  const jwks = row.jwks ? (JSON.parse(row.jwks) as JSONWebKeySet) : null;
  return { ...toSource(row, jwks), id: row.id, jwks };
}

function toPublic(s: SourceSettings): Source {
  return {
    name: s.name,
    signedOnly: s.signedOnly,
    hasJwks: s.hasJwks,
    jwksKeyIds: s.jwksKeyIds,
    issuer: s.issuer,
    csvMapping: s.csvMapping,
    syslogYear: s.syslogYear,
    syslogZone: s.syslogZone,
  };
}

function toSource(row: SourceRow, parsedJwks?: JSONWebKeySet | null): Source {
  const jwks = parsedJwks !== undefined ? parsedJwks : row.jwks ? (JSON.parse(row.jwks) as JSONWebKeySet) : null;
  return {
    name: row.name,
    signedOnly: row.signed_only === 1,
    hasJwks: jwks !== null,
    jwksKeyIds: jwks ? jwks.keys.map((k, i) => (typeof k.kid === 'string' ? k.kid : `key ${i + 1} (${k.kty ?? '?'}, no kid)`)) : [],
    issuer: row.issuer,
    csvMapping: row.csv_mapping ? (JSON.parse(row.csv_mapping) as Record<string, string>) : null,
    syslogYear: row.syslog_year,
    syslogZone: row.syslog_zone,
  };
}
