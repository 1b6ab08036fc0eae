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
  const sink = new StringSink();
  if (!writeEvent(e, sink)) return anyJson(e);
  return sink.out;
}

/**
 * Whether serialiseEvent(e) would return exactly `text`, found without building that string: the same
 * walk compares each piece with the text in place. An OCSF source that writes the canonical form has its
 * record stored once (chain-record.ts); building the string only to compare it was a third of the parse
 * thread's allocations. Throws what serialiseEvent throws, for the pieces it gets to before a difference.
 */
export function serialisesTo(e: CanonicalEvent, text: string): boolean {
  const sink = new ComparingSink(text);
  if (!writeEvent(e, sink)) return anyJson(e) === text;
  return sink.matchesAll();
}

/**
 * Where the walk's pieces go: appended to a string, or compared with text already there. Each value
 * comes with the syntax before it (a member's separator and name), one call per member.
 */
interface JsonSink {
  /** JSON syntax and member names, exactly as given. */
  lit(s: string): void;
  str(before: string, v: unknown): void;
  int(before: string, v: unknown): void;
  any(before: string, v: unknown): void;
}

/**
 * Writes the schema's members in the schema's order into the sink. Returns false when the event has
 * members outside the schema (or present as undefined): the caller then takes the general path.
 */
function writeEvent(e: CanonicalEvent, s: JsonSink): boolean {
  let known = 6; // class_uid, activity_id, time, status_id, severity_id, metadata
  s.int('{"class_uid":', e.class_uid);
  if (e.class_name !== undefined) (s.str(',"class_name":', e.class_name), known++);
  s.int(',"activity_id":', e.activity_id);
  if (e.activity_name !== undefined) (s.str(',"activity_name":', e.activity_name), known++);
  s.int(',"time":', e.time);
  s.int(',"status_id":', e.status_id);
  if (e.status !== undefined) (s.str(',"status":', e.status), known++);
  if (e.status_detail !== undefined) (s.str(',"status_detail":', e.status_detail), known++);
  s.int(',"severity_id":', e.severity_id);
  if (e.message !== undefined) (s.str(',"message":', e.message), known++);
  if (e.actor !== undefined) {
    known++;
    const u = e.actor.user;
    if (u === undefined) s.lit(',"actor":{}');
    else {
      s.lit(',"actor":{"user":{');
      let first = true;
      if (u.name !== undefined) (s.str('"name":', u.name), (first = false));
      if (u.uid !== undefined) (s.str(first ? '"uid":' : ',"uid":', u.uid), (first = false));
      if (u.type !== undefined) (s.str(first ? '"type":' : ',"type":', u.type), (first = false));
      if (u.email_addr !== undefined) (s.str(first ? '"email_addr":' : ',"email_addr":', u.email_addr), (first = false));
      if (u.uid_alt !== undefined) (s.str(first ? '"uid_alt":' : ',"uid_alt":', u.uid_alt), (first = false));
      if (u.credential_uid !== undefined) s.str(first ? '"credential_uid":' : ',"credential_uid":', u.credential_uid);
      s.lit('}}');
    }
  }
  if (e.src_endpoint !== undefined) (writeEndpoint(',"src_endpoint":{', e.src_endpoint, s), known++);
  if (e.dst_endpoint !== undefined) (writeEndpoint(',"dst_endpoint":{', e.dst_endpoint, s), known++);
  if (e.api !== undefined) {
    known++;
    s.lit(',"api":{');
    let first = true;
    if (e.api.operation !== undefined) (s.str('"operation":', e.api.operation), (first = false));
    if (e.api.service !== undefined) {
      s.lit(first ? '"service":{' : ',"service":{');
      if (e.api.service.name !== undefined) s.str('"name":', e.api.service.name);
      s.lit('}');
    }
    s.lit('}');
  }
  if (e.resources !== undefined) {
    known++;
    s.lit(',"resources":[');
    for (let i = 0; i < e.resources.length; i++) {
      const r = e.resources[i]!;
      s.lit(i > 0 ? ',{' : '{');
      let first = true;
      if (r.name !== undefined) (s.str('"name":', r.name), (first = false));
      if (r.type !== undefined) (s.str(first ? '"type":' : ',"type":', r.type), (first = false));
      if (r.uid !== undefined) s.str(first ? '"uid":' : ',"uid":', r.uid);
      s.lit('}');
    }
    s.lit(']');
  }
  const md = e.metadata;
  s.lit(',"metadata":{"product":{');
  if (md.product.name !== undefined) s.str('"name":', md.product.name);
  if (md.product.vendor_name !== undefined) s.str(md.product.name === undefined ? '"vendor_name":' : ',"vendor_name":', md.product.vendor_name);
  s.lit('}');
  if (md.version !== undefined) s.str(',"version":', md.version);
  if (md.uid !== undefined) s.str(',"uid":', md.uid);
  s.lit('}');
  if (e.cloud !== undefined) {
    known++;
    s.lit(',"cloud":{');
    let first = true;
    const a = e.cloud.account;
    if (a !== undefined) {
      s.lit('"account":{');
      if (a.uid !== undefined) s.str('"uid":', a.uid);
      if (a.name !== undefined) s.str(a.uid === undefined ? '"name":' : ',"name":', a.name);
      s.lit('}');
      first = false;
    }
    if (e.cloud.region !== undefined) (s.str(first ? '"region":' : ',"region":', e.cloud.region), (first = false));
    if (e.cloud.provider !== undefined) s.str(first ? '"provider":' : ',"provider":', e.cloud.provider);
    s.lit('}');
  }
  if (e.unmapped !== undefined) (s.any(',"unmapped":', e.unmapped), known++);
  s.lit('}');
  // Members outside the schema (or present with the value undefined): the general path keeps them all.
  return Object.keys(e).length === known;
}

/** An endpoint object; `open` is its member name and opening brace. */
function writeEndpoint(open: string, ep: NonNullable<CanonicalEvent['src_endpoint']>, s: JsonSink): void {
  s.lit(open);
  let first = true;
  if (ep.ip !== undefined) (s.str('"ip":', ep.ip), (first = false));
  if (ep.port !== undefined) (s.int(first ? '"port":' : ',"port":', ep.port), (first = false));
  if (ep.hostname !== undefined) s.str(first ? '"hostname":' : ',"hostname":', ep.hostname);
  s.lit('}');
}

/** Characters JSON.stringify escapes (quote, backslash, controls, lone surrogate halves). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function strJson(v: unknown): string {
  if (typeof v !== 'string') return anyJson(v);
  return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : '"' + v + '"';
}

function intJson(v: unknown): string {
  if (typeof v !== 'number') return anyJson(v);
  if (!Number.isFinite(v)) throw new TypeError('An event cannot hold a non-finite number.');
  return v === 0 ? '0' : String(v);
}

class StringSink implements JsonSink {
  out = '';
  lit(s: string): void {
    this.out += s;
  }
  str(before: string, v: unknown): void {
    this.out += before + strJson(v);
  }
  int(before: string, v: unknown): void {
    this.out += before + intJson(v);
  }
  any(before: string, v: unknown): void {
    this.out += before + anyJson(v);
  }
}

const QUOTE = 0x22;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;

/**
 * Compares the walk's pieces with `text` from its start. After the first difference it only records
 * the mismatch (pieces after it need not be checked), so it throws only where serialiseEvent would.
 */
class ComparingSink implements JsonSink {
  private at = 0;
  private same = true;
  constructor(private readonly text: string) {}

  matchesAll(): boolean {
    return this.same && this.at === this.text.length;
  }

  lit(s: string): void {
    if (!this.same) return;
    if (this.text.startsWith(s, this.at)) this.at += s.length;
    else this.same = false;
  }

  str(before: string, v: unknown): void {
    this.lit(before);
    if (!this.same) return;
    if (typeof v !== 'string' || NEEDS_ESCAPE.test(v)) {
      this.lit(strJson(v));
      return;
    }
    // '"' + v + '"' compared in place.
    const t = this.text;
    const at = this.at;
    if (t.charCodeAt(at) === QUOTE && t.startsWith(v, at + 1) && t.charCodeAt(at + 1 + v.length) === QUOTE) this.at = at + 2 + v.length;
    else this.same = false;
  }

  int(before: string, v: unknown): void {
    this.lit(before);
    if (!this.same) return;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v === 0) {
      this.lit(intJson(v));
      return;
    }
    // String(v) of a non-zero safe integer: an optional minus, then digits without a leading zero.
    const t = this.text;
    let at = this.at;
    let magnitude = v;
    if (v < 0) {
      if (t.charCodeAt(at) !== MINUS) return void (this.same = false);
      at++;
      magnitude = -v;
    }
    const start = at;
    let value = 0;
    for (let c = t.charCodeAt(at); c >= DIGIT_0 && c <= DIGIT_9 && at - start < 16; c = t.charCodeAt(at)) {
      value = value * 10 + (c - DIGIT_0);
      at++;
    }
    const digitAfter = t.charCodeAt(at);
    if (value !== magnitude || t.charCodeAt(start) === DIGIT_0 || (digitAfter >= DIGIT_0 && digitAfter <= DIGIT_9)) this.same = false;
    else this.at = at;
  }

  any(before: string, v: unknown): void {
    this.lit(before);
    if (!this.same) return;
    this.lit(anyJson(v));
  }
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
