import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { at, endpoint, int, obj, port, str, user, withNames } from '../fields';
import type { JsonObject } from '../json-guard';
import { failed, type ParseContext, type ParseOutcome } from '../parse-types';
import { implausibleTime, parseIsoTime } from '../time';
import { ASSIGNED_DEDUP_TIME, NO_TIME_HINT, TIME_ASSIGNED_KEY, timeForUntimedRecord } from '../missing-time';

const MAX_RESOURCES = 100;

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** An integer id the event's meaning depends on: absent is fine, a wrong type is not. */
function idField(v: JsonObject, key: string): number | undefined | string {
  const x = v[key];
  if (x === undefined || x === null) return undefined;
  if (typeof x === 'number' && Number.isInteger(x)) return x;
  return `${key} must be an integer (got ${typeName(x)})`;
}

/**
 * An OCSF 1.x event, already JSON-parsed. The hot path of ingestion: hand-written checks of the few
 * fields Attest relies on, no schema library.
 */
export function parseOcsf(v: JsonObject, ctx: ParseContext): ParseOutcome {
  const classUid = idField(v, 'class_uid');
  if (typeof classUid === 'string') return failed(classUid);
  if (classUid === undefined) return failed('not an OCSF event: class_uid is missing');

  let activityId = idField(v, 'activity_id');
  if (typeof activityId === 'string') return failed(activityId);
  if (activityId === undefined) {
    const typeUid = int(v.type_uid);
    activityId = typeUid !== undefined && Math.floor(typeUid / 100) === classUid ? typeUid % 100 : 0;
  }
  const statusId = idField(v, 'status_id');
  if (typeof statusId === 'string') return failed(statusId);
  const severityId = idField(v, 'severity_id');
  if (typeof severityId === 'string') return failed(severityId);

  let time: number;
  let timeNote: string | null = null;
  let assigned: 'import' | 'given' | null = null;
  const t = v.time;
  if (typeof t === 'number') {
    time = Math.trunc(t);
  } else if (t === undefined || t === null) {
    const dt = typeof v.time_dt === 'string' ? parseIsoTime(v.time_dt) : null;
    const fallback = v.time_dt === undefined || v.time_dt === null ? timeForUntimedRecord(ctx) : null;
    if (dt && dt.zoned) time = dt.ms;
    else if (fallback !== null) {
      time = fallback.ms;
      timeNote = fallback.note;
      assigned = fallback.from;
    } else return failed(`time is missing (neither time nor a zoned time_dt)${v.time_dt === undefined || v.time_dt === null ? `; ${NO_TIME_HINT}` : ''}`);
  } else {
    return failed(`time must be a number of milliseconds since 1970 (got ${typeName(t)})`);
  }
  const bad = implausibleTime(time, ctx.now);
  if (bad) return failed(bad);

  const e: CanonicalEvent = {
    class_uid: classUid,
    activity_id: activityId,
    time,
    status_id: statusId ?? statusFromText(v.status),
    severity_id: severityId ?? 0,
    metadata: { product: {} },
  };
  const className = str(v.class_name);
  if (className !== undefined) e.class_name = className;
  const activityName = str(v.activity_name);
  if (activityName !== undefined) e.activity_name = activityName;
  const status = str(v.status);
  if (status !== undefined) e.status = status;
  const statusDetail = str(v.status_detail);
  if (statusDetail !== undefined) e.status_detail = statusDetail;
  const message = str(v.message);
  if (message !== undefined) e.message = message;

  let u = obj(at(v, 'actor', 'user'));
  // In Authentication (3002) `user` is the account being logged on to; a Windows failed logon's actor is a
  // placeholder ("-", "NULL SID"). Then the account is who the event is about: it is what filters find.
  const target = classUid === 3002 ? obj(v.user) : undefined;
  if (target && (str(target.name) !== undefined || str(target.uid) !== undefined) && (!u || (placeholder(str(u.name)) && noAccount(str(u.uid))))) u = target;
  if (u) {
    const actor = user(str(u.name), str(u.uid), str(u.type), { email_addr: str(u.email_addr), uid_alt: str(u.uid_alt), credential_uid: str(u.credential_uid) });
    e.actor = actor ?? { user: {} };
  }
  const src = ocsfEndpoint(v.src_endpoint);
  if (src) e.src_endpoint = src;
  const dst = ocsfEndpoint(v.dst_endpoint);
  if (dst) e.dst_endpoint = dst;

  const api = obj(v.api);
  if (api) {
    const operation = str(api.operation);
    const service = str(at(api, 'service', 'name'));
    e.api = {};
    if (operation !== undefined) e.api.operation = operation;
    if (service !== undefined) e.api.service = { name: service };
  }
  if (Array.isArray(v.resources)) {
    const resources: NonNullable<CanonicalEvent['resources']> = [];
    for (const r of v.resources.slice(0, MAX_RESOURCES)) {
      if (!obj(r)) continue;
      const res: { name?: string; type?: string; uid?: string } = {};
      const name = str(r.name);
      if (name !== undefined) res.name = name;
      const type = str(r.type);
      if (type !== undefined) res.type = type;
      const uid = str(r.uid);
      if (uid !== undefined) res.uid = uid;
      resources.push(res);
    }
    e.resources = resources;
  }
  const md = obj(v.metadata);
  if (md) {
    const product = obj(md.product);
    if (product) {
      const name = str(product.name);
      if (name !== undefined) e.metadata.product.name = name;
      const vendor = str(product.vendor_name);
      if (vendor !== undefined) e.metadata.product.vendor_name = vendor;
    }
    const version = str(md.version);
    if (version !== undefined) e.metadata.version = version;
    const uid = str(md.uid);
    if (uid !== undefined) e.metadata.uid = uid;
  }
  const cloud = obj(v.cloud);
  // The account as OCSF 1.x writes it (cloud.account), as 0.99/1.0 did (cloud.account_uid), or, failing
  // both, the acting user's (actor.user.account, or account_uid before 1.0).
  const accountUid =
    str(at(v, 'cloud', 'account', 'uid')) ?? str(cloud?.account_uid) ?? str(at(v, 'actor', 'user', 'account', 'uid')) ?? str(at(v, 'actor', 'user', 'account_uid'));
  if (cloud || accountUid !== undefined) {
    const c: NonNullable<CanonicalEvent['cloud']> = {};
    const account = cloud ? obj(cloud.account) : undefined;
    if (account || accountUid !== undefined) {
      c.account = {};
      if (accountUid !== undefined) c.account.uid = accountUid;
      const name = account ? str(account.name) : undefined;
      if (name !== undefined) c.account.name = name;
    }
    const region = cloud ? str(cloud.region) : undefined;
    if (region !== undefined) c.region = region;
    const provider = cloud ? str(cloud.provider) : undefined;
    if (provider !== undefined) c.provider = provider;
    e.cloud = c;
  }
  const unmapped = obj(v.unmapped);
  if (unmapped) e.unmapped = unmapped;
  if (assigned !== null) e.unmapped = { ...(unmapped ?? {}), [TIME_ASSIGNED_KEY]: assigned };
  return timeNote === null ? { ok: true, events: [withNames(e)] } : { ok: true, events: [withNames(e)], notes: [timeNote], dedupTimes: [ASSIGNED_DEDUP_TIME] };
}

function ocsfEndpoint(v: unknown): CanonicalEvent['src_endpoint'] | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const ip = str(o.ip);
  return endpoint(placeholder(ip) ? undefined : ip, port(o.port), str(o.hostname));
}

/** A user id that names nobody: none, a placeholder, or Windows' NULL SID. */
function noAccount(uid: string | undefined): boolean {
  return placeholder(uid) || uid === 'NULL SID' || uid === 'S-1-0-0';
}

/** A value a source writes for "none" (Windows writes "-"). */
function placeholder(value: string | undefined): boolean {
  return value === undefined || value === '-' || value.trim() === '';
}

function statusFromText(v: unknown): number {
  if (typeof v !== 'string') return 0;
  const s = v.toLowerCase();
  return s === 'success' ? 1 : s === 'failure' ? 2 : s === 'other' ? 99 : 0;
}
