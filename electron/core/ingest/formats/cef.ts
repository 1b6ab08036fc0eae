import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { endpoint, MAX_FIELD_CHARS, port, user, withNames } from '../fields';
import { failed, type ParseContext, type ParseOutcome } from '../parse-types';
import { resolveIsoTime, resolveWallTime } from '../syslog-time';
import { ASSIGNED_DEDUP_TIME, NO_TIME_HINT, TIME_ASSIGNED_KEY, timeForUntimedRecord } from '../missing-time';
import { implausibleTime, monthNumber, zoneResolver } from '../time';
import type { SyslogHeader } from './syslog-header';

const MAX_EXTENSION_KEYS = 500;
const KEY_RE = /(?:^|\s)([A-Za-z0-9_.\-[\]]{1,64})=/g;

export interface CefRecord {
  version: string;
  vendor: string;
  product: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  /** Extension keys → unescaped values (a Map: keys come from the log, never object properties). */
  ext: Map<string, string>;
}

/** Splits "CEF:0|Vendor|Product|1.0|100|Name|5|k=v k2=v2" into header fields and extensions. */
export function splitCef(text: string): CefRecord | string {
  if (!text.startsWith('CEF:')) return 'not a CEF record: it does not start with "CEF:"';
  const fields: string[] = [];
  let cur = '';
  let i = 4;
  for (; i < text.length && fields.length < 7; i++) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) {
      cur += text[i + 1];
      i++;
    } else if (c === '|') {
      fields.push(cur);
      cur = '';
    } else {
      cur += c;
    }
    if (cur.length > MAX_FIELD_CHARS) return 'a CEF header field is implausibly long';
  }
  if (fields.length < 7) return `the CEF header has ${fields.length + 1} of its 8 fields (Version|Vendor|Product|Version|ID|Name|Severity|Extension)`;
  const [version, vendor, product, deviceVersion, signatureId, name, severity] = fields as [string, string, string, string, string, string, string];
  if (!/^\d{1,3}(\.\d{1,3})?$/.test(version)) return 'the CEF version is not a number';
  return { version, vendor, product, deviceVersion, signatureId, name, severity, ext: parseExtension(text.slice(i)) };
}

function parseExtension(s: string): Map<string, string> {
  const ext = new Map<string, string>();
  const keys: Array<{ key: string; valueStart: number; keyStart: number }> = [];
  KEY_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = KEY_RE.exec(s)) !== null && keys.length < MAX_EXTENSION_KEYS) {
    const key = m[1] as string;
    keys.push({ key, valueStart: m.index + m[0].length, keyStart: m.index + m[0].length - key.length - 1 });
  }
  for (let k = 0; k < keys.length; k++) {
    const cur = keys[k]!;
    const end = k + 1 < keys.length ? keys[k + 1]!.keyStart : s.length;
    const value = unescapeValue(s.slice(cur.valueStart, end).trimEnd());
    if (!ext.has(cur.key)) ext.set(cur.key, value.length > MAX_FIELD_CHARS ? value.slice(0, MAX_FIELD_CHARS) : value);
  }
  return ext;
}

function unescapeValue(v: string): string {
  if (!v.includes('\\')) return v;
  return v.replace(/\\([\\=nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

const CEF_TIME = /^([A-Za-z]{3}) (\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?: (\S+))?$/;

/** CEF time values: epoch ms, "MMM dd yyyy HH:mm:ss[.SSS] [zone]", "MMM dd HH:mm:ss", or ISO 8601. */
function cefTime(v: string, ctx: ParseContext): { ms: number; notes: string[]; keyMs?: number } | string {
  const s = v.trim();
  if (/^\d{1,15}$/.test(s)) {
    const n = Number(s);
    return n < 1e11 ? { ms: n * 1000, notes: ['the CEF time was read as seconds since 1970'] } : { ms: n, notes: [] };
  }
  const iso = resolveIsoTime(s, ctx);
  if (iso) return iso.ok ? { ms: iso.ms, notes: iso.notes, ...(iso.keyMs !== undefined ? { keyMs: iso.keyMs } : {}) } : iso.reason;
  const m = CEF_TIME.exec(s);
  if (!m) return `the CEF time "${s.slice(0, 40)}" is in no known format`;
  const month = monthNumber(m[1] as string);
  if (month === null) return `the CEF time "${s.slice(0, 40)}" has no valid month`;
  const zone = m[8];
  // In a file whose years are counted through its New Years, a CEF time takes the year its line is in
  // without moving the count on: only the syslog headers, which the years were inferred from, do.
  let zctx: ParseContext = ctx.yearTrack ? { ...ctx, syslogYear: ctx.yearTrack.year, yearTrack: undefined } : ctx;
  if (zone !== undefined) {
    if (zoneResolver(zone) === null) return `the CEF time zone "${zone.slice(0, 40)}" is unknown`;
    zctx = { ...zctx, syslogZone: zone };
  }
  const r = resolveWallTime(
    { year: m[3] ? Number(m[3]) : null, month, day: Number(m[2]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]), ms: m[7] ? Number(m[7].padEnd(3, '0')) : 0 },
    false,
    zctx,
  );
  if (!r.ok) return r.reason;
  const notes = zone !== undefined ? r.notes.filter((n) => !n.startsWith('time zone')) : r.notes;
  return r.keyMs === undefined ? { ms: r.ms, notes } : { ms: r.ms, notes, keyMs: r.keyMs };
}

function cefSeverity(s: string): number {
  const n = Number(s);
  if (s.trim() !== '' && Number.isFinite(n)) return n <= 3 ? 2 : n <= 6 ? 3 : n <= 8 ? 4 : 5;
  const l = s.toLowerCase();
  return l === 'low' ? 2 : l === 'medium' ? 3 : l === 'high' ? 4 : l === 'very-high' ? 5 : 0;
}

const LOGOFF = /\blog(?:ged)?[ _-]?(?:off|out)\b|\bsign(?:ed)?[ _-]?(?:off|out)\b/i;
const LOGON = /\blog(?:ged)?[ _-]?(?:on|in)\b|\bsign(?:ed)?[ _-]?in\b|\bauthenticat/i;
const FAILURE = /fail|denied|deny|invalid|bad password|reject|unsuccessful|block/i;
const SUCCESS = /succe|accept|granted|allow/i;

/** A CEF record (the text from "CEF:" on), with the syslog header that carried it if any. */
export function parseCefText(text: string, ctx: ParseContext, header?: SyslogHeader): ParseOutcome {
  const cef = splitCef(text);
  if (typeof cef === 'string') return failed(cef);
  const ext = cef.ext;

  const notes: string[] = [];
  let time: number | null = null;
  let assigned: 'import' | 'given' | null = null;
  let keyTime: number | undefined;
  const timeText = ext.get('rt') ?? ext.get('end') ?? ext.get('start');
  if (timeText !== undefined) {
    const t = cefTime(timeText, ctx);
    if (typeof t === 'string') return failed(t);
    time = t.ms;
    keyTime = t.keyMs;
    notes.push(...t.notes);
  } else if (header && header.time !== null) {
    time = header.time;
    keyTime = header.keyTime;
    notes.push(...header.notes);
  }
  if (time === null && !(header?.timeProblem && header.rfc !== 'none')) {
    const fallback = timeForUntimedRecord(ctx);
    if (fallback === null) return failed(`the CEF record has no time (no rt, end or start, and no syslog timestamp); ${NO_TIME_HINT}`);
    time = fallback.ms;
    assigned = fallback.from;
    keyTime = ASSIGNED_DEDUP_TIME;
    notes.push(fallback.note);
  }
  if (time === null) return failed(header?.timeProblem ?? 'the CEF record has no time');
  const bad = implausibleTime(time, ctx.now);
  if (bad) return failed(bad);

  const what = `${cef.name} ${ext.get('cat') ?? ''} ${ext.get('act') ?? ''}`;
  const outcomeText = `${ext.get('outcome') ?? ''} ${ext.get('categoryOutcome') ?? ''}`;
  let classUid = 0;
  let activityId = 99;
  if (LOGOFF.test(what)) {
    classUid = 3002;
    activityId = 2;
  } else if (LOGON.test(what)) {
    classUid = 3002;
    activityId = 1;
  }
  const statusText = outcomeText.trim() !== '' ? outcomeText : classUid === 3002 ? what : '';
  const statusId = FAILURE.test(statusText) ? 2 : SUCCESS.test(statusText) ? 1 : 0;

  const e: CanonicalEvent = {
    class_uid: classUid,
    activity_id: activityId,
    time,
    status_id: statusId,
    severity_id: cefSeverity(cef.severity),
    message: ext.get('msg') ?? cef.name,
    metadata: { product: {} },
  };
  if (cef.product) e.metadata.product.name = cef.product;
  if (cef.vendor) e.metadata.product.vendor_name = cef.vendor;
  const eventId = ext.get('externalId');
  if (eventId) e.metadata.uid = eventId;
  const reason = ext.get('reason');
  if (reason) e.status_detail = reason;
  const actor = user(ext.get('suser') || ext.get('duser') || undefined, ext.get('suid') || ext.get('duid') || undefined);
  if (actor) e.actor = actor;
  const src = endpoint(ext.get('src') || undefined, port(ext.get('spt')), ext.get('shost') || undefined);
  if (src) e.src_endpoint = src;
  const dst = endpoint(ext.get('dst') || undefined, port(ext.get('dpt')), ext.get('dhost') || header?.host || undefined);
  if (dst) e.dst_endpoint = dst;
  const act = ext.get('act');
  if (act) e.api = { operation: act };

  const unmapped: Record<string, unknown> = { cef_version: cef.version, device_version: cef.deviceVersion, signature_id: cef.signatureId, name: cef.name, severity: cef.severity };
  const extension: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of ext) extension[k] = v;
  unmapped.extension = extension;
  if (header?.host !== undefined) unmapped.host = header.host;
  if (assigned !== null) unmapped[TIME_ASSIGNED_KEY] = assigned;
  e.unmapped = unmapped;
  const out: ParseOutcome = { ok: true, events: [withNames(e)] };
  if (notes.length > 0) out.notes = notes;
  if (keyTime !== undefined) out.dedupTimes = [keyTime];
  return out;
}
