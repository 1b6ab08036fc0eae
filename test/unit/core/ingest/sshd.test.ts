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

describe('older sshd and PAM wording', () => {
  const ctx: ParseContext = { now: NOW };
  const auth = (line: string) => {
    const o = parseRecord('syslog', Buffer.from(line), ctx);
    if (!o.ok) throw new Error(o.reason);
    const e = o.events[0]!;
    return { class_uid: e.class_uid, activity_id: e.activity_id, status_id: e.status_id, user: e.actor?.user?.name, src: e.src_endpoint?.ip ?? e.src_endpoint?.hostname, detail: e.status_detail };
  };

  it('reads PAM that names itself in the program ("sshd(pam_unix)[pid]", "su(pam_unix)") as PAM does today', () => {
    // From logpai/loghub Linux (RHEL, 2005).
    expect(auth('Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=220-135-151-1.hinet-ip.hinet.net  user=root'))
      .toEqual({ class_uid: 3002, activity_id: 1, status_id: 2, user: 'root', src: '220-135-151-1.hinet-ip.hinet.net', detail: 'PAM authentication failure' });
    expect(auth('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 '))
      .toMatchObject({ class_uid: 3002, status_id: 2, user: undefined, src: '218.188.2.4' });
    // su's session is a privilege switch (Authorize Session), not a logon of cyrus (unix-auth-lines.test.ts).
    expect(auth('Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)')).toMatchObject({ class_uid: 3003, activity_id: 99, status_id: 1, user: undefined });
    expect(auth('Jun 15 04:06:19 combo su(pam_unix)[21416]: session closed for user cyrus')).toMatchObject({ class_uid: 3003, activity_id: 99, status_id: 1, user: 'cyrus' });
    // Other lines of such a program stay Base Events.
    expect(auth('Jun 14 15:16:02 combo sshd(pam_unix)[19937]: check pass; user unknown')).toMatchObject({ class_uid: 0 });
  });

  it('reads OpenSSH before 3.9 ("illegal user") and sshd\'s own PAM errors', () => {
    expect(auth('Feb 22 12:53:51 host sshd[10161]: Failed password for illegal user test from 10.1.2.3 port 4022 ssh2'))
      .toMatchObject({ class_uid: 3002, status_id: 2, user: 'test', src: '10.1.2.3', detail: 'Failed password (invalid user)' });
    expect(auth('Feb 22 12:53:50 host sshd[10160]: Illegal user admin from 10.1.2.3')).toMatchObject({ class_uid: 3002, status_id: 2, user: 'admin', src: '10.1.2.3', detail: 'Invalid user' });
    expect(auth('Feb 22 12:53:50 localhost-machine sshd[10161]: error: PAM: User not known to the underlying authentication module for illegal user test from test.example.com'))
      .toMatchObject({ class_uid: 3002, status_id: 2, user: 'test', src: 'test.example.com', detail: 'PAM: user not known' });
    expect(auth('Feb 22 12:54:01 host sshd[10170]: error: PAM: Authentication failure for root from 10.1.2.9')).toMatchObject({ class_uid: 3002, status_id: 2, user: 'root', src: '10.1.2.9' });
  });
});
