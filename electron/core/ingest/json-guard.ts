import { MAX_JSON_DEPTH, MAX_JSON_VALUES } from './record';

/** Counts `ch` in `text`, stopping once past `limit` (String#indexOf is far cheaper than a JS char loop). */
function countUpTo(text: string, ch: string, limit: number): number {
  let n = 0;
  let p = text.indexOf(ch);
  while (p !== -1 && n <= limit) {
    n++;
    p = text.indexOf(ch, p + 1);
  }
  return n;
}

/**
 * Calls `visit` with each structural character outside strings ({ [ } ] ,) until it returns true; true
 * if it did. The exact scans below run only when a cheap count says the record might exceed a limit.
 */
function someStructural(text: string, visit: (c: number) => boolean): boolean {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if ((c === 0x7b || c === 0x5b || c === 0x7d || c === 0x5d || c === 0x2c) && visit(c)) return true;
  }
  return false;
}

/**
 * Whether a JSON text nests deeper than `limit`, found without parsing (strings skipped). Run before
 * JSON.parse so a 10,000-deep `[[[[` costs a scan, not a stack.
 */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  // Cheap pre-check for the common case: fewer openers than the limit cannot nest deeper than it.
  const braces = countUpTo(text, '{', limit);
  if (braces + countUpTo(text, '[', limit - braces) <= limit) return false;
  let depth = 0;
  return someStructural(text, (c) => {
    if (c === 0x7b || c === 0x5b) return ++depth > limit;
    if (c === 0x7d || c === 0x5d) depth--;
    return false;
  });
}

/**
 * Whether a JSON text holds more than `limit` values, found without parsing: commas and openers outside
 * strings bound the number of values. Run before JSON.parse so 16 MiB of `[[],[],…]` (millions of
 * objects) costs a scan instead of the parse thread's heap.
 */
export function jsonValuesExceed(text: string, limit = MAX_JSON_VALUES): boolean {
  // Every value takes at least one character: a text no longer than the limit cannot exceed it (nearly
  // every record; counting its commas cost ~0.8 µs of an import's ~25 µs per event).
  if (text.length <= limit) return false;
  // Cheap pre-check, counting inside strings too (an overestimate): most records stop here.
  const commas = countUpTo(text, ',', limit);
  const arrays = countUpTo(text, '[', limit - commas);
  if (commas + arrays + countUpTo(text, '{', limit - commas - arrays) <= limit) return false;
  let n = 0;
  return someStructural(text, (c) => c !== 0x7d && c !== 0x5d && ++n > limit);
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parses one JSON record: depth-checked first, errors become short reasons instead of exceptions. */
export function parseJsonRecord(text: string): JsonParseResult {
  if (jsonDepthExceeds(text)) return { ok: false, reason: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
  if (jsonValuesExceed(text)) return { ok: false, reason: `JSON record holds more than ${MAX_JSON_VALUES.toLocaleString('en-US')} values: not an audit record Attest reads (kept as received)` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // V8 messages may quote the input; keep the reason short.
    return { ok: false, reason: `invalid JSON: ${msg.length > 160 ? `${msg.slice(0, 160)}…` : msg}` };
  }
}

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
