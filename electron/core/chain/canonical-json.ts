/**
 * Deterministic JSON: object keys sorted by UTF-16 code unit order (JavaScript's default sort), object
 * members whose value is undefined omitted, undefined array items written as null, -0 written as 0.
 * Non-finite numbers, bigints, functions and symbols are refused rather than silently changed, so the
 * bytes that enter the hash chain always re-parse to the same value and re-serialise to the same bytes:
 * canonicalJson(JSON.parse(canonicalJson(v))) === canonicalJson(v).
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

const MAX_DEPTH = 64;
/** Characters JSON.stringify would escape (quote, backslash, controls, lone surrogate halves). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(text: string): string {
  // Most strings need no escaping: skip the native call, which dominates small-string cost.
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

/** `"key":` for member names seen before. Bounded: keys come from hostile input. */
const memberPrefixes = new Map<string, string>();
const MAX_CACHED_KEYS = 4096;
const MAX_CACHED_KEY_LENGTH = 64;

function memberPrefix(key: string): string {
  let prefix = memberPrefixes.get(key);
  if (prefix === undefined) {
    prefix = quote(key) + ':';
    if (key.length <= MAX_CACHED_KEY_LENGTH && memberPrefixes.size < MAX_CACHED_KEYS) memberPrefixes.set(key, prefix);
  }
  return prefix;
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

function write(value: unknown, depth: number): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('Canonical JSON cannot hold a non-finite number.');
    return value === 0 ? '0' : String(value); // -0 === 0: both written as 0
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  if (typeof value !== 'object') throw new TypeError(`Canonical JSON cannot hold a value of type ${typeof value}.`);
  if (depth >= MAX_DEPTH) throw new TypeError('Canonical JSON is nested too deeply.');
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'null' : write(item, depth + 1);
    }
    return out + ']';
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError('Canonical JSON holds plain objects and arrays only.');
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!isSorted(keys)) keys.sort();
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += memberPrefix(key) + write(member, depth + 1);
  }
  return out + '}';
}
