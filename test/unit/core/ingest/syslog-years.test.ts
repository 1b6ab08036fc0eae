import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../../electron/core/ingest/import-file';
import { parseRecord } from '../../../../electron/core/ingest/parse-record';
import { datedHeaderTime } from '../../../../electron/core/ingest/formats/syslog-header';
import { yearTrackAtLine } from '../../../../electron/core/ingest/import-retry';
import { newYearTrack, trackYear, type YearlessTime } from '../../../../electron/core/ingest/year-tracker';
import { createPipelineVault, expectReconciled, VAULT_ID, type PipelineVault } from './pipeline/pipeline-fixture';

const at = (month: number, day: number, hour = 12): YearlessTime => ({ month, day, hour, minute: 0, second: 0, ms: 0 });
/** 22 Nov 2026, noon UTC: the day these archives are read. */
const READ_ON = Date.UTC(2026, 10, 22, 12);

describe('trackYear', () => {
  it('moves to the next year when the dates fall back at a New Year, and only then', () => {
    const track = newYearTrack(2025);
    const years = [at(10, 1), at(11, 15), at(12, 31, 23), at(1, 1, 0), at(1, 9), at(3, 1)].map((t) => trackYear(track, t));
    expect(years).toEqual([2025, 2025, 2025, 2026, 2026, 2026]);
    expect(track.rollovers).toBe(1);
  });

  it('keeps a late December line written just after the New Year in the year before', () => {
    const track = newYearTrack(2025);
    expect([at(12, 31, 22), at(1, 1, 0), at(12, 31, 23), at(1, 1, 1)].map((t) => trackYear(track, t))).toEqual([2025, 2026, 2025, 2026]);
    expect(track.rollovers).toBe(1);
  });

  it('tolerates lines out of order by days, and a gap of months, within one year', () => {
    const track = newYearTrack(2026);
    expect([at(3, 10), at(3, 2), at(3, 11), at(9, 1), at(8, 20)].map((t) => trackYear(track, t))).toEqual([2026, 2026, 2026, 2026, 2026]);
    expect(track.rollovers).toBe(0);
  });

  it('counts every New Year of a file spanning several', () => {
    const track = newYearTrack(2023);
    const years = [at(6, 1), at(12, 1), at(2, 1), at(11, 1), at(1, 5)].map((t) => trackYear(track, t));
    expect(years).toEqual([2023, 2023, 2024, 2024, 2025]);
  });
});

describe('importing a syslog archive that spans a New Year', () => {
  let vault: PipelineVault;
  beforeEach(() => {
    vault = createPipelineVault();
  });
  afterEach(() => vault.cleanup());

  // Oct 2025 to Jan 2026, read on 22 Nov 2026: line by line, "Oct 20" would be taken as 2026 (not in the
  // future), after the archive's own January.
  const archive = [
    'Oct 20 08:00:00 host sshd[1]: Failed password for alice from 10.0.0.1 port 22 ssh2',
    'Nov 30 09:00:00 host sshd[2]: Accepted password for bob from 10.0.0.2 port 22 ssh2',
    'Dec 31 23:59:59 host sshd[3]: Failed password for carol from 10.0.0.3 port 22 ssh2',
    'Jan  1 00:00:01 host sshd[4]: Failed password for dave from 10.0.0.4 port 22 ssh2',
    'Dec 31 23:59:58 host sshd[5]: Failed password for erin from 10.0.0.5 port 22 ssh2',
    'Jan 15 10:00:00 host sshd[6]: Accepted password for frank from 10.0.0.6 port 22 ssh2',
  ].join('\n');
  const expectedTimes = [
    Date.UTC(2025, 9, 20, 8),
    Date.UTC(2025, 10, 30, 9),
    Date.UTC(2025, 11, 31, 23, 59, 59),
    Date.UTC(2026, 0, 1, 0, 0, 1),
    Date.UTC(2025, 11, 31, 23, 59, 58),
    Date.UTC(2026, 0, 15, 10),
  ];

  const storedTimes = (): number[] =>
    (vault.db.prepare("SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name != 'attest' ORDER BY e.seq").pluck().all() as string[]).map(
      (json) => (JSON.parse(json) as { time: number }).time,
    );
  const batchOptions = (id: number | null): Record<string, unknown> =>
    JSON.parse(vault.db.prepare('SELECT options FROM batches WHERE id = ?').pluck().get(id) as string) as Record<string, unknown>;

  it('infers the years from the file: each line in its own year, in file order', async () => {
    const file = path.join(vault.dir, 'auth.log');
    writeFileSync(file, archive);
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    expectReconciled(vault.db, s);
    expect(s.imported).toBe(6);
    expect(storedTimes()).toEqual(expectedTimes);
    expect(batchOptions(s.batchId)).toMatchObject({ syslogYear: 2025, syslogLastYear: 2026, syslogYearSource: 'inferred', syslogLatest: Date.UTC(2026, 0, 15, 10) });
    // One note for the file, not one per year its lines fall in.
    expect((s.notes ?? []).filter((n) => /assumed: the timestamps have none/.test(n))).toEqual([expect.stringMatching(/^years 2025–2026 assumed: .*latest within the past year.*New Year/)]);
  });

  it('names the year before in its note when a rotated log puts its December after its January', async () => {
    // zcat of a rotated log, newest file first: January, then the late December lines before it.
    const file = path.join(vault.dir, 'rotated-newest-first.log');
    writeFileSync(file, ['Jan  5 18:00:01 web sshd[5000]: Accepted password for alice from 203.0.113.42 port 55123 ssh2', 'Jan 10 18:05:22 web sshd[5010]: Failed password for root from 198.51.100.7 port 37291 ssh2', 'Dec 28 18:00:01 web sshd[4000]: Accepted password for alice from 203.0.113.42 port 55100 ssh2', 'Dec 31 18:05:22 web sshd[4010]: Failed password for root from 198.51.100.7 port 37200 ssh2', ''].join('\n'));
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    expect(storedTimes()).toEqual([Date.UTC(2026, 0, 5, 18, 0, 1), Date.UTC(2026, 0, 10, 18, 5, 22), Date.UTC(2025, 11, 28, 18, 0, 1), Date.UTC(2025, 11, 31, 18, 5, 22)]);
    // It said "year 2026 assumed" while half the lines were read in 2025.
    expect((s.notes ?? []).filter((n) => /assumed: the timestamps have none/.test(n))).toEqual([expect.stringMatching(/^years 2025–2026 assumed: /)]);
  });

  it('infers the same years from the gzip of the file', async () => {
    const file = path.join(vault.dir, 'auth.log.gz');
    writeFileSync(file, gzipSync(Buffer.from(archive)));
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    expect(s.imported).toBe(6);
    expect(storedTimes()).toEqual(expectedTimes);
  });

  it('takes a year given for the import as the first line\'s, counting on at the New Year', async () => {
    const file = path.join(vault.dir, 'auth.log');
    writeFileSync(file, archive);
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID, syslogYear: 2019 });
    expect(storedTimes()).toEqual(expectedTimes.map((t) => t - (new Date(t).getUTCFullYear() >= 2026 ? yearsMs(2020, 2026) : yearsMs(2019, 2025))));
    expect(batchOptions(s.batchId)).toMatchObject({ syslogYear: 2019, syslogYearSource: 'option' });
    expect(s.notes).toEqual(expect.arrayContaining(['year 2019 given for this import (the timestamp has none)', expect.stringMatching(/^year 2020: the file crosses a New Year after the year 2019/)]));
  });

  it('reports the pass over the file as progress of its own, before the import\'s', async () => {
    const file = path.join(vault.dir, 'auth.log');
    writeFileSync(file, archive);
    const phases: Array<{ phase: string | undefined; events: number }> = [];
    await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID, onProgress: (p) => phases.push({ phase: p.phase, events: p.events }) });
    expect(phases[0]).toEqual({ phase: 'scanning', events: 0 });
    const firstImporting = phases.findIndex((p) => p.phase !== 'scanning');
    expect(firstImporting).toBeGreaterThan(0);
    expect(phases.slice(firstImporting).every((p) => p.phase !== 'scanning')).toBe(true);
    expect(phases.at(-1)!.events).toBe(6);
  });

  it('records that no year was decided when the import is cancelled while the dates are read', async () => {
    const file = path.join(vault.dir, 'long.log');
    writeFileSync(file, Array.from({ length: 40_000 }, (_, i) => `Mar ${String(1 + (i % 28)).padStart(2, ' ')} 10:00:00 host sshd[${i}]: Failed password for u${i} from 10.0.0.1 port 22 ssh2`).join('\n'));
    const signal = { aborted: false };
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID, signal, onProgress: (p) => { if (p.phase === 'scanning') signal.aborted = true; } });
    expect(s).toMatchObject({ cancelled: true, read: 0 });
    // It said the default rule (the current year), which no line was read with.
    expect(batchOptions(s.batchId)).toMatchObject({ syslogYear: null, syslogYearSource: 'cancelled' });
  });

  it('reads the file for its years only when it is to be imported: not for an identical re-import', async () => {
    const file = path.join(vault.dir, 'auth.log');
    writeFileSync(file, archive);
    await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    const phases: Array<string | undefined> = [];
    const again = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID, onProgress: (p) => phases.push(p.phase) });
    expect(again.duplicates).toBe(6);
    expect(phases).not.toContain('scanning');
  });

  it('keeps what comes before a corrupt end of a gzip, in the years read up to it', async () => {
    const file = path.join(vault.dir, 'auth.log.gz');
    const months = ['Oct', 'Nov', 'Dec', 'Jan'];
    const lines = Array.from({ length: 40_000 }, (_, i) => {
      const month = months[Math.floor(i / 10_000)]!;
      return `${month} ${String(1 + Math.floor((i % 10_000) / 400)).padStart(2, ' ')} 10:00:${String(i % 60).padStart(2, '0')} host sshd[${i}]: Failed password for u${i % 97} from 10.0.${i % 250}.1 port 22 ssh2 ${i}`;
    });
    const gz = gzipSync(Buffer.from(lines.join('\n')));
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    expect(s.error).toMatch(/corrupt or truncated/);
    expect(s.imported).toBeGreaterThan(10_000);
    expect(s.read).toBe(s.imported + s.duplicates + s.quarantined);
    const first = storedTimes()[0]!;
    // Read up to the break (in December): no New Year seen, the latest date within the past year.
    expect(new Date(first).toISOString().slice(0, 10)).toBe('2025-10-01');
  });

  it('knows the records of an archive read again in a shorter copy, which its dates place in other years', async () => {
    const file = path.join(vault.dir, 'auth.log');
    writeFileSync(file, archive);
    await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    // Its first line alone (20 Oct): no New Year crossed, and a date already past this year, so 2026.
    const prefix = path.join(vault.dir, 'auth-start.log');
    writeFileSync(prefix, archive.split('\n')[0]!);
    const s = await importFile(vault.db, { path: prefix }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    expect(s.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^year 2026 assumed/)]));
    expect(s).toMatchObject({ read: 1, imported: 0, duplicates: 1 });
    expect(storedTimes()).toEqual(expectedTimes);
  });

  it('knows the records of a grown file read under another zone and year, and of a CSV under another zone', async () => {
    const file = path.join(vault.dir, 'auth.log');
    writeFileSync(file, archive);
    await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    const grown = path.join(vault.dir, 'auth-grown.log');
    writeFileSync(grown, `${archive}\nJan 16 09:00:00 host sshd[7]: Failed password for gus from 10.0.0.7 port 22 ssh2`);
    const s = await importFile(vault.db, { path: grown }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID, syslogZone: 'Europe/Paris', syslogYear: 2021 });
    expect(s).toMatchObject({ read: 7, imported: 1, duplicates: 6 });
    const csv = path.join(vault.dir, 'logins.csv');
    writeFileSync(csv, 'time,user,ip,outcome\n2026-10-01 08:00:00,alice,10.0.0.1,success\n');
    await importFile(vault.db, { path: csv }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    writeFileSync(csv, 'time,user,ip,outcome\n2026-10-01 08:00:00,alice,10.0.0.1,success\n2026-10-01 09:00:00,bob,10.0.0.2,failure\n');
    const c = await importFile(vault.db, { path: csv }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID, syslogZone: '+05:00' });
    expect(c).toMatchObject({ read: 2, imported: 1, duplicates: 1 });
  });

  it('puts the whole file a year back when its latest line would otherwise be in the future', async () => {
    const file = path.join(vault.dir, 'auth.log');
    // 20 to 25 Nov, read on the 22nd: the 25th cannot have happened yet this year.
    writeFileSync(file, ['Nov 20 08:00:00 h sshd[1]: Failed password for a from 10.0.0.1 port 22 ssh2', 'Nov 25 08:00:00 h sshd[1]: Failed password for a from 10.0.0.1 port 22 ssh2'].join('\n'));
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    expect(storedTimes()).toEqual([Date.UTC(2025, 10, 20, 8), Date.UTC(2025, 10, 25, 8)]);
    expect(batchOptions(s.batchId)).toMatchObject({ syslogYear: 2025, syslogLastYear: 2025 });
  });
});

describe('a line read alone from a file whose years were inferred (quarantine retry)', () => {
  it('is read in the year its place in the file had, a late-December straggler in the year before', () => {
    // New Years found at line 3 (Jan 10, into 2025) and line 9 (Jan 10, into 2026).
    const at = (m: number, d: number) => Date.UTC(2000, m - 1, d, 12);
    const yearAt = yearTrackAtLine(2024, [[3, 2025, at(1, 10)], [9, 2026, at(1, 10)]]);
    const timeOf = (line: number, text: string): number | string => {
      const o = parseRecord('syslog', Buffer.from(text), { now: READ_ON, syslogYear: 2024, syslogYearFrom: 'inferred', yearTrack: yearAt(line) });
      return o.ok ? o.events[0]!.time : o.reason;
    };
    const sshd = (when: string) => `${when} h1 sshd[4]: Failed password for p3 from 10.0.0.4 port 22 ssh2`;
    expect(timeOf(2, sshd('Dec 10 12:00:00'))).toBe(Date.UTC(2024, 11, 10, 12));
    expect(timeOf(5, sshd('Mar 10 12:00:00'))).toBe(Date.UTC(2025, 2, 10, 12));
    expect(timeOf(4, sshd('Dec 31 23:59:59'))).toBe(Date.UTC(2024, 11, 31, 23, 59, 59));
    expect(timeOf(4, sshd('Feb 29 12:00:00'))).toBe('the timestamp is not a valid date in 2025');
    expect(timeOf(10, sshd('Jan 11 12:00:00'))).toBe(Date.UTC(2026, 0, 11, 12));
  });

  it('a file whose dates include 29 February is placed so that it falls in a leap year', async () => {
    const vault = createPipelineVault();
    try {
      const file = path.join(vault.dir, 'auth.log');
      const lines = ['Nov 10', 'Dec 10', 'Jan 10', 'Feb 29', 'Mar 10', 'Jun 10', 'Sep 10', 'Dec 10', 'Jan 10'];
      writeFileSync(file, lines.map((d, i) => `${d} 12:00:00 h1 sshd[${i}]: Failed password for p${i} from 10.0.0.${i} port 22 ssh2`).join('\n'));
      const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
      expect(s).toMatchObject({ read: 9, imported: 9, quarantined: 0 });
      const times = (vault.db.prepare("SELECT e.time FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name != 'attest' ORDER BY e.seq").pluck().all() as number[]).map((t) => new Date(t).toISOString().slice(0, 10));
      // Read on 22 Nov 2026, the latest date alone would say 2024-2026, where 29 Feb 2025 does not exist.
      expect(times).toEqual(['2023-11-10', '2023-12-10', '2024-01-10', '2024-02-29', '2024-03-10', '2024-06-10', '2024-09-10', '2024-12-10', '2025-01-10']);
      const options = JSON.parse(vault.db.prepare('SELECT options FROM batches WHERE id = ?').pluck().get(s.batchId) as string) as Record<string, unknown>;
      expect(options.syslogYearChanges).toEqual([[3, 2024, Date.UTC(2000, 0, 10, 12)], [9, 2025, Date.UTC(2000, 0, 10, 12)]]);
    } finally {
      vault.cleanup();
    }
  });
});

function yearsMs(from: number, to: number): number {
  return Date.UTC(to, 0, 1) - Date.UTC(from, 0, 1);
}

describe('a syslog file that mixes lines with and without a year', () => {
  let vault: PipelineVault;
  beforeEach(() => {
    vault = createPipelineVault();
  });
  afterEach(() => vault.cleanup());

  const times = (): number[] =>
    (vault.db.prepare("SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name != 'attest' ORDER BY e.seq").pluck().all() as string[]).map(
      (json) => (JSON.parse(json) as { time: number }).time,
    );
  const options = (id: number | null): Record<string, unknown> =>
    JSON.parse(vault.db.prepare('SELECT options FROM batches WHERE id = ?').pluck().get(id) as string) as Record<string, unknown>;
  const importText = async (lines: string[], extra: { syslogYear?: number } = {}) => {
    const file = path.join(vault.dir, 'mixed.log');
    writeFileSync(file, lines.join('\n'));
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID, ...extra });
    expectReconciled(vault.db, s);
    return s;
  };

  it('places the lines without a year by the years the others carry (probe: they went a year later)', async () => {
    const s = await importText([
      '<34>1 2024-12-30T10:00:00Z h1 sshd 1 - - Failed password for m1 from 10.1.0.1 port 22 ssh2',
      '<34>Jan  2 10:00:00 h1 sshd[2]: Failed password for m2 from 10.1.0.2 port 22 ssh2',
      '<34>1 2025-01-03T10:00:00.123Z h1 sshd 3 - - Failed password for m3 from 10.1.0.3 port 22 ssh2',
      '<34>Jan  4 10:00:00 h1 sshd[4]: Failed password for m4 from 10.1.0.4 port 22 ssh2',
    ]);
    expect(times()).toEqual([Date.UTC(2024, 11, 30, 10), Date.UTC(2025, 0, 2, 10), Date.UTC(2025, 0, 3, 10, 0, 0, 123), Date.UTC(2025, 0, 4, 10)]);
    expect(options(s.batchId)).toMatchObject({ syslogYear: 2024, syslogLastYear: 2025, syslogYearSource: 'inferred', syslogYearBasis: 'dated-lines', syslogDatedLines: 2, syslogDatedDisagreeing: 0 });
    expect(s.notes).toContainEqual(expect.stringMatching(/^years 2024–2025 assumed: .*lines of the file that do carry a year/));
  });

  it('reads years from RFC 3164 lines that carry one, and says when such lines disagree', async () => {
    const s = await importText([
      'Mar  1 2021 08:00:00 h1 app: started',
      'Mar  2 08:00:00 h1 sshd[2]: Failed password for a from 10.1.0.2 port 22 ssh2',
      'Mar  3 2021 08:00:00 h1 app: still 2021',
      'Mar  4 1999 08:00:00 h1 app: a clock that was wrong',
      'Mar  5 08:00:00 h1 sshd[5]: Failed password for b from 10.1.0.5 port 22 ssh2',
    ]);
    expect(times()).toEqual([1, 2, 3, 4, 5].map((d, i) => Date.UTC(i === 3 ? 1999 : 2021, 2, d, 8)));
    expect(options(s.batchId)).toMatchObject({ syslogYear: 2021, syslogYearBasis: 'dated-lines', syslogDatedLines: 3, syslogDatedDisagreeing: 1 });
    expect(s.notes).toContainEqual('1 of the 3 lines that carry a year disagree with the others about the years; the lines without a year were read from 2021 on, as most of them say');
  });

  it('falls back on the latest date when no line carries a year, and records that basis', async () => {
    const s = await importText(['Mar  2 08:00:00 h1 sshd[2]: Failed password for a from 10.1.0.2 port 22 ssh2']);
    expect(times()).toEqual([Date.UTC(2026, 2, 2, 8)]);
    expect(options(s.batchId)).toMatchObject({ syslogYearBasis: 'latest-date' });
    expect(options(s.batchId)).not.toHaveProperty('syslogDatedLines');
  });

  it('leaves a year given for the import as the year of the first line without one', async () => {
    await importText(['<34>1 2024-12-30T10:00:00Z h1 sshd 1 - - Failed password for m1 from 10.1.0.1 port 22 ssh2', '<34>Jan  2 10:00:00 h1 sshd[2]: Failed password for m2 from 10.1.0.2 port 22 ssh2'], { syslogYear: 2025 });
    expect(times()).toEqual([Date.UTC(2024, 11, 30, 10), Date.UTC(2025, 0, 2, 10)]);
  });

  it('infers nothing for a file whose every line carries its year', async () => {
    const s = await importText(['<34>1 2024-12-30T10:00:00Z h1 sshd 1 - - Failed password for m1 from 10.1.0.1 port 22 ssh2']);
    expect(options(s.batchId)).toMatchObject({ syslogYearSource: 'default' });
    expect(options(s.batchId)).not.toHaveProperty('syslogYearBasis');
  });
});

describe('lines that carry a year, against the outside probe (probe6)', () => {
  let vault: PipelineVault;
  beforeEach(() => {
    vault = createPipelineVault();
  });
  afterEach(() => vault.cleanup());

  const importLines = async (lines: string[], extra: { syslogYear?: number } = {}) => {
    const file = path.join(vault.dir, 'p6.log');
    writeFileSync(file, lines.join('\n'));
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID, ...extra });
    expectReconciled(vault.db, s);
    const byUser = new Map<string, string>();
    for (const json of vault.db.prepare("SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name != 'attest'").pluck().all() as string[]) {
      const e = JSON.parse(json) as { time: number; actor?: { user?: { name?: string } } };
      byUser.set(e.actor?.user?.name ?? '?', new Date(e.time).toISOString().slice(0, 10));
    }
    return { s, byUser };
  };
  const failed = (user: string, when: string) => `${when} h1 sshd[1]: Failed password for ${user} from 10.0.0.1 port 22 ssh2`;
  const dated = (user: string, iso: string) => `<38>1 ${iso} h1 sshd 1 - - Failed password for ${user} from 10.0.0.2 port 22 ssh2`;

  it('keeps the dated lines\' years when the latest yearless date is a 29 February those years do not have', async () => {
    // It fell back on the latest-date rule and put Jan 1 a year later than the dated line before it.
    const { s, byUser } = await importLines([dated('u01', '2022-12-30T10:00:00Z'), failed('u02', 'Jan  1 10:00:00'), failed('u03', 'Feb 29 10:00:00')]);
    expect(byUser.get('u02')).toBe('2023-01-01');
    expect(s.quarantined).toBe(1);
  });

  it('does not give up on the years when two 29 Februaries a year apart cannot both be right', async () => {
    const { byUser } = await importLines([
      failed('u01', 'Nov 10 10:00:00'), dated('u02', '2023-12-10T10:00:00Z'), failed('u03', 'Jan 10 10:00:00'), failed('u04', 'Feb 29 10:00:00'),
      failed('u05', 'Mar 10 10:00:00'), failed('u07', 'Dec 10 10:00:00'), failed('u08', 'Jan 10 10:00:00'), failed('u09', 'Feb 29 10:00:00'),
    ]);
    expect(Object.fromEntries(byUser)).toMatchObject({ u01: '2023-11-10', u03: '2024-01-10', u04: '2024-02-29', u05: '2024-03-10', u07: '2024-12-10', u08: '2025-01-10' });
    // Without a dated line: the latest date decides, and the impossible Feb 29 is quarantined.
    const { byUser: alone } = await importLines([failed('v01', 'Feb 29 10:00:00'), failed('v02', 'Dec 10 10:00:00'), failed('v03', 'Feb 29 10:00:00')]);
    expect([...alone.keys()].filter((u) => u.startsWith('v'))).toHaveLength(2);
  });

  it('takes no evidence from dated lines the import refuses (a clock reset to 1970, one years ahead)', async () => {
    const { byUser } = await importLines([failed('w01', 'Mar  1 10:00:00'), dated('w02', '2030-03-01T10:05:00Z'), dated('w03', '2030-03-01T10:15:00Z'), dated('w04', '2025-03-01T10:20:00Z'), failed('w05', 'Mar  1 10:30:00')]);
    expect(byUser.get('w01')).toBe('2025-03-01');
    expect(byUser.get('w05')).toBe('2025-03-01');
    const reset = await importLines([failed('x01', 'Mar  1 10:00:00'), dated('x02', '1970-01-01T00:15:00Z'), failed('x03', 'Mar  2 10:00:00')]);
    expect(reset.byUser.get('x03')).toBe('2026-03-02');
    // A syslog date is text: no "looks like seconds" hint, which is about numbers.
    const reason = vault.db.prepare("SELECT reason FROM quarantine WHERE reason LIKE '%1970-01-01T00:15%'").pluck().get() as string;
    expect(reason).toBe('time 1970-01-01T00:15:00.000Z is before 1990-01-01');
  });

  it('reads no dates for the years from a gzip member the check found damaged', async () => {
    const march = Array.from({ length: 5 }, (_, i) => failed(`g0${i}`, `Mar  ${i + 1} 10:00:00`)).join('\n') + '\n';
    // Over 64 KiB and stored, so it streams and decodes; its CRC fails at its end. Its "Dec 30" would make
    // the latest date Dec 30 2025, and the March lines 2025.
    const bulk = Array.from({ length: 900 }, (_, i) => failed(`h${i}`, 'Dec 30 10:00:00')).join('\n') + '\n';
    const damaged = Buffer.from(gzipSync(bulk, { level: 0 }));
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 8) ^ 0x01, damaged.length - 8);
    const file = path.join(vault.dir, 'auth.log.gz');
    writeFileSync(file, Buffer.concat([gzipSync(march), damaged]));
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    expect(s.error).toMatch(/member 2 fails its integrity check/);
    expect(s.imported).toBe(5);
    const times = (vault.db.prepare("SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name != 'attest'").pluck().all() as string[]).map((j) => new Date((JSON.parse(j) as { time: number }).time).getUTCFullYear());
    expect(new Set(times)).toEqual(new Set([2026]));
  });

  it('gives a CEF file one note for its years, whether a time came from a header or from rt', async () => {
    const file = path.join(vault.dir, 'fw.cef');
    writeFileSync(file, [
      'Dec 31 23:00:00 fw1 CEF:0|Vendor|FW|1.0|100|Login failed|5|suser=c01 src=10.2.2.1',
      '<34>1 2021-12-31T23:30:00Z fw1 cef - - - CEF:0|Vendor|FW|1.0|100|Login failed|5|suser=c02 src=10.2.2.2',
      'Jan  1 00:10:00 fw1 CEF:0|Vendor|FW|1.0|100|Login failed|5|suser=c03 src=10.2.2.3',
      'CEF:0|Vendor|FW|1.0|100|Login failed|5|suser=c06 src=10.2.2.6 rt=Jan 01 00:40:00',
    ].join('\n'));
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: READ_ON, vaultId: VAULT_ID });
    expect(s.imported).toBe(4);
    expect((s.notes ?? []).filter((n) => /^years? \d{4}/.test(n))).toEqual(['years 2021–2022 assumed: the timestamps have none; inferred from the lines of the file that do carry a year']);
  });

  it('does not say "most of them" when the dated lines are split evenly', async () => {
    const { s } = await importLines([dated('s01', '2021-03-01T10:00:00Z'), failed('s02', 'Mar  2 10:00:00'), dated('s03', '2023-03-03T10:00:00Z')]);
    expect(s.notes).toContain('1 of the 2 lines that carry a year disagree with the others about the years; the lines without a year were read from 2023 on, the latest of the years they point to (no year has most of them)');
  });

  it('says when lines that carry a year disagree with the year given for the others', async () => {
    const { s } = await importLines([failed('y01', 'Jan  5 10:00:00'), dated('y02', '2024-03-01T10:00:00Z'), failed('y03', 'Jun  1 10:00:00')], { syslogYear: 2021 });
    expect(s.notes).toContain('lines that carry their own year disagree with the year given for this import for the lines without one (counted on at each New Year): that year may be wrong');
    const agreeing = await importLines([failed('z01', 'Jan  5 10:00:00'), dated('z02', '2021-03-01T10:00:00Z')], { syslogYear: 2021 });
    expect((agreeing.s.notes ?? []).some((n) => n.includes('disagree'))).toBe(false);
  });
});

describe('datedHeaderTime', () => {
  it('reads the date a header carries, as written or in UTC when it has an offset', () => {
    expect(datedHeaderTime('<34>1 2025-01-03T10:00:00.123Z h1 sshd 3 - - x')).toMatchObject({ year: 2025, month: 1, day: 3, hour: 10, ms: 123 });
    expect(datedHeaderTime('<34>1 2025-01-01T00:30:00+01:00 h1 sshd 3 - - x')).toMatchObject({ year: 2024, month: 12, day: 31, hour: 23, minute: 30 });
    expect(datedHeaderTime('2025-06-01T08:00:00 host app: x')).toMatchObject({ year: 2025, month: 6, day: 1, hour: 8 });
    expect(datedHeaderTime('<13>Mar  4 1999 08:00:00 h1 app: x')).toMatchObject({ year: 1999, month: 3, day: 4, hour: 8 });
    expect(datedHeaderTime('Mar  4 08:00:00 h1 app: x')).toBeNull();
    expect(datedHeaderTime('CEF:0|a|b|1|x|y|5|rt=1')).toBeNull();
    expect(datedHeaderTime('<34>1 - h1 sshd 3 - - x')).toBeNull();
  });
});
