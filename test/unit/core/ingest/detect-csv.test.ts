import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DETECT_SAMPLE_BYTES, detectFormat } from '../../../../electron/core/ingest/detect';
import { parseRawRecord, type ParseContext } from '../../../../electron/core/ingest/parse-record';
import { openInput, type OpenedInput } from '../../../../electron/core/ingest/read-records';
import { NOW, readAll as all, tempDir } from './helpers';

const DETECT_FIXTURES = join(__dirname, '../../../fixtures/ingest-detect');
const sample = (name: string): Buffer => readFileSync(join(DETECT_FIXTURES, name));
const d = (s: string | Buffer, csvMapping?: Record<string, string>): string | null => detectFormat(typeof s === 'string' ? Buffer.from(s) : s, csvMapping ? { csvMapping } : {});

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function csvContext(input: OpenedInput): ParseContext {
  return { now: NOW, csvHeader: input.csvHeader!, csvMapping: input.csvMapping!, csvDelimiter: input.csvDelimiter! };
}

describe('CSV exports whose rows hold an ISO time and free text', () => {
  it('detects them as CSV, not syslog (real samples)', () => {
    expect(d(sample('minimal-colon-in-field.csv'))).toBe('csv');
    expect(d(sample('entra-signins-portal-export.csv'))).toBe('csv');
    expect(d('time,request,agent,user\n2024-03-08T08:14:22Z,r1,Python/3.11 aiohttp/3.9.1,Megan Bowen\n2024-03-08T08:15:22Z,r2,Python/3.11 aiohttp/3.9.1,Alex Wilber\n')).toBe('csv');
    // Semicolon, tab and an offset time with fractions.
    expect(d('Date;User;Action\n2024-03-08T09:14:22.123+01:00;Megan Bowen;Sign in: success\n')).toBe('csv');
    expect(d('Date\tUser\tAction\n2024-03-08T09:14:22Z\tMegan Bowen\tSign in: success\n')).toBe('csv');
    // A space for the T, as Entra writes it.
    expect(d('Date (UTC),User,Status\n2024-03-08 09:14:22,Megan Bowen,Success\n')).toBe('csv');
  });

  it('still detects syslog and CEF samples, including lines led by an ISO time (real samples)', () => {
    expect(d(sample('elastic-pam-chauthtok-iso8601.log'))).toBe('syslog');
    expect(d(sample('fortigate-syslog-wrapped-public-tests.log'))).toBe('cef');
    expect(d('2024-03-08T09:14:22Z host sshd[1]: Accepted password for a from 10.0.0.1 port 22 ssh2\n')).toBe('syslog');
    expect(d('2024-03-08T09:14:22.123456+01:00 host sshd[1]: Failed password for a, b from 10.0.0.1 port 22 ssh2\n')).toBe('syslog');
    expect(d('<38>2024-03-08T09:14:22,5Z host sshd[1]: x\n')).toBe('syslog');
    // Syslog lines with the same number of commas do not make the first one a header.
    const commas = Array.from({ length: 5 }, (_, i) => `Mar  8 09:14:2${i} host app[1]: user=a, result=b`).join('\n');
    expect(d(`${commas}\n`)).toBe('syslog');
    // CEF's pipes are not a CSV delimiter.
    expect(d('CEF:0|V|P|1|1|N|3|a=b\nCEF:0|V|P|1|2|N|3|a=c\n')).toBe('cef');
  });

  it('does not take a log line or a comment for a header', () => {
    // Each first line below is followed by syslog lines with as many commas: the header rule must not fire.
    const rows = Array.from({ length: 4 }, (_, i) => `Mar  8 09:14:2${i} host app[1]: a, b`).join('\n');
    expect(d(`# Logfile created on 2024-03-08, by logrotate, v1\n${rows}\n`)).toBe('syslog');
    expect(d(`kernel: started, mode=fast, ok\n${rows}\n`)).toBe('syslog');
    expect(d(`app[1] restarted, by root, now\n${rows}\n`)).toBe('syslog');
    // A header of names over the same lines is a CSV export of raw lines.
    expect(d(`Message,Note\n${rows}\n`)).toBe('csv');
  });

  it('imports the Entra export end to end: "Date (UTC)", Username, IP address mapped; gzip alike', async () => {
    for (const gz of [false, true]) {
      const bytes = sample('entra-signins-portal-export.csv');
      const input = await openInput(tmp.file(gz ? 'entra.csv.gz' : 'entra.csv', gz ? gzipSync(bytes) : bytes), {});
      expect(input.format).toBe('csv');
      expect(input.csvMapping).toMatchObject({ time: 'Date (UTC)', 'actor.user.name': 'Username', 'actor.user.uid': 'User ID', 'src_endpoint.ip': 'IP address', status_id: 'Status' });
      const recs = await all(input);
      const outs = recs.map((r) => parseRawRecord('csv', r, csvContext(input)));
      expect(outs.every((o) => o.ok)).toBe(true);
      const first = outs[0]!;
      expect(first.ok && [new Date(first.events[0]!.time).toISOString(), first.events[0]!.actor?.user?.name]).toEqual(['2024-03-05T08:14:22.000Z', 'AlexW@contoso.onmicrosoft.com']);
    }
  });

  it('imports the 3-line reproduction: 2 events, nothing quarantined', async () => {
    const input = await openInput(join(DETECT_FIXTURES, 'minimal-colon-in-field.csv'), {});
    expect(input.format).toBe('csv');
    const outs = (await all(input)).map((r) => parseRawRecord('csv', r, csvContext(input)));
    expect(outs.map((o) => o.ok && [o.events[0]!.actor?.user?.name, o.events[0]!.api?.operation])).toEqual([
      ['Megan Bowen', 'Sign in: success'],
      ['Alex Wilber', 'Sign in: failure'],
    ]);
  });

  it('stays bounded on hostile first lines (long, NUL, invalid UTF-8, unclosed quote)', () => {
    const long = Buffer.concat([Buffer.from('a,b,"'), Buffer.alloc(DETECT_SAMPLE_BYTES * 2, 0x41)]);
    const started = Date.now();
    expect(d(long)).toBeNull();
    expect(d(Buffer.concat([Buffer.from('time,user\n'), Buffer.from([0x32, 0x30, 0x00, 0xff, 0xfe, 0x2c, 0x61, 0x0a])]))).toBe('csv');
    expect(d(`${' ,'.repeat(30_000)}\n`)).toBeNull();
    expect(d(`2024-03-08T09:14:22${'Z'.repeat(60_000)} x\n`)).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('a source with a saved CSV mapping', () => {
  const mapping = { time: 'When it happened', 'actor.user.name': 'Who did it' };

  it('implies CSV when the header has the mapped time column', () => {
    // Neither rule alone reads this as CSV: the names are long and rows look like syslog.
    const text = 'Mar  8 09:14:22 x,When it happened,Who did it\nMar  8 09:14:22 host app: a,2024-03-08T09:14:22Z,alice\n';
    expect(d(text)).toBe('syslog');
    expect(d(text, mapping)).toBe('csv');
    expect(d(text, { time: 'Date (UTC)' })).toBe('syslog');
    expect(d(text, {})).toBe('syslog');
    // A mapping without time: every mapped column must be there.
    expect(d(text, { 'actor.user.name': 'Who did it' })).toBe('csv');
    expect(d(text, { 'actor.user.name': 'Who did it', message: 'Nope' })).toBe('syslog');
    // JSON is never read as CSV because of a mapping.
    expect(d('{"When it happened":1}\n', { time: '{"When it happened":1}' })).toBeNull();
  });

  it('is read as CSV by openInput without --format, with the saved mapping', async () => {
    const file = tmp.file('mapped.csv', 'Mar  8 09:14:22 x,When it happened,Who did it\nMar  8 09:14:23 host app: a,2024-03-08T09:14:22Z,alice\n');
    const plain = await openInput(file, {});
    expect(plain.format).toBe('syslog');
    await plain.close();
    const input = await openInput(file, { csvMapping: mapping });
    expect(input.format).toBe('csv');
    expect(input.csvMapping).toEqual(mapping);
    const [rec] = await all(input);
    const out = parseRawRecord('csv', rec!, csvContext(input));
    expect(out.ok && out.events[0]!.actor?.user?.name).toBe('alice');
  });
});

describe('a syslog file led by a banner with commas', () => {
  it('stays syslog: its rows are syslog lines, whatever their commas (found by an outside probe)', () => {
    const text = [
      'logfile started, host a, pid 5',
      'Nov 20 10:00:00 host1 sshd[10]: Failed password for root from 203.0.113.5 port 22 ssh2, x, y',
      'Nov 20 10:00:01 host1 sshd[10]: Failed password for bob from 203.0.113.5 port 22 ssh2, x, y',
      '',
    ].join('\n');
    expect(detectFormat(Buffer.from(text))).toBe('syslog');
  });
});
