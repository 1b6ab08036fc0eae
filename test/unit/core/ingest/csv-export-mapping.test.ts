import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { suggestCsvMapping } from '../../../../electron/core/ingest/csv-mapping';
import { parseRecord, type ParseContext } from '../../../../electron/core/ingest/parse-record';
import { NOW } from './helpers';

describe('CSV mapping suggestions for common exports', () => {
  it('maps the time column of Entra, M365, Google Workspace, Okta and AWS console exports', () => {
    const time = (header: string[]): string | undefined => suggestCsvMapping(header).time;
    expect(time(['Date (UTC)', 'Request ID', 'User', 'Username'])).toBe('Date (UTC)');
    expect(time(['Date (UTC+00:00)', 'User'])).toBe('Date (UTC+00:00)');
    expect(time(['Timestamp (UTC)', 'User'])).toBe('Timestamp (UTC)');
    expect(time(['time_utc', 'user'])).toBe('time_utc');
    expect(time(['RecordId', 'CreationDate', 'RecordType', 'Operation', 'UserId', 'AuditData'])).toBe('CreationDate');
    expect(time(['Event Name', 'Event Description', 'User', 'Date', 'IP Address'])).toBe('Date');
    expect(time(['uuid', 'published', 'eventType', 'actor.alternateId'])).toBe('published');
    expect(time(['Published', 'Actor'])).toBe('Published');
    expect(time(['Event name', 'Event time', 'User name', 'Event source', 'Source IP address'])).toBe('Event time');
    expect(time(['Created', 'Who'])).toBe('Created');
    // The existing priority holds: "Time" beats "Date" whatever the order (loghub's Month, Date, Time).
    expect(time(['Month', 'Date', 'Time'])).toBe('Time');
    // A column that only states a zone is no time column.
    expect(time(['UTC', 'who'])).toBeUndefined();
  });

  it('maps the user and IP columns of those exports, keeping the priority rules', () => {
    expect(suggestCsvMapping(['Date (UTC)', 'User ID', 'User', 'Username', 'IP address', 'Status', 'Failure reason'])).toMatchObject({
      'actor.user.name': 'Username',
      'actor.user.uid': 'User ID',
      'src_endpoint.ip': 'IP address',
      status_id: 'Status',
      status_detail: 'Failure reason',
    });
    expect(suggestCsvMapping(['Date', 'User principal name', 'IP Address'])).toMatchObject({ 'actor.user.name': 'User principal name', 'src_endpoint.ip': 'IP Address' });
    // Microsoft 365: the UserId column holds the UPN and there is no name column: it becomes the name.
    const m365 = suggestCsvMapping(['CreationDate', 'UserId', 'Operation', 'ClientIP', 'Workload']);
    expect(m365).toEqual({ time: 'CreationDate', 'actor.user.name': 'UserId', 'src_endpoint.ip': 'ClientIP', 'api.operation': 'Operation', 'api.service.name': 'Workload' });
    expect(suggestCsvMapping(['CreationDate', 'UserIds', 'Operations'])).toMatchObject({ 'actor.user.name': 'UserIds', 'api.operation': 'Operations' });
    // An e-mail column beside a name is the e-mail (searchable too); alone, it is the name.
    expect(suggestCsvMapping(['Time', 'User', 'Email', 'IP'])).toMatchObject({ 'actor.user.name': 'User', 'actor.user.email_addr': 'Email' });
    const emailOnly = suggestCsvMapping(['Time', 'E-mail address', 'IP']);
    expect(emailOnly).toMatchObject({ 'actor.user.name': 'E-mail address' });
    expect(emailOnly['actor.user.email_addr']).toBeUndefined();
    // With a name column, the id stays the id.
    expect(suggestCsvMapping(['time', 'UserId', 'User'])).toMatchObject({ 'actor.user.name': 'User', 'actor.user.uid': 'UserId' });
    expect(suggestCsvMapping(['Event time', 'User name', 'Source IP address', 'Event name', 'Error code'])).toMatchObject({
      'actor.user.name': 'User name',
      'src_endpoint.ip': 'Source IP address',
      'api.operation': 'Event name',
      status_detail: 'Error code',
    });
    expect(suggestCsvMapping(['published', 'actor.id', 'actor.alternateId', 'actor.displayName', 'client.ipAddress', 'outcome.result', 'outcome.reason', 'displayMessage'])).toMatchObject({
      'actor.user.name': 'actor.alternateId',
      'actor.user.uid': 'actor.id',
      'src_endpoint.ip': 'client.ipAddress',
      status_id: 'outcome.result',
      status_detail: 'outcome.reason',
      message: 'displayMessage',
    });
    expect(suggestCsvMapping(['Date', 'User', 'Username'])['actor.user.name']).toBe('Username');
  });
});

describe('reading the mapped time column', () => {
  const header = ['Date (UTC)', 'User'];
  const ctx = (h: string[], extra: Partial<ParseContext> = {}): ParseContext => ({ now: NOW, csvHeader: h, csvMapping: suggestCsvMapping(h), ...extra });
  const read = (h: string[], row: string, extra: Partial<ParseContext> = {}) => parseRecord('csv', Buffer.from(row), ctx(h, extra));
  const iso = (h: string[], row: string, extra: Partial<ParseContext> = {}): string => {
    const out = read(h, row, extra);
    if (!out.ok) throw new Error(out.reason);
    return new Date(out.events[0]!.time).toISOString();
  };
  const reason = (h: string[], row: string): string => {
    const out = read(h, row);
    return out.ok ? 'imported' : out.reason;
  };

  it('accepts ISO with a zone, and Entra\'s "2024-03-08 09:14:22" in the zone the column name states', () => {
    expect(iso(header, '2024-03-08T09:14:22Z,a')).toBe('2024-03-08T09:14:22.000Z');
    const entra = read(header, '2024-03-08 09:14:22,a', { syslogZone: '+05:00' });
    expect(entra.ok && [new Date(entra.events[0]!.time).toISOString(), entra.notes]).toEqual(['2024-03-08T09:14:22.000Z', ['time zone UTC taken from the column name "Date (UTC)" (the times carry none)']]);
    expect(iso(['Date (UTC+01:00)', 'User'], '2024-03-08 09:14:22,a')).toBe('2024-03-08T08:14:22.000Z');
    // A zone no place has is said, not replaced by UTC (outside probe); a cell with its own zone still reads.
    expect(reason(['Date (UTC+19)', 'User'], '2024-03-08 09:14:22,a')).toMatch(/^the column name "Date \(UTC\+19\)" states the zone UTC\+19, which no place has/);
    expect(iso(['Date (UTC+19)', 'User'], '2024-03-08T09:14:22Z,a')).toBe('2024-03-08T09:14:22.000Z');
    // The dedup key is what the cell says, as when the zone comes from the source settings.
    expect(read(['Date (UTC+01:00)', 'User'], '2024-03-08 09:14:22,a')).toMatchObject({ dedupTimes: [Date.UTC(2024, 2, 8, 9, 14, 22)] });
    expect(read(['Date', 'User'], '2024-03-08 09:14:22,a', { syslogZone: '+01:00' })).toMatchObject({ dedupTimes: [Date.UTC(2024, 2, 8, 9, 14, 22)] });
    expect(iso(['Date (UTC-5)', 'User'], '2024-03-08 09:14:22,a')).toBe('2024-03-08T14:14:22.000Z');
    // An explicit offset in the cell wins over the column name.
    expect(iso(header, '2024-03-08T09:14:22+02:00,a')).toBe('2024-03-08T07:14:22.000Z');
    // Without a zone in the name, the source's zone applies, as before.
    expect(iso(['Date', 'User'], '2024-03-08 09:14:22,a', { syslogZone: '+01:00' })).toBe('2024-03-08T08:14:22.000Z');
  });

  it('accepts a spreadsheet-style date only when day and month cannot be swapped', () => {
    expect(iso(['Date', 'User'], '3/15/2024 9:14:22 AM,a')).toBe('2024-03-15T09:14:22.000Z');
    expect(iso(['Date', 'User'], '3/15/2024 9:14:22 PM,a')).toBe('2024-03-15T21:14:22.000Z');
    expect(iso(['Date', 'User'], '3/15/2024 12:05:00 AM,a')).toBe('2024-03-15T00:05:00.000Z');
    expect(iso(['Date', 'User'], '15/03/2024 21:14,a')).toBe('2024-03-15T21:14:00.000Z');
    expect(iso(['Date', 'User'], '15.03.2024 21:14:05,a')).toBe('2024-03-15T21:14:05.000Z');
    expect(iso(['Date', 'User'], '3/3/2024 10:00:00,a')).toBe('2024-03-03T10:00:00.000Z');
    expect(iso(['Date', 'User'], '2024/3/8 9:14:22,a')).toBe('2024-03-08T09:14:22.000Z');
    expect(reason(['Date', 'User'], '3/8/2024 9:14:22 AM,a')).toBe(
      'the date "3/8/2024 9:14:22 AM" could be March 8 or August 3 (the file does not say whether the day or the month comes first): export the time as ISO 8601 (2024-01-31T12:00:00Z)',
    );
    expect(reason(['Date', 'User'], '3/8/24 9:14,a')).toMatch(/two-digit year/);
    expect(reason(['Date', 'User'], '31/31/2024 9:14,a')).toMatch(/not a valid date/);
    expect(reason(['Date', 'User'], '3/15/2024 13:14:22 PM,a')).toMatch(/does not fit AM\/PM/);
  });

  it('says why a time of day alone is refused, naming the columns that look like the rest of the date (loghub)', () => {
    const file = readFileSync(join(__dirname, '../../../fixtures/ingest-detect/loghub-linux-structured-excerpt.csv'), 'utf8').split('\n');
    const h = file[0]!.split(',');
    expect(reason(h, file[1]!)).toBe(
      'the time "15:16:01" is only a time of day: the column "Time" holds no date (the date seems to be in the columns "Month", "Date"), and Attest reads the time from one column; export a column with the date and time together (2024-01-31T12:00:00Z)',
    );
    expect(reason(['time', 'who'], '09:14,a')).toMatch(/^the time "09:14" is only a time of day: the column "time" holds no date, and/);
    expect(reason(['time', 'who'], 'yesterday,a')).toMatch(/is not ISO 8601/);
  });
});
