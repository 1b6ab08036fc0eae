import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../electron/core/chain/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    const value = { b: 1, a: { d: [3, { z: 1, y: undefined, x: 'é' }], c: null }, u: undefined };
    expect(canonicalJson(value)).toBe('{"a":{"c":null,"d":[3,{"x":"é","z":1}]},"b":1}');
  });

  it('is stable under re-serialisation, including awkward strings and keys', () => {
    const value = { '\u0000k': 'line\nbreak "quoted" \\ \ud800 lone', __proto__x: -0, n: 1e21, arr: [undefined, true] };
    const once = canonicalJson(value);
    expect(canonicalJson(JSON.parse(once))).toBe(once);
    expect(once).toContain('"arr":[null,true]');
    expect(once).toContain('"__proto__x":0');
  });

  it('keeps an own __proto__ key from parsed JSON as data', () => {
    const parsed: unknown = JSON.parse('{"__proto__":{"polluted":1},"a":1}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"polluted":1},"a":1}');
  });

  it('refuses values JSON cannot round-trip', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
    expect(() => canonicalJson({ a: Infinity })).toThrow();
    expect(() => canonicalJson({ a: 1n })).toThrow();
    expect(() => canonicalJson({ a: new Date(0) })).toThrow();
  });
});
