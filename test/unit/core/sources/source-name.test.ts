import { describe, expect, it } from 'vitest';
import { checkSourceName } from '../../../../electron/core/sources/source-name';

describe('checkSourceName', () => {
  it('accepts ordinary names', () => {
    for (const name of ['okta-prod', 'hr export', 'cloudtrail/eu-west-1', 'Lohnbüro', 'Иван', 'syslog@host:514', 'attest-staging']) {
      expect(() => checkSourceName(name), name).not.toThrow();
    }
  });

  it("refuses Attest's own source under any case or compatibility form", () => {
    for (const name of ['attest', 'Attest', 'ATTEST', 'ａｔｔｅｓｔ']) {
      expect(() => checkSourceName(name), name).toThrow(/reserved for Attest's own audit events/);
    }
  });

  it('refuses names that could pass for another', () => {
    expect(() => checkSourceName(' attest')).toThrow(/begin or end with a space/);
    expect(() => checkSourceName('attest ')).toThrow(/begin or end with a space/);
    expect(() => checkSourceName(' ')).toThrow(/begin or end with a space/);
    expect(() => checkSourceName('at\u200btest')).toThrow(/control, direction or zero-width/);
    expect(() => checkSourceName('\u202etsetta')).toThrow(/control, direction or zero-width/);
    expect(() => checkSourceName('okta\nprod')).toThrow(/control, direction or zero-width/);
    expect(() => checkSourceName('аttest')).toThrow(/Cyrillic or Greek/); // Cyrillic а
    expect(() => checkSourceName('')).toThrow(/1 to 128/);
    expect(() => checkSourceName('x'.repeat(129))).toThrow(/1 to 128/);
  });
});
