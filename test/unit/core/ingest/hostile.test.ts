import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CanonicalEventSchema } from '../../../../shared/domain/canonical-event';
import type { IngestFormat } from '../../../../shared/contract/events';
import { parseRecord, type ParseContext, type ParseOutcome } from '../../../../electron/core/ingest/parse-record';
import { NOW } from './helpers';

const FORMATS: IngestFormat[] = ['ocsf', 'cloudtrail', 'okta', 'ecs', 'cef', 'syslog', 'csv'];
const ctx: ParseContext = { now: NOW, csvHeader: ['time', 'user', 'msg'], csvMapping: { time: 'time', 'actor.user.name': 'user', message: 'msg' } };

/** parseRecord never throws, and never falls back to its internal-error reason. */
function safe(format: IngestFormat, raw: Buffer, c: ParseContext = ctx): ParseOutcome {
  let out: ParseOutcome | undefined;
  expect(() => {
    out = parseRecord(format, raw, c);
  }).not.toThrow();
  if (!out!.ok) {
    expect(out!.reason).not.toMatch(/parser failed/);
    expect(out!.reason.length).toBeLessThan(400);
  } else {
    for (const e of out!.events) expect(CanonicalEventSchema.safeParse(e).success).toBe(true);
  }
  return out!;
}

const ocsf = (over: Record<string, unknown>): Buffer => Buffer.from(JSON.stringify({ class_uid: 3002, activity_id: 1, time: Date.UTC(2026, 0, 1), metadata: { product: {} }, ...over }));
const reason = (o: ParseOutcome): string => (o.ok ? 'ok' : o.reason);

describe('hostile input', () => {
  it('deep nesting is refused before JSON.parse, for arrays and objects', () => {
    const arrays = Buffer.from('['.repeat(10_000) + ']'.repeat(10_000));
    const objects = Buffer.from('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));
    for (const f of ['ocsf', 'cloudtrail', 'okta', 'ecs'] as const) {
      expect(reason(safe(f, arrays))).toBe('JSON nested deeper than 64 levels');
      expect(reason(safe(f, objects))).toBe('JSON nested deeper than 64 levels');
    }
    for (const f of ['cef', 'syslog', 'csv'] as const) safe(f, arrays);
    // Brackets inside strings do not count.
    expect(safe('ocsf', ocsf({ message: '['.repeat(500) })).ok).toBe(true);
  });

  it('invalid UTF-8 and NUL bytes: replaced in events with a note, refused where JSON forbids them', () => {
    const bad = Buffer.concat([Buffer.from('Jan  1 00:00:00 h app: caf'), Buffer.from([0xe9, 0xff, 0x00]), Buffer.from(' end')]);
    const out = safe('syslog', bad);
    expect(out.ok && out.events[0]!.message).toBe('caf\uFFFD\uFFFD\uFFFD end');
    expect(out.ok && out.notes?.join(' ')).toMatch(/not valid UTF-8.*NUL|NUL.*not valid UTF-8/s);
    const jsonNul = Buffer.concat([Buffer.from('{"class_uid":3002,"time":1767225600000,"message":"a'), Buffer.from([0]), Buffer.from('"}')]);
    expect(reason(safe('ocsf', jsonNul))).toMatch(/invalid JSON/);
    const escapedNul = safe('ocsf', ocsf({ message: 'a\u0000b', actor: { user: { name: '\u0000' } } }));
    expect(escapedNul.ok && escapedNul.events[0]).toMatchObject({ message: 'a\uFFFDb', actor: { user: { name: '\uFFFD' } } });
    const latin1 = safe('ocsf', Buffer.concat([Buffer.from('{"class_uid":3002,"time":1767225600000,"message":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]));
    expect(latin1.ok && latin1.events[0]!.message).toBe('caf\uFFFD');
    for (const f of FORMATS) safe(f, Buffer.from([0x00, 0xff, 0xfe, 0x00, 0x0a, 0xc3]));
  });

  it('a 10 MB line is handled quickly', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const started = Date.now();
    const sys = safe('syslog', Buffer.from(`Jan  1 00:00:00 h sshd[1]: Failed password for ${big} from 1.2.3.4 port 22 ssh2`));
    expect(sys.ok && sys.events[0]!.class_uid).toBe(0); // too long to be an sshd line: kept as a Base Event
    expect(safe('ocsf', ocsf({ message: big })).ok).toBe(true);
    safe('cef', Buffer.from(`CEF:0|a|b|c|d|e|5|rt=1767225600000 msg=${big}`));
    safe('csv', Buffer.from(`2026-01-01T00:00:00Z,"${big}",x`));
    safe('cloudtrail', Buffer.from(`{"eventName":"${big}"`));
    for (const f of FORMATS) safe(f, Buffer.from(big));
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a BOM or CRLF around a record does not matter', () => {
    expect(safe('ocsf', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), ocsf({})])).ok).toBe(true);
    expect(safe('ocsf', Buffer.concat([ocsf({}), Buffer.from('\r')])).ok).toBe(true);
    expect(safe('syslog', Buffer.from('Jan  1 00:00:00 h sshd[1]: pam_unix(sshd:auth): authentication failure; rhost=1.2.3.4 user=x\r')).ok).toBe(true);
  });

  it('wrong types are refused with a reason, not coerced into meaning', () => {
    expect(reason(safe('ocsf', ocsf({ time: { $date: 1 } })))).toBe('time must be a number of milliseconds since 1970 (got object)');
    expect(reason(safe('ocsf', ocsf({ class_uid: '3002' })))).toBe('class_uid must be an integer (got string)');
    expect(reason(safe('ocsf', ocsf({ status_id: [1] })))).toBe('status_id must be an integer (got array)');
    const odd = safe('ocsf', ocsf({ actor: { user: [1, 2] }, src_endpoint: { ip: 42, port: 'x' }, api: 'GET', metadata: 7, cloud: null, resources: 'r' }));
    expect(odd.ok).toBe(true);
    expect(reason(safe('cloudtrail', Buffer.from('{"eventName":"X","eventTime":{"a":1}}')))).toMatch(/eventTime is missing or not a string/);
    expect(reason(safe('okta', Buffer.from('{"eventType":["x"],"published":"2026-01-01T00:00:00Z"}')))).toMatch(/eventType is missing/);
    expect(reason(safe('ecs', Buffer.from('{"@timestamp":true}')))).toMatch(/must be a string or a number/);
    for (const f of ['ocsf', 'cloudtrail', 'okta', 'ecs'] as const) {
      expect(reason(safe(f, Buffer.from('[1,2,3]')))).toBe('expected a JSON object, got an array');
      expect(reason(safe(f, Buffer.from('"str"')))).toBe('expected a JSON object, got a string');
      expect(reason(safe(f, Buffer.from('null')))).toBe('expected a JSON object, got null');
    }
  });

  it('absurd timestamps are refused with the reason', () => {
    expect(reason(safe('ocsf', ocsf({ time: 0 })))).toBe('time 1970-01-01T00:00:00.000Z is before 1990-01-01');
    expect(reason(safe('ocsf', ocsf({ time: 1767225600 })))).toMatch(/before 1990-01-01 \(it looks like seconds/);
    expect(reason(safe('ocsf', ocsf({ time: NOW + 2 * 366 * 86400_000 })))).toMatch(/more than one year in the future/);
    expect(reason(safe('ocsf', ocsf({ time: 1e300 })))).toMatch(/more than one year in the future/);
    expect(reason(safe('cloudtrail', Buffer.from('{"eventName":"X","eventTime":"2999-01-01T00:00:00Z"}')))).toMatch(/future/);
    expect(reason(safe('cloudtrail', Buffer.from('{"eventName":"X","eventTime":"2026-02-30T00:00:00Z"}')))).toMatch(/not an ISO 8601 time/);
    expect(reason(safe('syslog', Buffer.from('Jan  1 00:00:00 h app: x'), { now: NOW, syslogYear: 1985 }))).toMatch(/before 1990/);
    expect(reason(safe('cef', Buffer.from('CEF:0|a|b|c|d|e|5|rt=1000')))).toMatch(/before 1990/);
    expect(reason(safe('csv', Buffer.from('1970-01-01T00:00:00Z,a,b')))).toMatch(/before 1990/);
    // Years 0–99 are those years (Date.UTC reads them as 19xx: "0095" was stored as 1995, past this check).
    expect(reason(safe('cloudtrail', Buffer.from('{"eventName":"X","eventTime":"0095-06-01T12:00:00Z"}')))).toBe('time 0095-06-01T12:00:00.000Z is before 1990-01-01');
    expect(reason(safe('okta', Buffer.from('{"eventType":"user.session.start","published":"0026-01-01T00:00:00Z"}')))).toBe('time 0026-01-01T00:00:00.000Z is before 1990-01-01');
    expect(reason(safe('syslog', Buffer.from('<13>1 0099-12-31T23:59:59Z h app - - - x')))).toMatch(/^time 0099-12-31T23:59:59\.000Z is before 1990/);
    expect(reason(safe('ecs', Buffer.from('{"@timestamp":"3000-01-01T00:00:00Z"}')))).toMatch(/future/);
  });

  it('HTML and formula payloads stay plain, unmodified strings', () => {
    const payloads = ["=cmd|' /C calc'!A0", '<script>alert(document.cookie)</script>', '<img src=x onerror=alert(1)>', '+SUM(1,1)', '@A1', '-2+3'];
    for (const p of payloads) {
      const o = safe('ocsf', ocsf({ message: p, actor: { user: { name: p } } }));
      expect(o.ok && [o.events[0]!.message, o.events[0]!.actor?.user?.name]).toEqual([p, p]);
      const s = safe('syslog', Buffer.from(`Jan  1 00:00:00 h app: ${p}`));
      expect(s.ok && s.events[0]!.message).toBe(p);
      const c = safe('csv', Buffer.from(`2026-01-01T00:00:00Z,"${p.replaceAll('"', '""')}",${p.includes(',') ? `"${p}"` : p}`));
      expect(c.ok && [c.events[0]!.actor?.user?.name, c.events[0]!.message]).toEqual([p, p]);
      const f = safe('cef', Buffer.from(`CEF:0|v|p|1|2|n|3|rt=1767225600000 msg=${p.replaceAll('=', '\\=')}`));
      expect(f.ok && f.events[0]!.message).toBe(p);
      const t = safe('cloudtrail', Buffer.from(JSON.stringify({ eventName: 'GetObject', eventTime: '2026-01-01T00:00:00Z', userIdentity: { userName: p } })));
      expect(t.ok && t.events[0]!.actor?.user?.name).toBe(p);
    }
  });

  it('keys like __proto__ never reach Object.prototype', () => {
    safe('ocsf', Buffer.from('{"class_uid":3002,"time":1767225600000,"unmapped":{"__proto__":{"polluted":1}},"__proto__":{"polluted":1}}'));
    safe('csv', Buffer.from('2026-01-01T00:00:00Z,a,b,c'), { ...ctx, csvHeader: ['time', '__proto__', 'constructor', 'x'], csvMapping: { time: 'time' } });
    safe('cef', Buffer.from('CEF:0|a|b|c|d|e|5|rt=1767225600000 __proto__=x constructor=y'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('random bytes never throw in any format', () => {
    for (let i = 0; i < 300; i++) {
      const junk = randomBytes(1 + (i % 200));
      for (const f of FORMATS) safe(f, junk);
    }
    const structured = ['{"class_uid":', 'CEF:0|||||||', '<13>1 - - - - - -', 'Jan 32 25:61:61 h x: y', '"unterminated', '{"Records":[{"eventName":1}]}', '{"Records":[1]}'];
    for (const s of structured) for (const f of FORMATS) safe(f, Buffer.from(s));
  });
});
