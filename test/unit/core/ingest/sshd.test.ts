import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecord, type ParseContext } from '../../../../electron/core/ingest/parse-record';
import { LineSplitter } from '../../../../electron/core/ingest/split/line-splitter';
import { collect, FIXTURES, NOW, texts } from './helpers';

const file = readFileSync(join(FIXTURES, 'syslog/OpenSSH_2k.log'));

/** Counts authentication outcomes per "user|source|outcome" with plain regexes, independently of the parser. */
// "PAM 5 more authentication failures" summarises lines already counted one by one, so it is not counted.
function countWithRegex(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (user: string, src: string, outcome: 'success' | 'failure', n = 1): void => {
    const key = `${user}|${src}|${outcome}`;
    counts.set(key, (counts.get(key) ?? 0) + n);
  };
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /message repeated (\d+) times: \[ Failed \S+ for (?:invalid user )?(.*?) from (\S+) port/.exec(line))) add(m[2]!, m[3]!, 'failure', Number(m[1]));
    else if ((m = /sshd\[\d+\]: Failed \S+ for (?:invalid user )?(.*?) from (\S+) port \d+/.exec(line))) add(m[1]!, m[2]!, 'failure');
    else if ((m = /sshd\[\d+\]: Accepted \S+ for (\S+) from (\S+) port/.exec(line))) add(m[1]!, m[2]!, 'success');
    else if ((m = /sshd\[\d+\]: Invalid user (.*?) from (\S+)/.exec(line))) add(m[1]!, m[2]!, 'failure');
    else if ((m = /pam_unix\(\S+:auth\): authentication failure;.* rhost=(\S*)(?:\s+user=(\S+))?/.exec(line))) add(m[2] ?? '', m[1]!, 'failure');
    else if ((m = /session (?:opened|closed) for user (\S+)/.exec(line))) add(m[1]!, '', 'success');
  }
  return counts;
}

describe('sshd authentication lines (OpenSSH_2k.log)', async () => {
  const ctx: ParseContext = { now: NOW };
  // The file has CRLF line ends: cut it as the pipeline does.
  const records = await collect(file, new LineSplitter());
  const lines = texts(records);
  const outcomes = records.map((r) => parseRecord('syslog', r.raw, ctx));

  it('turns every line into events (none quarantined)', () => {
    expect(lines).toHaveLength(2000);
    const failures = outcomes.filter((o) => !o.ok);
    expect(failures).toEqual([]);
  });

  it('yields the same failures and successes per (user, source, outcome) as an independent regex count', () => {
    const fromParser = new Map<string, number>();
    for (const o of outcomes) {
      if (!o.ok) continue;
      for (const e of o.events) {
        if (e.class_uid !== 3002) continue;
        expect([1, 2]).toContain(e.status_id);
        const key = `${e.actor?.user?.name ?? ''}|${e.src_endpoint?.ip ?? e.src_endpoint?.hostname ?? ''}|${e.status_id === 1 ? 'success' : 'failure'}`;
        fromParser.set(key, (fromParser.get(key) ?? 0) + (e.count ?? 1));
      }
    }
    const expected = countWithRegex(file.toString('utf8'));
    expect(Object.fromEntries([...fromParser].sort())).toEqual(Object.fromEntries([...expected].sort()));
    // Spot checks against the file itself.
    expect(fromParser.get('fztu|119.137.62.142|success')).toBe(1);
    expect(fromParser.get('fztu||success')).toBe(2); // session opened + closed
    const totalFailures = [...fromParser].filter(([k]) => k.endsWith('|failure')).reduce((a, [, n]) => a + n, 0);
    expect(totalFailures).toBeGreaterThan(900);
  });

  it('keeps other sshd lines as Base Events with their message', () => {
    const line = 'Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]';
    const o = parseRecord('syslog', Buffer.from(line), ctx);
    expect(o.ok && o.events[0]).toMatchObject({ class_uid: 0, activity_id: 99, message: 'Connection closed by 212.47.254.145 [preauth]' });
  });

  it('says which year and zone it assumed, and rolls a future date back a year', () => {
    const o = parseRecord('syslog', Buffer.from(lines[0]!), ctx);
    if (!o.ok) throw new Error(o.reason);
    expect(o.events[0]!.time).toBe(Date.UTC(2025, 11, 10, 6, 55, 46)); // Dec 10 2026 would be in the future
    expect(o.notes?.join(' ')).toMatch(/year 2025 assumed.*future/);
    expect(o.notes?.join(' ')).toMatch(/time zone UTC assumed/);

    const set = parseRecord('syslog', Buffer.from(lines[0]!), { now: NOW, syslogYear: 2017, syslogZone: 'Asia/Shanghai' });
    if (!set.ok) throw new Error(set.reason);
    expect(set.events[0]!.time).toBe(Date.UTC(2017, 11, 9, 22, 55, 46));
    expect(set.notes?.join(' ')).toMatch(/year 2017 taken from the source settings/);
    expect(set.notes?.join(' ')).toMatch(/time zone Asia\/Shanghai taken from the source settings/);
  });
});
