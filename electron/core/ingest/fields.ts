import { isIP } from 'node:net';
import { isObject, type JsonObject } from './json-guard';
import { OCSF_CLASS_NAMES, type CanonicalEvent } from '../../../shared/domain/canonical-event';
import { canonicalIp } from '../../../shared/domain/ip-address';

/** Longest string kept in a canonical field; the raw record keeps everything. */
export const MAX_FIELD_CHARS = 8192;

/** A string field from hostile JSON: strings as they are, numbers and booleans as text, anything else dropped. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length === 0 ? undefined : v.length > MAX_FIELD_CHARS ? v.slice(0, MAX_FIELD_CHARS) : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

export function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  return undefined;
}

export function port(v: unknown): number | undefined {
  const p = int(v);
  return p !== undefined && p >= 0 && p <= 65535 ? p : undefined;
}

export function obj(v: unknown): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

/** obj.a.b.c, tolerating any wrong type on the way. */
export function at(root: unknown, ...keys: string[]): unknown {
  let cur: unknown = root;
  for (const k of keys) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

export function isIpAddress(s: string): boolean {
  return isIP(s) !== 0;
}

/** An endpoint from a value that may be an IP address or a host name. */
export function endpoint(address: string | undefined, p?: number, hostname?: string): CanonicalEvent['src_endpoint'] | undefined {
  const e: NonNullable<CanonicalEvent['src_endpoint']> = {};
  if (address !== undefined) {
    if (isIpAddress(address)) e.ip = canonicalIp(address);
    else if (hostname === undefined) hostname = address;
  }
  if (p !== undefined) e.port = p;
  if (hostname !== undefined) e.hostname = hostname;
  return e.ip !== undefined || e.port !== undefined || e.hostname !== undefined ? e : undefined;
}

/** An e-mail address in form (one @ between non-empty parts, no spaces): not proof it is deliverable. */
export function looksLikeEmail(value: string): boolean {
  // Length first: a hostile 10 MB value is refused before the pattern walks it.
  return value.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(value);
}

/** Identifiers of a user besides name, uid and type (OCSF User members). */
export interface UserIds {
  email_addr?: string | undefined;
  uid_alt?: string | undefined;
  credential_uid?: string | undefined;
}

type CanonicalUser = NonNullable<NonNullable<CanonicalEvent['actor']>['user']>;

export function user(name: string | undefined, uid: string | undefined, type?: string, ids: UserIds = {}): CanonicalEvent['actor'] | undefined {
  const email = ids.email_addr;
  if (name === undefined && uid === undefined && email === undefined) return undefined;
  const u: CanonicalUser = {};
  if (name !== undefined) u.name = name;
  if (uid !== undefined) u.uid = uid;
  if (type !== undefined) u.type = type;
  if (email !== undefined) u.email_addr = email;
  // Another id equal to the uid says nothing new.
  if (ids.uid_alt !== undefined && ids.uid_alt !== uid) u.uid_alt = ids.uid_alt;
  if (ids.credential_uid !== undefined) u.credential_uid = ids.credential_uid;
  return { user: u };
}

export const ACTIVITY_NAMES: Record<number, Record<number, string>> = {
  0: { 0: 'Unknown', 99: 'Other' },
  3001: { 1: 'Create', 2: 'Enable', 3: 'Password Change', 4: 'Password Reset', 5: 'Disable', 6: 'Delete', 7: 'Attach Policy', 8: 'Detach Policy', 9: 'Lock', 10: 'MFA Factor Enable', 11: 'MFA Factor Disable', 99: 'Other' },
  3002: { 0: 'Unknown', 1: 'Logon', 2: 'Logoff', 99: 'Other' },
  6003: { 0: 'Unknown', 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 99: 'Other' },
};

const STATUS_NAMES: Record<number, string> = { 0: 'Unknown', 1: 'Success', 2: 'Failure', 99: 'Other' };

/** Fills class/activity/status names for the ids Attest knows; never overwrites names the source gave. */
export function withNames(e: CanonicalEvent): CanonicalEvent {
  if (e.class_name === undefined) {
    const n = OCSF_CLASS_NAMES[e.class_uid];
    if (n !== undefined) e.class_name = n;
  }
  if (e.activity_name === undefined) {
    const n = ACTIVITY_NAMES[e.class_uid]?.[e.activity_id];
    if (n !== undefined) e.activity_name = n;
  }
  if (e.status === undefined) {
    const n = STATUS_NAMES[e.status_id];
    if (n !== undefined) e.status = n;
  }
  return e;
}

/** Syslog severities (0 emerg .. 7 debug) to OCSF severity_id. */
export function syslogSeverityToOcsf(sev: number): number {
  return [6, 5, 5, 4, 3, 2, 1, 1][sev] ?? 0;
}

/** Replaces NUL characters in every string of an event (they truncate C strings downstream). */
export function replaceNulDeep<T>(v: T, depth = 0): T {
  if (typeof v === 'string') return (v.includes('\u0000') ? v.replace(/\u0000/g, '\uFFFD') : v) as T;
  if (depth > 70 || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = replaceNulDeep(v[i], depth + 1);
    return v;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const clean = replaceNulDeep(o[k], depth + 1);
    if (k.includes('\u0000')) {
      delete o[k];
      o[k.replace(/\u0000/g, '\uFFFD')] = clean;
    } else o[k] = clean;
  }
  return v;
}
