import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds, jsonValuesExceed, parseJsonRecord } from '../../../../electron/core/ingest/json-guard';

describe('json guard', () => {
  it('counts values (commas and openers outside strings) against the limit', () => {
    expect(jsonValuesExceed('[0,0,0]', 2)).toBe(true);
    expect(jsonValuesExceed('[0,0,0]', 3)).toBe(false);
    // Commas inside strings are not values.
    expect(jsonValuesExceed('["a,b,c,d,e,f,g"]', 3)).toBe(false);
  });

  it('never finds more values than characters (the shortcut for short texts agrees with the count)', () => {
    // The densest texts: every character an opener or a comma.
    for (const text of ['[[[[[[', '[,,,,,', '{"a":[[],[],[]]}', '[1,2,3,4,5]']) {
      expect(jsonValuesExceed(text, text.length)).toBe(false);
      expect(jsonValuesExceed(text, text.length - 1)).toBe(text.startsWith('[[[[[[') || text.startsWith('[,,,,,'));
    }
  });

  it('refuses deep nesting before parsing and turns parse errors into reasons', () => {
    expect(jsonDepthExceeds('['.repeat(65) + ']'.repeat(65))).toBe(true);
    expect(jsonDepthExceeds('['.repeat(64) + ']'.repeat(64))).toBe(false);
    expect(parseJsonRecord('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    const bad = parseJsonRecord('{"a":');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toMatch(/^invalid JSON: /);
  });
});
