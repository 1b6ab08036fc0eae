/**
 * Where the elements of an array inside a JSON record lie, in bytes: a CloudTrail {"Records":[...]} object
 * or an Okta event hook's {"data":{"events":[...]}} is one record holding many events, and each event keeps
 * its own element as its raw bytes (exactly as received: a slice of the record) instead of the whole record,
 * which stored a record of n events n times. The text was already parsed as JSON, so the scan only needs
 * JSON's structure; its structural bytes are ASCII, never part of a UTF-8 sequence, so bytes are scanned
 * directly and the ranges are exact.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function skipSpace(b: Uint8Array, p: number): number {
  while (p < b.length && isSpace(b[p])) p++;
  return p;
}

/** The end of the string starting at b[p] (a quote), just past its closing quote. */
function skipString(b: Uint8Array, p: number): number {
  for (p++; p < b.length; p++) {
    const c = b[p];
    if (c === BACKSLASH) p++;
    else if (c === QUOTE) return p + 1;
  }
  return -1;
}

/** The end of the value starting at b[p]; -1 when the text ends first. Iterative: no recursion on nesting. */
function skipValue(b: Uint8Array, p: number): number {
  const c = b[p];
  if (c === QUOTE) return skipString(b, p);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (; p < b.length; p++) {
      const d = b[p];
      if (d === QUOTE) {
        p = skipString(b, p) - 1;
        if (p < 0) return -1;
      } else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return p + 1;
      }
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter.
  while (p < b.length && b[p] !== 0x2c && b[p] !== 0x7d && b[p] !== 0x5d && !isSpace(b[p])) p++;
  return p;
}

/** Where the value of `key` in the object at b[p] starts (the last one, as JSON.parse keeps), or -1. */
function memberValue(b: Uint8Array, p: number, key: string): number {
  if (b[p] !== 0x7b) return -1;
  let found = -1;
  p = skipSpace(b, p + 1);
  if (b[p] === 0x7d) return -1;
  for (;;) {
    if (b[p] !== QUOTE) return -1;
    const keyEnd = skipString(b, p);
    if (keyEnd < 0) return -1;
    const name = decodeKey(b, p, keyEnd);
    p = skipSpace(b, keyEnd);
    if (b[p] !== 0x3a) return -1;
    p = skipSpace(b, p + 1);
    if (name === key) found = p;
    p = skipValue(b, p);
    if (p < 0) return -1;
    p = skipSpace(b, p);
    if (b[p] === 0x2c) p = skipSpace(b, p + 1);
    else return b[p] === 0x7d ? found : -1;
  }
}

function decodeKey(b: Uint8Array, start: number, end: number): string | null {
  const raw = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
  if (!raw.includes('\\')) return raw.slice(1, -1);
  try {
    return JSON.parse(raw) as string;
  } catch {
    return null;
  }
}

/**
 * Byte ranges [start, end) of the elements of the array reached through `path` (member names from the top
 * object), or null when the record has no such array.
 */
export function arrayElementRanges(b: Uint8Array, path: readonly string[]): Array<[number, number]> | null {
  let p = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) p = 3;
  p = skipSpace(b, p);
  for (const key of path) {
    p = memberValue(b, p, key);
    if (p < 0) return null;
  }
  if (b[p] !== 0x5b) return null;
  const ranges: Array<[number, number]> = [];
  p = skipSpace(b, p + 1);
  if (b[p] === 0x5d) return ranges;
  for (;;) {
    const end = skipValue(b, p);
    if (end < 0) return null;
    ranges.push([p, end]);
    p = skipSpace(b, end);
    if (b[p] === 0x2c) p = skipSpace(b, p + 1);
    else return b[p] === 0x5d ? ranges : null;
  }
}
