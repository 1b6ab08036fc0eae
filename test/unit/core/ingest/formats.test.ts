import { describe, expect, it } from 'vitest';
import { CanonicalEventSchema, type CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { CSV_TARGET_FIELDS, suggestCsvMapping } from '../../../../electron/core/ingest/csv-mapping';
import { effectiveSyslogDefaults, parseRecord, type ParseContext, type ParseOutcome } from '../../../../electron/core/ingest/parse-record';
import type { IngestFormat } from '../../../../shared/contract/events';
import { NOW } from './helpers';

const ctx: ParseContext = { now: NOW };

function one(format: IngestFormat, text: string, c: ParseContext = ctx): CanonicalEvent {
  const out = parseRecord(format, Buffer.from(text), c);
  if (!out.ok) throw new Error(out.reason);
  expect(out.events).toHaveLength(1);
  expect(CanonicalEventSchema.safeParse(out.events[0]).success).toBe(true);
  return out.events[0]!;
}

function reason(out: ParseOutcome): string {
  return out.ok ? 'ok' : out.reason;
}

describe('ECS', () => {
  it('maps an authentication document, nested or dotted', () => {
    const nested = one('ecs', JSON.stringify({
      '@timestamp': '2026-01-02T03:04:05.678Z',
      event: { category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh_login' },
      user: { name: 'alice' },
      source: { ip: '192.0.2.7', port: 5555 },
      host: { name: 'srv1' },
      message: '<script>alert(1)</script>',
    }));
    expect(nested).toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 2, time: Date.UTC(2026, 0, 2, 3, 4, 5, 678), actor: { user: { name: 'alice' } }, src_endpoint: { ip: '192.0.2.7', port: 5555 }, message: '<script>alert(1)</script>' });
    const dotted = one('ecs', JSON.stringify({ '@timestamp': '2026-01-02T03:04:05Z', 'event.category': 'authentication', 'event.type': 'end', 'event.outcome': 'success', 'user.name': 'bob' }));
    expect(dotted).toMatchObject({ class_uid: 3002, activity_id: 2, status_id: 1, actor: { user: { name: 'bob' } } });
    expect(one('ecs', '{"@timestamp":"2026-01-02T03:04:05Z","message":"disk full"}')).toMatchObject({ class_uid: 0, activity_id: 99, message: 'disk full' });
  });
});

describe('CEF', () => {
  it('parses bare CEF with escapes, maps logon/logoff and outcome', () => {
    const e = one('cef', 'CEF:0|Acme|Gate\\|way|2.1|4625|Failed logon|7|rt=1767225600000 suser=alice src=198.51.100.4 spt=4444 dhost=dc1 msg=bad \\= password\\nline outcome=failure cs1=a b c');
    expect(e).toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 2, severity_id: 4, time: 1767225600000, actor: { user: { name: 'alice' } }, src_endpoint: { ip: '198.51.100.4', port: 4444 }, dst_endpoint: { hostname: 'dc1' }, message: 'bad = password\nline' });
    expect(e.metadata.product).toEqual({ name: 'Gate|way', vendor_name: 'Acme' });
    expect((e.unmapped?.extension as Record<string, string>).cs1).toBe('a b c');
    const off = one('cef', 'CEF:0|Acme|VPN|1|2|User logged off|3|rt=Jan 05 2026 10:00:00 UTC duser=bob');
    expect(off).toMatchObject({ class_uid: 3002, activity_id: 2, time: Date.UTC(2026, 0, 5, 10), actor: { user: { name: 'bob' } } });
  });

  it('reads CEF inside a syslog line and keeps non-auth CEF as a Base Event', () => {
    const e = one('cef', '<134>Feb 14 19:04:54 fw01 CEF:0|Acme|FW|1|100|Traffic allowed|2|src=10.0.0.1 dst=10.0.0.2 dpt=443');
    expect(e).toMatchObject({ class_uid: 0, activity_id: 99, message: 'Traffic allowed', src_endpoint: { ip: '10.0.0.1' }, dst_endpoint: { ip: '10.0.0.2', port: 443 } });
    expect(e.time).toBe(Date.UTC(2026, 1, 14, 19, 4, 54));
    expect(one('syslog', '<134>Feb 14 19:04:54 fw01 CEF:0|Acme|FW|1|100|Login ok|2|suser=x outcome=success')).toMatchObject({ class_uid: 3002, status_id: 1 });
  });

  it('refuses a CEF record with a broken header or no time', () => {
    expect(reason(parseRecord('cef', Buffer.from('CEF:0|only|three'), ctx))).toMatch(/header has 3 of its 8 fields/);
    expect(reason(parseRecord('cef', Buffer.from('CEF:0|A|B|1|2|Name|3|src=1.2.3.4'), ctx))).toMatch(/no time/);
  });
});

describe('syslog', () => {
  it('parses RFC 5424 with structured data and a zoned time', () => {
    const e = one('syslog', '<38>1 2026-03-01T10:00:00.123+02:00 web01 sshd 4242 - [meta x="a]b"] Accepted publickey for deploy from 203.0.113.9 port 50000 ssh2: RSA SHA256:abc');
    expect(e).toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 1, severity_id: 1, time: Date.UTC(2026, 2, 1, 8, 0, 0, 123), actor: { user: { name: 'deploy' } }, src_endpoint: { ip: '203.0.113.9', port: 50000 }, dst_endpoint: { hostname: 'web01' } });
    expect(e.unmapped).toMatchObject({ structured_data: '[meta x="a]b"]', program: 'sshd', pid: '4242', facility: 4 });
    const out = parseRecord('syslog', Buffer.from('<38>1 2026-03-01T10:00:00Z web01 app - - - hello'), ctx);
    expect(out.ok && out.notes).toBeUndefined(); // a zoned 5424 time assumes nothing
  });

  it('understands PAM session lines and sudo/su PAM failures', () => {
    // A privilege switch by alice to root, not a logon of root (unix-auth-lines.test.ts).
    expect(one('syslog', 'Mar  1 10:00:00 h su[1]: pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000)')).toMatchObject({ class_uid: 3003, activity_id: 99, status_id: 1, actor: { user: { name: 'alice', uid: '1000' } }, resources: [{ type: 'User', name: 'root', uid: '0' }] });
    expect(one('syslog', 'Mar  1 10:00:00 h sshd[1]: pam_unix(sshd:session): session closed for user bob')).toMatchObject({ class_uid: 3002, activity_id: 2, status_id: 1 });
    expect(one('syslog', 'Mar  1 10:00:00 h sudo: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice')).toMatchObject({ class_uid: 3002, status_id: 2, actor: { user: { name: 'alice' } } });
    expect(one('syslog', 'Mar  1 10:00:00 h sshd[9]: Invalid user  admin  from 192.0.2.1 port 22')).toMatchObject({ status_id: 2, actor: { user: { name: ' admin ' } } });
  });

  it('keeps "message repeated N times" as one authentication event with OCSF count N', () => {
    const out = parseRecord('syslog', Buffer.from('Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]'), ctx);
    expect(out.ok && out.events).toHaveLength(1);
    expect(out.ok && out.events[0]).toMatchObject({ class_uid: 3002, status_id: 2, count: 5, actor: { user: { name: 'root' } }, src_endpoint: { ip: '5.36.59.76' } });
    const huge = parseRecord('syslog', Buffer.from('Dec 10 07:13:56 h sshd[1]: message repeated 999999999 times: [ Failed password for root from 5.36.59.76 port 1 ssh2]'), ctx);
    expect(huge.ok && huge.events.map((e) => e.count)).toEqual([999999999]);
  });

  it('exposes the effective year/zone defaults for the batch record', () => {
    expect(effectiveSyslogDefaults({ now: NOW })).toEqual({ year: 2026, zone: 'UTC', yearSource: 'default', zoneSource: 'default' });
    expect(effectiveSyslogDefaults({ now: NOW, syslogYear: 2019, syslogZone: 'Europe/Berlin' })).toEqual({ year: 2019, zone: 'Europe/Berlin', yearSource: 'settings', zoneSource: 'settings' });
    expect(reason(parseRecord('syslog', Buffer.from('Mar  1 10:00:00 h x: y'), { now: NOW, syslogZone: 'Mars/Olympus' }))).toMatch(/unknown time zone "Mars\/Olympus"/);
    // Daylight saving: 10:00 in Berlin is 09:00 UTC in winter and 08:00 UTC in summer.
    const berlin: ParseContext = { now: NOW, syslogZone: 'Europe/Berlin', syslogYear: 2026 };
    expect(one('syslog', 'Jan  1 10:00:00 h x: y', berlin).time).toBe(Date.UTC(2026, 0, 1, 9));
    expect(one('syslog', 'Jul  1 10:00:00 h x: y', berlin).time).toBe(Date.UTC(2026, 6, 1, 8));
  });

  it('says when a time falls where the clocks changed: an hour skipped, or an hour that happened twice (probe: silent)', () => {
    const paris: ParseContext = { now: NOW, syslogZone: 'Europe/Paris', syslogYear: 2026 };
    const notesOf = (line: string) => {
      const out = parseRecord('syslog', Buffer.from(line), paris);
      return out.ok ? (out.notes ?? []).filter((n) => n.includes('clocks')) : ['not parsed'];
    };
    // 29 Mar 2026 02:30 never happened in Paris: read with the offset before the change (+01:00).
    expect(one('syslog', 'Mar 29 02:30:00 h x: y', paris).time).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(notesOf('Mar 29 02:30:00 h x: y')).toEqual(['some times fall in the hour the clocks of Europe/Paris skipped (they never happened there): each was read with the offset before the change']);
    // 25 Oct 2026 02:30 happened at 00:30Z and again at 01:30Z.
    expect(one('syslog', 'Oct 25 02:30:00 h x: y', paris).time).toBe(Date.UTC(2026, 9, 25, 1, 30));
    expect(notesOf('Oct 25 02:30:00 h x: y')).toEqual(['some times fall in the hour the clocks of Europe/Paris went back over (it happened twice): each was read as the second of the two']);
    for (const ordinary of ['Oct 25 01:30:00 h x: y', 'Oct 25 03:30:00 h x: y', 'Mar 29 03:30:00 h x: y', 'Jul  1 12:00:00 h x: y']) expect(notesOf(ordinary), ordinary).toEqual([]);
    // A fixed offset or UTC has no clock changes.
    expect(parseRecord('syslog', Buffer.from('Mar 29 02:30:00 h x: y'), { now: NOW, syslogZone: '+01:00', syslogYear: 2026 })).toMatchObject({ ok: true });
  });
});

describe('OCSF', () => {
  it('derives activity_id from type_uid and keeps strings as they are', () => {
    const e = one('ocsf', JSON.stringify({ class_uid: 3002, type_uid: 300202, time: Date.UTC(2026, 0, 1), message: "=cmd|' /C calc'!A0", metadata: { product: { name: '<b>x</b>' } } }));
    expect(e).toMatchObject({ activity_id: 2, status_id: 0, severity_id: 0, message: "=cmd|' /C calc'!A0", metadata: { product: { name: '<b>x</b>' } } });
  });

  it('takes the account from older OCSF (cloud.account_uid) or the acting user\'s account', () => {
    const base = { class_uid: 6003, activity_id: 1, time: Date.UTC(2026, 0, 1) };
    expect(one('ocsf', JSON.stringify({ ...base, cloud: { provider: 'AWS', account_uid: '123456789012' } })).cloud).toEqual({ account: { uid: '123456789012' }, provider: 'AWS' });
    expect(one('ocsf', JSON.stringify({ ...base, actor: { user: { name: 'a', account: { uid: '112233445566' } } } })).cloud).toEqual({ account: { uid: '112233445566' } });
    expect(one('ocsf', JSON.stringify({ ...base, actor: { user: { name: 'a', account_uid: '112233445566' } } })).cloud).toEqual({ account: { uid: '112233445566' } });
    // cloud.account.uid wins over the others.
    expect(one('ocsf', JSON.stringify({ ...base, cloud: { account: { uid: '1' }, account_uid: '2' }, actor: { user: { account: { uid: '3' } } } })).cloud?.account?.uid).toBe('1');
  });

  it('a Windows failed logon (4625) is about the account logged on to, not the placeholder actor', () => {
    const e = one('ocsf', JSON.stringify({
      class_uid: 3002, activity_id: 1, time: Date.UTC(2026, 0, 1), status_id: 2,
      actor: { user: { name: '-', uid: 'NULL SID', domain: '-' } },
      user: { name: 'Administrator', uid: 'S-1-5-21-1-500', domain: 'EC2AMAZ-6KJ2BPP' },
      src_endpoint: { ip: '-', name: 'EC2AMAZ-6KJ2BPP', port: 0 },
    }));
    expect(e.actor?.user).toEqual({ name: 'Administrator', uid: 'S-1-5-21-1-500' });
    expect(e.src_endpoint?.ip).toBeUndefined();
    // A real actor stays the actor.
    const admin = one('ocsf', JSON.stringify({ class_uid: 3002, activity_id: 1, time: Date.UTC(2026, 0, 1), actor: { user: { name: 'ops' } }, user: { name: 'svc-backup' } }));
    expect(admin.actor?.user?.name).toBe('ops');
  });
});

describe('CSV rows', () => {
  it('a row whose fields do not line up with the header is quarantined, not mapped', () => {
    const c: ParseContext = { now: NOW, csvHeader: ['time', 'user', 'ip', 'status'] };
    const row = (text: string) => parseRecord('csv', Buffer.from(text), c);
    expect(row('2026-01-01T00:00:00Z,alice,10.0.0.1,success').ok).toBe(true);
    expect(reason(row('2026-01-01T00:00:01Z,bob,10.0.0.2'))).toBe('the row has 3 fields where the header has 4');
    expect(reason(row('2026-01-01T00:00:02Z,carol,10.0.0.3,success,ok,EXTRA'))).toBe('the row has 6 fields where the header has 4');
    // A trailing delimiter (an empty field after the last column) is not a misaligned row.
    expect(row('2026-01-01T00:00:00Z,alice,10.0.0.1,success,').ok).toBe(true);
    expect(row('2026-01-01T00:00:00Z,alice,10.0.0.1,success,,').ok).toBe(true);
    // A stray quote folds the next row into this one: the field count gives it away.
    expect(reason(row('2026-01-01T00:00:03Z,dave,10.0.0.4,"unterminated\n2026-01-01T00:00:04Z,erin,10.0.0.5,success'))).toMatch(/where the header has 4|unterminated|quote/);
  });
});

describe('CSV mapping suggestions', () => {
  it('suggests common header names and only targets known fields', () => {
    const m = suggestCsvMapping(['event_time', 'username', 'client_ip', 'result', 'region', 'id', 'misc']);
    expect(m).toEqual({ time: 'event_time', status_id: 'result', 'actor.user.name': 'username', 'src_endpoint.ip': 'client_ip', 'cloud.region': 'region', 'metadata.uid': 'id' });
    const known = new Set(CSV_TARGET_FIELDS.map((f) => f.path));
    for (const path of Object.keys(suggestCsvMapping(['time', 'user', 'host', 'port', 'action', 'service', 'severity', 'message']))) expect(known.has(path)).toBe(true);
  });
});

describe('ECS source.address', () => {
  it('is an IP or a host name, never an IP shown as a host name', () => {
    const viaAddress = one('ecs', JSON.stringify({ '@timestamp': '2026-01-02T03:04:05Z', source: { address: '81.2.69.144', ip: '81.2.69.144' }, message: 'x' }));
    expect(viaAddress.src_endpoint).toEqual({ ip: '81.2.69.144' });
    expect(one('ecs', JSON.stringify({ '@timestamp': '2026-01-02T03:04:05Z', source: { address: '2001:db8::7' }, message: 'x' })).src_endpoint).toEqual({ ip: '2001:db8::7' });
    expect(one('ecs', JSON.stringify({ '@timestamp': '2026-01-02T03:04:05Z', source: { address: 'bastion.corp.example' }, message: 'x' })).src_endpoint).toEqual({ hostname: 'bastion.corp.example' });
  });
});
