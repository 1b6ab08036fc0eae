import type { CanonicalEvent } from '../../../shared/domain/canonical-event';

/**
 * The stored (and hashed) JSON of a canonical event. The chain hashes the STORED bytes and verification
 * never re-serialises, so this needs to be deterministic only within one write: it writes the schema's
 * members in the schema's order (shared/domain/canonical-event.ts), omits undefined members, writes -0 as
 * 0 and refuses non-finite numbers (JSON would silently turn them into null). Written by hand for the
 * known shape: about four times faster than JSON.stringify on the parsers' objects, ten times faster than
 * a sorted-key canonical writer. An event with members outside the schema falls back to JSON.stringify of
 * the whole object, so nothing is ever dropped.
 */
export function serialiseEvent(e: CanonicalEvent): string {
  let known = 6; // class_uid, activity_id, time, status_id, severity_id, metadata
  let o = '{"class_uid":' + int(e.class_uid);
  if (e.class_name !== undefined) (o += ',"class_name":' + str(e.class_name)), known++;
  o += ',"activity_id":' + int(e.activity_id);
  if (e.activity_name !== undefined) (o += ',"activity_name":' + str(e.activity_name)), known++;
  o += ',"time":' + int(e.time) + ',"status_id":' + int(e.status_id);
  if (e.status !== undefined) (o += ',"status":' + str(e.status)), known++;
  if (e.status_detail !== undefined) (o += ',"status_detail":' + str(e.status_detail)), known++;
  o += ',"severity_id":' + int(e.severity_id);
  if (e.message !== undefined) (o += ',"message":' + str(e.message)), known++;
  if (e.actor !== undefined) {
    known++;
    const u = e.actor.user;
    if (u === undefined) o += ',"actor":{}';
    else {
      o += ',"actor":{"user":{';
      let m = '';
      if (u.name !== undefined) m += ',"name":' + str(u.name);
      if (u.uid !== undefined) m += ',"uid":' + str(u.uid);
      if (u.type !== undefined) m += ',"type":' + str(u.type);
      if (u.email_addr !== undefined) m += ',"email_addr":' + str(u.email_addr);
      if (u.uid_alt !== undefined) m += ',"uid_alt":' + str(u.uid_alt);
      if (u.credential_uid !== undefined) m += ',"credential_uid":' + str(u.credential_uid);
      o += m.slice(1) + '}}';
    }
  }
  if (e.src_endpoint !== undefined) (o += ',"src_endpoint":' + endpoint(e.src_endpoint)), known++;
  if (e.dst_endpoint !== undefined) (o += ',"dst_endpoint":' + endpoint(e.dst_endpoint)), known++;
  if (e.api !== undefined) {
    known++;
    let m = '';
    if (e.api.operation !== undefined) m += ',"operation":' + str(e.api.operation);
    if (e.api.service !== undefined) m += ',"service":' + (e.api.service.name !== undefined ? '{"name":' + str(e.api.service.name) + '}' : '{}');
    o += ',"api":{' + m.slice(1) + '}';
  }
  if (e.resources !== undefined) {
    known++;
    o += ',"resources":[';
    for (let i = 0; i < e.resources.length; i++) {
      const r = e.resources[i]!;
      let m = '';
      if (r.name !== undefined) m += ',"name":' + str(r.name);
      if (r.type !== undefined) m += ',"type":' + str(r.type);
      if (r.uid !== undefined) m += ',"uid":' + str(r.uid);
      o += (i > 0 ? ',{' : '{') + m.slice(1) + '}';
    }
    o += ']';
  }
  const md = e.metadata;
  let p = '';
  if (md.product.name !== undefined) p += ',"name":' + str(md.product.name);
  if (md.product.vendor_name !== undefined) p += ',"vendor_name":' + str(md.product.vendor_name);
  o += ',"metadata":{"product":{' + p.slice(1) + '}';
  if (md.version !== undefined) o += ',"version":' + str(md.version);
  if (md.uid !== undefined) o += ',"uid":' + str(md.uid);
  o += '}';
  if (e.cloud !== undefined) {
    known++;
    let m = '';
    const a = e.cloud.account;
    if (a !== undefined) {
      let am = '';
      if (a.uid !== undefined) am += ',"uid":' + str(a.uid);
      if (a.name !== undefined) am += ',"name":' + str(a.name);
      m += ',"account":{' + am.slice(1) + '}';
    }
    if (e.cloud.region !== undefined) m += ',"region":' + str(e.cloud.region);
    if (e.cloud.provider !== undefined) m += ',"provider":' + str(e.cloud.provider);
    o += ',"cloud":{' + m.slice(1) + '}';
  }
  if (e.unmapped !== undefined) (o += ',"unmapped":' + anyJson(e.unmapped)), known++;
  o += '}';
  // Members outside the schema (or present with the value undefined): the general path keeps them all.
  if (Object.keys(e).length !== known) return anyJson(e);
  return o;
}

function endpoint(ep: NonNullable<CanonicalEvent['src_endpoint']>): string {
  let m = '';
  if (ep.ip !== undefined) m += ',"ip":' + str(ep.ip);
  if (ep.port !== undefined) m += ',"port":' + int(ep.port);
  if (ep.hostname !== undefined) m += ',"hostname":' + str(ep.hostname);
  return '{' + m.slice(1) + '}';
}

/** Characters JSON.stringify escapes (quote, backslash, controls, lone surrogate halves). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function str(v: unknown): string {
  if (typeof v !== 'string') return anyJson(v);
  return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : '"' + v + '"';
}

function int(v: unknown): string {
  if (typeof v !== 'number') return anyJson(v);
  if (!Number.isFinite(v)) throw new TypeError('An event cannot hold a non-finite number.');
  return v === 0 ? '0' : String(v);
}

/** Any JSON value (unmapped members, unexpected types): JSON.stringify, refusing what it would alter. */
function anyJson(v: unknown): string {
  check(v, 0);
  const json = JSON.stringify(v);
  if (typeof json !== 'string') throw new TypeError('An event member is not a JSON value.');
  return json;
}

function check(v: unknown, depth: number): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError('An event cannot hold a non-finite number.');
    return;
  }
  if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') throw new TypeError(`An event cannot hold a ${typeof v}.`);
  if (typeof v !== 'object' || v === null) return;
  if (depth >= 64) throw new TypeError('An event is nested too deeply.');
  if (Array.isArray(v)) {
    for (const item of v) check(item, depth + 1);
    return;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new TypeError('An event holds plain objects and arrays only.');
  for (const member of Object.values(v)) check(member, depth + 1);
}
