import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { AttestError } from '../../../../shared/result';
import { describeUnrecognised, detectFormat } from '../../../../electron/core/ingest/detect';
import { parseRawRecord, type ParseContext } from '../../../../electron/core/ingest/parse-record';
import { openInput } from '../../../../electron/core/ingest/read-records';
import { FIXTURES, NOW, readAll as all, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function ocsfAuth(i: number): string {
  return JSON.stringify({
    class_uid: 3002,
    activity_id: 1,
    time: Date.UTC(2026, 0, 1) + i,
    status_id: i % 2 === 0 ? 1 : 2,
    severity_id: 1,
    actor: { user: { name: `user${i}` } },
    src_endpoint: { ip: '10.0.0.1' },
    metadata: { product: { name: 'test' }, version: '1.1.0' },
  });
}

const fixture = (rel: string): Buffer => readFileSync(join(FIXTURES, rel));

describe('openInput', () => {
  it('reads OCSF JSON Lines, plain and gzip, with progress counted in compressed bytes', async () => {
    const text = Array.from({ length: 500 }, (_, i) => ocsfAuth(i)).join('\n') + '\n';
    for (const gz of [false, true]) {
      const data = gz ? gzipSync(text) : Buffer.from(text);
      const path = tmp.file(gz ? 'a.jsonl.gz' : 'a.jsonl', data);
      const input = await openInput(path, {});
      expect([input.format, input.gzip, input.jsonLayout]).toEqual(['ocsf', gz, 'lines']);
      const recs = await all(input);
      expect(recs).toHaveLength(500);
      expect(recs[499]!.line).toBe(500);
      expect(input.bytesRead()).toBe(data.length);
      expect(input.totalBytes).toBe(data.length);
      const out = parseRawRecord('ocsf', recs[3]!, { now: NOW });
      expect(out.ok && out.events[0]!.actor?.user?.name).toBe('user3');
    }
  });

  it('reads a gzip stream larger than the read chunk, in batches', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => ocsfAuth(i));
    const path = tmp.file('big.json.gz', gzipSync(lines.join('\r\n')));
    const input = await openInput(path, {});
    let n = 0;
    for await (const batch of input.recordBatches) n += batch.length;
    expect(n).toBe(20_000);
  });

  it('detects each shared fixture and cuts it into the right records', async () => {
    const cases: Array<[string, string, number]> = [
      ['cloudtrail/console_login.raw.json', 'cloudtrail', 1],
      ['cloudtrail/api_call.raw.json', 'cloudtrail', 1],
      ['okta/authentication.raw.json', 'okta', 1],
      ['ocsf/authentication.ocsf.json', 'ocsf', 1],
      ['syslog/OpenSSH_2k.log', 'syslog', 2000],
    ];
    for (const [rel, format, count] of cases) {
      const input = await openInput(join(FIXTURES, rel), {});
      expect(input.format, rel).toBe(format);
      const recs = await all(input);
      expect(recs, rel).toHaveLength(count);
      for (const r of recs) expect(parseRawRecord(input.format, r, { now: NOW }).ok, rel).toBe(true);
    }
  });

  it('splits a CloudTrail {"Records":[...]} file, also gzip, and an Okta JSON array', async () => {
    const a = JSON.parse(fixture('cloudtrail/console_login.raw.json').toString());
    const b = JSON.parse(fixture('cloudtrail/api_call.raw.json').toString());
    const trail = JSON.stringify({ Records: [a, b, a] });
    const path = tmp.file('trail.json.gz', gzipSync(trail));
    const input = await openInput(path, {});
    expect([input.format, input.gzip, input.jsonLayout]).toEqual(['cloudtrail', true, 'document']);
    const recs = await all(input);
    expect(recs.map((r) => JSON.parse(r.raw.toString()).eventName)).toEqual(['ConsoleLogin', 'DescribeDirectConnectGateways', 'ConsoleLogin']);

    const okta = JSON.parse(fixture('okta/authentication.raw.json').toString());
    const arr = JSON.stringify([okta, okta], null, 2);
    const input2 = await openInput(tmp.file('okta.json', arr), {});
    expect(input2.format).toBe('okta');
    const recs2 = await all(input2);
    expect(recs2).toHaveLength(2);
    expect(recs2[1]!.line).toBeGreaterThan(recs2[0]!.line);
    expect(recs2[0]!.raw.toString()).toBe(arr.slice(arr.indexOf('{'), arr.indexOf('\n  },') + 4));
  });

  it('reads the output of aws cloudtrail lookup-events: each event\'s record is the JSON string inside it', async () => {
    const a = JSON.parse(fixture('cloudtrail/console_login.raw.json').toString()) as Record<string, unknown>;
    const b = JSON.parse(fixture('cloudtrail/api_call.raw.json').toString()) as Record<string, unknown>;
    const wrap = (r: Record<string, unknown>) => ({ EventId: r.eventID, EventName: r.eventName, EventSource: r.eventSource, CloudTrailEvent: JSON.stringify(r) });
    const text = JSON.stringify({ Events: [wrap(a), wrap(b)], NextToken: 'x' }, null, 4);
    const input = await openInput(tmp.file('lookup.json', text), {});
    expect(input.format).toBe('cloudtrail');
    const recs = await all(input);
    expect(recs).toHaveLength(2);
    const events = recs.map((r) => parseRawRecord('cloudtrail', r, { now: NOW }));
    expect(events.map((o) => (o.ok ? o.events[0]!.api?.operation : o.reason))).toEqual(['ConsoleLogin', 'DescribeDirectConnectGateways']);
    // What is kept is the event as received, its wrapper included.
    expect(JSON.parse(recs[0]!.raw.toString())).toHaveProperty('CloudTrailEvent');
    const bad = parseRawRecord('cloudtrail', { raw: Buffer.from(JSON.stringify({ EventName: 'X', CloudTrailEvent: '{not json' })), line: 1 }, { now: NOW });
    expect(bad.ok ? 'ok' : bad.reason).toMatch(/^CloudTrailEvent: invalid JSON/);
  });

  it('reads CSV with a header, suggests a mapping, and reports unmapped required fields', async () => {
    const csv = 'Timestamp,User Name,Source IP,Action,Outcome,Note\r\n2026-01-02T03:04:05Z,alice,10.1.1.1,login,success,"multi\nline"\r\n2026-01-02T03:05:00Z,bob,10.1.1.2,logout,failed,=cmd|\' /C calc\'!A0\r\n';
    const input = await openInput(tmp.file('x.csv', csv), {});
    expect(input.format).toBe('csv');
    expect(input.csvHeader).toEqual(['Timestamp', 'User Name', 'Source IP', 'Action', 'Outcome', 'Note']);
    expect(input.csvMapping).toMatchObject({ time: 'Timestamp', 'actor.user.name': 'User Name', 'src_endpoint.ip': 'Source IP', 'api.operation': 'Action', status_id: 'Outcome' });
    const recs = await all(input);
    expect(recs.map((r) => r.line)).toEqual([2, 4]);
    const ctx: ParseContext = { now: NOW, csvHeader: input.csvHeader!, csvMapping: input.csvMapping! };
    const [first, second] = recs.map((r) => parseRawRecord('csv', r, ctx));
    expect(first!.ok && first!.events[0]).toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 1, actor: { user: { name: 'alice' } }, src_endpoint: { ip: '10.1.1.1' }, unmapped: { Note: 'multi\nline' } });
    expect(second!.ok && second!.events[0]).toMatchObject({ class_uid: 3002, activity_id: 2, status_id: 2, unmapped: { Note: "=cmd|' /C calc'!A0" } });

    const noTime = tmp.file('y.csv', 'who,what\nalice,x\n');
    await expect(openInput(noTime, { format: 'csv' })).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringMatching(/no column is mapped to the required field time/) });
    await expect(openInput(noTime, { format: 'csv', csvMapping: { time: 'when' } })).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    const saved = tmp.file('z.csv', 'who;what\nalice;2026-01-01 10:00:00\n');
    const custom = await openInput(saved, { format: 'csv', csvMapping: { time: 'what', 'actor.user.name': 'who' } });
    expect(custom.csvDelimiter).toBe(';');
    const [row] = await all(custom);
    const out = parseRawRecord('csv', row!, { now: NOW, csvHeader: custom.csvHeader!, csvMapping: custom.csvMapping!, syslogZone: '+01:00' });
    expect(out.ok && out.events[0]).toMatchObject({ time: Date.UTC(2026, 0, 1, 9), class_uid: 0, actor: { user: { name: 'alice' } } });
    expect(out.ok && out.notes?.join()).toMatch(/time zone \+01:00/);
  });

  it('reads every format plain and gzip-compressed, detected from the content', async () => {
    const samples: Record<string, string> = {
      ocsf: `${ocsfAuth(1)}\n${ocsfAuth(2)}\n`,
      cloudtrail: fixture('cloudtrail/console_login.raw.json').toString(),
      okta: `${JSON.stringify(JSON.parse(fixture('okta/authentication.raw.json').toString()))}\n`.repeat(2),
      ecs: '{"@timestamp":"2026-01-01T00:00:00Z","event":{"category":["authentication"],"outcome":"success"},"user":{"name":"a"}}\n{"@timestamp":"2026-01-01T00:00:01Z","message":"x"}\n',
      cef: 'CEF:0|V|P|1|100|Login|3|rt=1767225600000 suser=a outcome=success\n<134>Jan  1 00:00:00 fw CEF:0|V|P|1|101|Logout|3|duser=a\n',
      syslog: fixture('syslog/OpenSSH_2k.log').toString().split('\n').slice(0, 50).join('\n'),
      csv: 'time,user,ip,outcome\n2026-01-01T00:00:00Z,a,10.0.0.1,success\n',
    };
    for (const [format, text] of Object.entries(samples)) {
      for (const gz of [false, true]) {
        const input = await openInput(tmp.file(`${format}-${gz}`, gz ? gzipSync(text) : text), {});
        expect([input.format, input.gzip], format).toEqual([format, gz]);
        const recs = await all(input);
        expect(recs.length, format).toBeGreaterThan(0);
        const ctx: ParseContext = { now: NOW, ...(input.csvHeader ? { csvHeader: input.csvHeader, csvMapping: input.csvMapping! } : {}) };
        for (const r of recs) expect(parseRawRecord(input.format, r, ctx), `${format} line ${r.line}`).toMatchObject({ ok: true });
      }
    }
  });

  it('throws IO for a missing file or a folder, UNSUPPORTED_FORMAT for unknown content', async () => {
    await expect(openInput(join(tmp.dir, 'nope.log'), {})).rejects.toMatchObject({ code: 'IO', message: 'Could not read nope.log: the file does not exist.' });
    await expect(openInput(tmp.dir, {})).rejects.toBeInstanceOf(AttestError);
    await expect(openInput(tmp.file('empty.log', ''), {})).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: 'Could not recognise the format of empty.log: the file is empty.' });
    await expect(openInput(tmp.file('prose.txt', 'hello there\nthis is not a log\n'), {})).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  it('uses the format given instead of detecting, and reports corrupt gzip as IO', async () => {
    const input = await openInput(tmp.file('forced.txt', 'hello there\n'), { format: 'syslog' });
    const recs = await all(input);
    expect(parseRawRecord('syslog', recs[0]!, { now: NOW })).toEqual({ ok: false, reason: expect.stringMatching(/not a syslog line/) });

    const good = gzipSync(Array.from({ length: 2000 }, (_, i) => ocsfAuth(i)).join('\n'));
    const truncated = good.subarray(0, good.length - 40);
    const bad = await openInput(tmp.file('cut.json.gz', truncated), {});
    await expect(all(bad)).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/corrupt or truncated/) });
  });
});

describe('detectFormat', () => {
  const d = (s: string): string | null => detectFormat(Buffer.from(s));
  it('recognises each format from a sample', () => {
    expect(d(ocsfAuth(1))).toBe('ocsf');
    expect(d(`[${ocsfAuth(1)}]`)).toBe('ocsf');
    expect(d('{"Records":[{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2026-01-01T00:00:00Z"}]}')).toBe('cloudtrail');
    expect(d(fixture('okta/authentication.raw.json').toString())).toBe('okta');
    expect(d('{"@timestamp":"2026-01-01T00:00:00Z","event":{"category":["authentication"]}}\n')).toBe('ecs');
    expect(d('{"event.category":"authentication","ecs.version":"8.11.0"}')).toBe('ecs');
    expect(d('CEF:0|Vendor|Product|1.0|100|Login|5|suser=a\n')).toBe('cef');
    expect(d('<134>Feb 14 19:04:54 host app: CEF:0|V|P|1|1|N|3|a=b\n')).toBe('cef');
    expect(d('<34>1 2026-01-01T00:00:00Z host app 1 ID - msg\n')).toBe('syslog');
    expect(d(fixture('syslog/OpenSSH_2k.log').toString())).toBe('syslog');
    expect(d('time,user,ip\n2026-01-01T00:00:00Z,a,1.2.3.4\n')).toBe('csv');
    expect(d('time;user;ip\n2026-01-01T00:00:00Z;a;1.2.3.4\n')).toBe('csv');
    expect(d('{"a":1}')).toBeNull();
    expect(d('just words\n')).toBeNull();
  });

  it('reads a CloudTrail record inside an EventBridge envelope, and names the AWS files that hold no events', () => {
    const record = { eventVersion: '1.08', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', eventTime: '2026-01-01T00:00:00Z', awsRegion: 'us-east-1', userIdentity: { type: 'IAMUser', userName: 'alice' } };
    const envelope = JSON.stringify({ version: '0', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.iam', detail: record });
    expect(d(envelope + '\n')).toBe('cloudtrail');
    const out = parseRawRecord('cloudtrail', { raw: Buffer.from(envelope), line: 1 }, { now: NOW });
    expect(out.ok && out.events.map((e) => [e.api?.operation, e.actor?.user?.name])).toEqual([['CreateUser', 'alice']]);
    const why = (s: string): string => describeUnrecognised(Buffer.from(s));
    expect(d('{"awsAccountId":"111122223333","digestStartTime":"2026-01-01T00:00:00Z","digestEndTime":"2026-01-01T01:00:00Z","digestPublicKeyFingerprint":"ab","logFiles":[]}')).toBeNull();
    expect(why('{"awsAccountId":"111122223333","digestStartTime":"2026-01-01T00:00:00Z","digestEndTime":"2026-01-01T01:00:00Z","digestPublicKeyFingerprint":"ab","logFiles":[]}')).toMatch(/CloudTrail digest file/);
  });
});

describe('openInput closing', () => {
  const openFds = (): number => readdirSync('/proc/self/fd').length;

  it.skipIf(process.platform !== 'linux')('closes the file when closed before any record is read (an identical re-import)', async () => {
    // Larger than the detection sample and the first read, so the reader is suspended mid-file.
    const data = Array.from({ length: 12_000 }, (_, i) => ocsfAuth(i)).join('\n') + '\n';
    for (const gzip of [false, true]) {
      const path = gzip ? tmp.file('unread.jsonl.gz', gzipSync(data)) : tmp.file('unread.jsonl', data);
      const before = openFds();
      const input = await openInput(path, {});
      expect(input.format).toBe('ocsf');
      await input.close();
      expect(openFds(), gzip ? 'gzip' : 'plain').toBe(before);
    }
  });
});
