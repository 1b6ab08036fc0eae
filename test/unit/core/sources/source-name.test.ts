import { describe, expect, it } from 'vitest';
import { checkSourceName, sourceNameOf } from '../../../../electron/core/sources/source-name';

describe('checkSourceName', () => {
  it('accepts ordinary names', () => {
    for (const name of ['okta-prod', 'hr export', 'cloudtrail/eu-west-1', 'Lohnbüro', 'Иван', 'syslog@host:514', 'attest-staging']) {
      expect(() => checkSourceName(name), name).not.toThrow();
    }
  });

  it("refuses Attest's own source under any case or compatibility form", () => {
    // Latin in any case or width; all-Cyrillic and all-Greek look-alikes; with a combining accent.
    for (const name of ['attest', 'Attest', 'ATTEST', 'ａｔｔｅｓｔ', 'АТТЕЅТ', 'аттеѕт', 'ΑΤΤΕΣΤ', 'atte\u0301st']) {
      expect(() => checkSourceName(name), name).toThrow(/reserved for Attest's own audit events/);
    }
  });

  it('refuses names that could pass for another', () => {
    expect(() => checkSourceName(' attest')).toThrow(/begin or end with a space/);
    expect(() => checkSourceName('attest ')).toThrow(/begin or end with a space/);
    expect(() => checkSourceName(' ')).toThrow(/begin or end with a space/);
    for (const c of ['\u200b', '\u202e', '\n', '\u034f', '\ufe0f', '\u3164', '\u115f', '\u1160', '\uffa0', '\u17b4', '\u2800', '\u{e0041}']) {
      expect(() => checkSourceName(`okta${c}prod`), c.codePointAt(0)!.toString(16)).toThrow(/control, direction, zero-width or blank/);
    }
    expect(() => checkSourceName('аttest')).toThrow(/Cyrillic or Greek/); // Cyrillic а
    expect(() => checkSourceName('')).toThrow(/1 to 128/);
    expect(() => checkSourceName('x'.repeat(129))).toThrow(/1 to 128/);
  });

  it('stores one form of a name however it was typed (NFKC)', () => {
    expect(sourceNameOf('e\u0301cole')).toBe('\u00e9cole');
    expect(sourceNameOf('\ufb01rewall')).toBe('firewall');
    expect(sourceNameOf('Lohnbu\u0308ro')).toBe('Lohnbüro');
    // Spaces that look like a space become one (and then count as one at either end).
    expect(sourceNameOf('okta\u00a0prod')).toBe('okta prod');
    expect(sourceNameOf('okta\u200aprod')).toBe('okta prod');
    expect(() => sourceNameOf('attest\u3000')).toThrow(/begin or end with a space/);
  });
});
