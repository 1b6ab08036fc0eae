import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CanonicalEventSchema, type CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { parseRecord, type ParseContext } from '../../../../electron/core/ingest/parse-record';
import { FIXTURES, NOW } from './helpers';

// Lines are real unless marked "constructed"; the file named above each group is in /work/notes/realworld2/syslog/
// (sources: /work/notes/realworld2/SOURCES.md — elastic/integrations system/auth test logs, wazuh-ruleset tests,
// errorlogs.net examples).

/** Parses lines in order through one context, as an import does (a repeat reads the line before it). */
function parseLines(lines: string[]): CanonicalEvent[] {
  const ctx: ParseContext = { now: NOW };
  return lines.map((line) => {
    const out = parseRecord('syslog', Buffer.from(line), ctx);
    if (!out.ok) throw new Error(`${out.reason}: ${line}`);
    expect(out.events).toHaveLength(1);
    const e = out.events[0]!;
    expect(CanonicalEventSchema.safeParse(e).success).toBe(true);
    return e;
  });
}

function one(line: string): CanonicalEvent {
  return parseLines([line])[0]!;
}

/** The fields these rules decide. */
function meaning(e: CanonicalEvent) {
  return {
    class_uid: e.class_uid,
    activity_id: e.activity_id,
    activity_name: e.activity_name,
    status_id: e.status_id,
    actor: e.actor?.user,
    resources: e.resources,
    ip: e.src_endpoint?.ip,
  };
}

describe('SSH login: one logon, at most one logoff (rules 1, 2)', () => {
  it('counts the Accepted line as the logon, its PAM session opened as Session Opened, session closed as the Logoff', () => {
    // errorlogs-net-ssh-examples.log
    const [accepted, opened, disconnected, closed] = parseLines([
      'Apr 10 18:00:01 webserver sshd[5000]: Accepted password for alice from 203.0.113.42 port 55123 ssh2',
      'Apr 10 18:00:02 webserver sshd[5000]: pam_unix(sshd:session): session opened for user alice by (uid=0)',
      'Apr 10 18:10:00 webserver sshd[5000]: Disconnected from user alice 203.0.113.42 port 55123',
      'Apr 10 18:30:45 webserver sshd[5000]: pam_unix(sshd:session): session closed for user alice',
    ]);
    expect(meaning(accepted!)).toMatchObject({ class_uid: 3002, activity_id: 1, activity_name: 'Logon', status_id: 1, actor: { name: 'alice' }, ip: '203.0.113.42' });
    expect(meaning(opened!)).toEqual({ class_uid: 3002, activity_id: 99, activity_name: 'Session Opened', status_id: 1, actor: { name: 'alice' }, resources: undefined, ip: undefined });
    // Not a second logoff: only newer OpenSSH writes it, while every PAM login writes "session closed".
    expect(disconnected!.class_uid).toBe(0);
    expect(meaning(closed!)).toMatchObject({ class_uid: 3002, activity_id: 2, activity_name: 'Logoff', status_id: 1, actor: { name: 'alice' } });
  });

  it('counts console and desktop sessions as logons (no Accepted line exists for them), daemons never', () => {
    // constructed, in the words of pam_unix
    expect(meaning(one('Mar  1 10:00:00 h login[812]: pam_unix(login:session): session opened for user bob(uid=1001) by LOGIN(uid=0)'))).toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 1, actor: { name: 'bob', uid: '1001' } });
    expect(meaning(one('Mar  1 10:00:00 h gdm-password[1234]: pam_unix(gdm-password:session): session closed for user bob'))).toMatchObject({ class_uid: 3002, activity_id: 2, actor: { name: 'bob' } });
    expect(meaning(one('Mar  1 10:00:00 h systemd: pam_unix(systemd-user:session): session opened for user bob(uid=1001) by (uid=0)'))).toMatchObject({ class_uid: 3002, activity_id: 99, activity_name: 'Session Opened' });
    // elastic-ubuntu1204-auth-excerpt.log
    expect(meaning(one('Feb 22 11:17:01 precise32 CRON[3448]: pam_unix(cron:session): session opened for user root by (uid=0)')))
      .toEqual({ class_uid: 3002, activity_id: 99, activity_name: 'Session Opened', status_id: 1, actor: { name: 'root' }, resources: undefined, ip: undefined });
    expect(meaning(one('Feb 22 11:17:01 precise32 CRON[3448]: pam_unix(cron:session): session closed for user root'))).toMatchObject({ class_uid: 3002, activity_id: 99, activity_name: 'Session Closed' });
  });
});

describe('privilege switches: sudo and su (rules 2, 3)', () => {
  it('makes the sudo COMMAND line the Assign Privileges of the invoker, the target user a resource', () => {
    // elastic-ubuntu1204-auth-excerpt.log
    const e = one('Feb 22 10:50:17 precise32 sudo:  vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/usr/bin/apt-get update');
    expect(meaning(e)).toEqual({ class_uid: 3003, activity_id: 1, activity_name: 'Assign Privileges', status_id: 1, actor: { name: 'vagrant' }, resources: [{ type: 'User', name: 'root' }], ip: undefined });
    expect(e.class_name).toBe('Authorize Session');
    expect(e.message).toContain('COMMAND=/usr/bin/apt-get update');
    expect(e.unmapped?.command).toBe('/usr/bin/apt-get update');
  });

  it('keeps the invoker of a sudo or su PAM session (by U(uid=M)), as a Session Opened beside the switch', () => {
    // elastic-ubuntu1204-auth-excerpt.log
    expect(meaning(one('Feb 22 10:50:17 precise32 sudo: pam_unix(sudo:session): session opened for user root by vagrant(uid=1000)')))
      .toEqual({ class_uid: 3003, activity_id: 99, activity_name: 'Session Opened', status_id: 1, actor: { name: 'vagrant', uid: '1000' }, resources: [{ type: 'User', name: 'root' }], ip: undefined });
    expect(meaning(one('Feb 22 10:50:28 precise32 sudo: pam_unix(sudo:session): session closed for user root')))
      .toMatchObject({ class_uid: 3003, activity_id: 99, activity_name: 'Session Closed', status_id: 1, actor: { name: 'root' }, resources: [{ type: 'User', name: 'root' }] });
    // wazuh-pam-tests.log: no invoker name, only its uid.
    expect(meaning(one('Nov 11 22:46:29 localhost su(pam_unix)[14592]: session opened for user news by (uid=0)')))
      .toMatchObject({ class_uid: 3003, activity_id: 99, actor: { uid: '0' }, resources: [{ type: 'User', name: 'news' }] });
  });

  it('reads sudo refusals: a wrong password is a failed logon, "NOT in sudoers" a refused switch', () => {
    // elastic-ubuntu1204-auth-excerpt.log
    const pw = one('Feb 24 00:12:42 precise32 sudo:      tsg : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls');
    expect(meaning(pw)).toMatchObject({ class_uid: 3002, activity_id: 1, activity_name: 'Logon', status_id: 2, actor: { name: 'tsg' } });
    expect(pw.status_detail).toBe('3 incorrect password attempts');
    const denied = one('Feb 24 00:13:02 precise32 sudo:      tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls');
    expect(meaning(denied)).toEqual({ class_uid: 3003, activity_id: 1, activity_name: 'Assign Privileges', status_id: 2, actor: { name: 'tsg' }, resources: [{ type: 'User', name: 'root' }], ip: undefined });
    expect(denied.status_detail).toBe('user NOT in sudoers');
    // Other sudo lines stay as they are.
    expect(one('Feb 24 00:12:42 precise32 sudo: unable to execute /usr/sbin/sendmail: No such file or directory').class_uid).toBe(0);
  });

  it('makes "Successful su" / "FAILED su" the switch, its sulog "+ tty from:to" record not a second one', () => {
    // elastic-ubuntu1204-auth-excerpt.log
    const [su, sulog] = parseLines(['Feb 24 00:12:14 precise32 su[4496]: Successful su for tsg by root', 'Feb 24 00:12:14 precise32 su[4496]: + /dev/pts/1 root:tsg']);
    expect(meaning(su!)).toEqual({ class_uid: 3003, activity_id: 1, activity_name: 'Assign Privileges', status_id: 1, actor: { name: 'root' }, resources: [{ type: 'User', name: 'tsg' }], ip: undefined });
    expect(meaning(sulog!)).toMatchObject({ class_uid: 3003, activity_id: 99, status_id: 1, actor: { name: 'root' }, resources: [{ type: 'User', name: 'tsg' }] });
    // constructed, shadow's and util-linux's failure wording
    expect(meaning(one('Feb 24 00:12:14 h su[4497]: FAILED su for root by tsg'))).toMatchObject({ class_uid: 3003, activity_id: 1, status_id: 2, actor: { name: 'tsg' }, resources: [{ type: 'User', name: 'root' }] });
    expect(meaning(one('Feb 24 00:12:14 h su[4498]: FAILED SU (to root) tsg on pts/1'))).toMatchObject({ class_uid: 3003, activity_id: 1, status_id: 2, actor: { name: 'tsg' }, resources: [{ type: 'User', name: 'root' }] });
    expect(meaning(one('Feb 24 00:12:14 h su[4499]: (to root) alice on pts/0'))).toMatchObject({ class_uid: 3003, activity_id: 1, status_id: 1, actor: { name: 'alice' } });
  });
});

describe('failures that name the user (rule 4)', () => {
  it('reads unix_chkpwd, passwd\'s chauthtok failure and old PAM\'s "N more authentication failures" (count N)', () => {
    // elastic-unix-chkpwd-iso.log
    expect(meaning(one('2026-05-17T18:01:02.000000+00:00 host12345 unix_chkpwd[2345678]: password check failed for user (testuser)'))).toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 2, actor: { name: 'testuser' } });
    // elastic-pam-chauthtok-iso8601.log
    expect(meaning(one('2026-05-17T17:57:49.234567+00:00 host12345 passwd[9999999]: pam_unix(passwd:chauthtok): authentication failure; logname=user123 uid=1000 euid=0 tty=pts/0 ruser= rhost=  user=user123')))
      .toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 2, actor: { name: 'user123' } });
    // wazuh-pam-tests.log
    const more = one('Nov 11 22:46:29 localhost sshd(pam_unix)[15794]: 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.3.1  user=root');
    expect(meaning(more)).toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 2, actor: { name: 'root' }, ip: '10.0.3.1' });
    expect(more.count).toBe(2);
  });

  it('does not count "check pass; user unknown": PAM logs the same attempt again as "authentication failure"', () => {
    // wazuh-pam-tests.log; in OpenSSH_2k.log each of the 135 such lines is followed by that attempt's failure line.
    expect(one('Nov 11 22:46:29 localhost vsftpd(pam_unix)[25073]: check pass; user unknown').class_uid).toBe(0);
  });

  it('reads pam_faillock\'s lock as an Account Change Lock of the account (no actor)', () => {
    // elastic-pam-faillock-iso.log
    const e = one('2026-05-17T18:00:01.000000+00:00 host12345 sshd[1234567]: pam_faillock(sshd:auth): Consecutive login failures for user test account temporarily locked');
    expect(meaning(e)).toEqual({ class_uid: 3001, activity_id: 9, activity_name: 'Lock', status_id: 1, actor: undefined, resources: [{ type: 'User', name: 'test' }], ip: undefined });
    expect(e.message).toContain('for user test account temporarily locked');
  });
});

describe('account and group management (rule 5)', () => {
  it('maps useradd, userdel, usermod, passwd, chfn, chage to Account Change with the account as resource', () => {
    const cases: Array<[string, number, number, { name: string; uid?: string }]> = [
      // elastic-ubuntu1204-auth-excerpt.log
      ['Feb 24 00:12:02 precise32 useradd[4484]: new user: name=tsg, UID=1001, GID=1003, home=/home/tsg, shell=/bin/bash', 1, 1, { name: 'tsg', uid: '1001' }],
      ['Feb 24 00:12:07 precise32 passwd[4491]: pam_unix(passwd:chauthtok): password changed for tsg', 3, 1, { name: 'tsg' }],
      ['Feb 24 00:12:10 precise32 chfn[4492]: changed user \'tsg\' information', 99, 1, { name: 'tsg' }],
      ['Feb 24 09:19:55 precise32 chage[8007]: changed password expiry for mysql', 99, 1, { name: 'mysql' }],
      // elastic-rhel79-useradd.log
      ['Oct 11 09:10:48 plinode useradd[25494]: failed adding user \'aol\', exit code: 4', 1, 2, { name: 'aol' }],
      ['Oct 14 16:49:59 dlig userdel[1619336]: delete user \'jce\'', 6, 1, { name: 'jce' }],
      ['Oct 19 12:54:40 plielk0 usermod[7730]: change user \'acris\' expiration from \'2001-01-01\' to \'2243-10-16\'', 99, 1, { name: 'acris' }],
      // wazuh-pam-tests.log
      ['Dec  1 12:25:55 ip-10-0-0-220 passwd[2679]: pam_unix(passwd:chauthtok): password changed for marge', 3, 1, { name: 'marge' }],
    ];
    for (const [line, activity, status, account] of cases) {
      const e = one(line);
      expect(meaning(e), line).toMatchObject({ class_uid: 3001, activity_id: activity, status_id: status, actor: undefined, resources: [{ type: 'User', ...account }] });
      expect(e.class_name).toBe('Account Change');
    }
  });

  it('maps new groups to Group Management Create, and only the line that says the group exists', () => {
    // elastic-ubuntu1204-auth-excerpt.log
    const [toGroup, toGshadow, created] = parseLines([
      'Feb 24 00:12:02 precise32 groupadd[4480]: group added to /etc/group: name=tsg, GID=1003',
      'Feb 24 00:12:02 precise32 groupadd[4480]: group added to /etc/gshadow: name=tsg',
      'Feb 24 00:12:02 precise32 groupadd[4480]: new group: name=tsg, GID=1003',
    ]);
    expect([toGroup!.class_uid, toGshadow!.class_uid]).toEqual([0, 0]);
    expect(meaning(created!)).toEqual({ class_uid: 3006, activity_id: 6, activity_name: 'Create', status_id: 1, actor: undefined, resources: [{ type: 'Group', name: 'tsg', uid: '1003' }], ip: undefined });
    expect(created!.class_name).toBe('Group Management');
    // constructed, shadow's groupdel wording
    expect(meaning(one('Feb 24 00:13:02 h groupdel[4500]: group \'tsg\' removed'))).toMatchObject({ class_uid: 3006, activity_id: 5, activity_name: 'Delete', resources: [{ type: 'Group', name: 'tsg' }] });
  });

  it('reads these words only from the tools that write them', () => {
    expect(one('Feb 24 00:12:02 h webapp[1]: new user: name=tsg, UID=1001, GID=1003').class_uid).toBe(0);
  });
});

describe('Solaris msgid and the repeat of an empty-host line (rules 6, 7)', () => {
  it('skips Solaris/illumos "[ID n facility.level]" to read the line, and keeps it in the message', () => {
    // solaris-msgid-constructed.log, wazuh-sshd-tests.log
    const ok = one('Aug 18 07:30:26 host1 sshd[20248]: [ID 800047 auth.info] Accepted publickey for alice from 192.168.1.2 port 36943 ssh2');
    expect(meaning(ok)).toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 1, actor: { name: 'alice' }, ip: '192.168.1.2' });
    expect(ok.message).toBe('[ID 800047 auth.info] Accepted publickey for alice from 192.168.1.2 port 36943 ssh2');
    expect(meaning(one('Aug 18 07:30:25 192.168.1.5 sshd[20247]: [ID 800047 auth.notice] Failed none for root from 192.168.1.1 port 36942 ssh2')))
      .toMatchObject({ class_uid: 3002, status_id: 2, actor: { name: 'root' }, ip: '192.168.1.1' });
  });

  it('reads the program of a line with an empty host, and "last message repeated" as the line before, N more times', () => {
    // elastic-ubuntu1204-auth-excerpt.log lines 4-5: the repeated line is not an authentication line.
    const [subsystem, repeat] = parseLines(['Feb 22 10:21:42 precise32 sshd[1332]: subsystem request for sftp by user vagrant', 'Feb 22 10:21:43  sshd[1332]: last message repeated 2 times']);
    expect(subsystem!.class_uid).toBe(0);
    expect(repeat).toMatchObject({ class_uid: 0, message: 'last message repeated 2 times', metadata: { product: { name: 'sshd' } } });
    expect(repeat!.unmapped).toMatchObject({ program: 'sshd', pid: '1332', repeated_message: 'subsystem request for sftp by user vagrant' });
    expect(repeat!.unmapped?.host).toBeUndefined();
    // constructed: the same repeat after a failed login counts it twice more, as "message repeated 2 times: [ ... ]" does.
    const [failed, again, sysklogd] = parseLines([
      'Feb 22 10:21:42 precise32 sshd[1332]: Failed password for root from 10.0.2.2 port 52059 ssh2',
      'Feb 22 10:21:43  sshd[1332]: last message repeated 2 times',
      'Feb 22 10:21:50 precise32 last message repeated 3 times',
    ]);
    expect(failed!.count).toBeUndefined();
    expect(meaning(again!)).toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 2, actor: { name: 'root' }, ip: '10.0.2.2' });
    expect(again!.count).toBe(2);
    expect(meaning(sysklogd!)).toMatchObject({ class_uid: 3002, status_id: 2, actor: { name: 'root' } });
    expect(sysklogd!.count).toBe(3);
  });

  it('does not read a repeat as another host\'s or program\'s line, nor with no line before it', () => {
    const [, otherHost] = parseLines(['Feb 22 10:21:42 a sshd[1]: Failed password for root from 10.0.2.2 port 1 ssh2', 'Feb 22 10:21:43 b sshd[1]: last message repeated 2 times']);
    expect(otherHost).toMatchObject({ class_uid: 0 });
    expect(otherHost!.count).toBeUndefined();
    const [, otherProgram] = parseLines(['Feb 22 10:21:42 a sshd[1]: Failed password for root from 10.0.2.2 port 1 ssh2', 'Feb 22 10:21:43 a cron[2]: last message repeated 2 times']);
    expect(otherProgram!.class_uid).toBe(0);
    expect(one('Feb 22 10:21:43 a sshd[1]: last message repeated 2 times').class_uid).toBe(0);
  });
});

describe('hostile lines', () => {
  it('reads 10 MB lines of every shape these rules look for in linear time, as Base Events', () => {
    const big = 'a'.repeat(10 * 1024 * 1024);
    const lines = [
      `Jan  1 00:00:00 h sudo: ${big} : ${' ; '.repeat(1000)}USER=root ; COMMAND=x`,
      `Jan  1 00:00:00 h sudo:  vagrant : ${'TTY=x ; '.repeat(1_000_000)}`,
      `Jan  1 00:00:00 h sshd[1]: pam_unix(sshd:session): session opened for user ${big} by ${big}`,
      `Jan  1 00:00:00 h su[1]: + /dev/pts/1 ${big}:${big}`,
      `Jan  1 00:00:00 h useradd[1]: new user: name=${big}, UID=1`,
      `Jan  1 00:00:00 h sshd[1]: [ID 800047 auth.info] ${'[ID 1 a.b] '.repeat(500_000)}`,
      `Jan  1 00:00:00  ${' '.repeat(5_000_000)}last message repeated 2 times`,
    ];
    const started = Date.now();
    for (const e of parseLines(lines)) expect(e.class_uid).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('bounds what it keeps of a long sudo command, and refuses names longer than a name can be', () => {
    const e = one(`Jan  1 00:00:00 h sudo:  vagrant : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh -c ${'x ; '.repeat(10_000)}`);
    expect(meaning(e)).toMatchObject({ class_uid: 3003, activity_id: 1, actor: { name: 'vagrant' }, resources: [{ type: 'User', name: 'root' }] });
    expect((e.unmapped?.command as string).length).toBe(8192);
    expect(one(`Jan  1 00:00:00 h sudo:  ${'v'.repeat(300)} : TTY=pts/0 ; USER=root ; COMMAND=/bin/ls`).class_uid).toBe(0);
    // Markup in a name is kept as text, never interpreted.
    expect(one('Jan  1 00:00:00 h sudo:  <img/src=x> : TTY=pts/0 ; USER=<b>root</b> ; COMMAND=/bin/ls').resources).toEqual([{ type: 'User', name: '<b>root</b>' }]);
  });
});

describe('Ubuntu 12.04 auth.log excerpt (ubuntu1204-auth-excerpt.log)', () => {
  it('yields one SSH logon, the su as one switch, and no cron or sudo logon', () => {
    const lines = readFileSync(join(FIXTURES, 'syslog/ubuntu1204-auth-excerpt.log'), 'utf8').split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(41);
    const events = parseLines(lines);
    const tally = new Map<string, number>();
    for (const e of events) {
      const key = `${e.class_uid}/${e.activity_id}/${e.status_id}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    // Counted by reading the file, line by line (see the rules in pam-session.ts and privilege-switch.ts):
    expect(Object.fromEntries([...tally].sort())).toEqual(Object.fromEntries([
      ['3002/1/1', 1], // Accepted publickey for vagrant
      ['3002/1/2', 2], // pam_unix(sudo:auth) failure user=tsg; tsg's "3 incorrect password attempts"
      ['3002/2/1', 2], // sshd session closed for vagrant (two SSH logins whose Accepted lines are before the excerpt)
      ['3002/99/1', 3], // sshd session opened for vagrant; CRON session opened + closed
      ['3003/1/1', 6], // 5 sudo COMMAND lines by vagrant; "Successful su for tsg by root"
      ['3003/1/2', 1], // tsg: user NOT in sudoers
      ['3003/99/1', 11], // 5 sudo sessions opened, 3 closed; su's "+ /dev/pts/1", its session opened and closed
      ['3001/1/1', 2], // new user tsg, mysql
      ['3001/3/1', 1], // password changed for tsg
      ['3001/99/1', 2], // chfn, chage
      ['3006/6/1', 1], // new group tsg
      ['0/99/0', 9], // subsystem x2, last message repeated, Received disconnect x2, group added x2, sendmail x2
    ].sort()));
    const logons = events.filter((e) => e.class_uid === 3002 && e.activity_id === 1 && e.status_id === 1);
    expect(logons.map(meaning)).toEqual([{ class_uid: 3002, activity_id: 1, activity_name: 'Logon', status_id: 1, actor: { name: 'vagrant' }, resources: undefined, ip: '10.0.2.2' }]);
    const suSwitches = events.filter((e) => e.class_uid === 3003 && e.activity_id === 1 && e.resources?.[0]?.name === 'tsg');
    expect(suSwitches.map((e) => e.message)).toEqual(['Successful su for tsg by root']);
    // Every switch to root is vagrant's, and root never logs on.
    const toRoot = events.filter((e) => e.class_uid === 3003 && e.activity_id === 1 && e.status_id === 1 && e.resources?.[0]?.name === 'root');
    expect(new Set(toRoot.map((e) => e.actor?.user?.name))).toEqual(new Set(['vagrant']));
    expect(events.filter((e) => e.class_uid === 3002 && e.activity_id === 1 && e.actor?.user?.name === 'root')).toEqual([]);
  });
});

describe('sudo lines that say two things', () => {
  it('claim no target when a working directory holds " ; COMMAND=" and " ; USER=" (found by an outside probe)', () => {
    const line = 'Nov 20 10:00:00 host1 sudo:  mallory : TTY=pts/0 ; PWD=/tmp/a ; COMMAND=/bin/true ; USER=root ; USER=nobody ; COMMAND=/bin/ls';
    const out = parseRecord('syslog', Buffer.from(line), { now: NOW, syslogYear: 2026 });
    if (!out.ok) throw new Error(out.reason);
    const e = out.events[0]!;
    expect(e).toMatchObject({ class_uid: 3003, activity_id: 1, actor: { user: { name: 'mallory' } } });
    expect(e.resources).toBeUndefined();
    expect(e.status_detail).toMatch(/ambiguous/);
    // An ordinary line still names its target.
    const plain = parseRecord('syslog', Buffer.from('Nov 20 10:00:00 host1 sudo:  vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls'), { now: NOW, syslogYear: 2026 });
    expect(plain.ok && plain.events[0]!.resources).toEqual([{ type: 'User', name: 'root' }]);
  });
});
