import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Batch } from '../../../../shared/contract';
import { ImportHistory, orderedSettings, settingText } from '../../../../renderer/src/features/events/ImportHistory';
import { renderWithApi } from '../../helpers/render';

afterEach(cleanup);

function batch(id: number, over: Partial<Batch> = {}): Batch {
  return {
    id, file: `auth-${id}.log`, bytes: 2048, sha256: 'ab'.repeat(32), format: 'syslog', source: 'sshd', operator: 'dpo',
    startedAt: Date.UTC(2026, 10, 1, 9, 0), finishedAt: Date.UTC(2026, 10, 1, 9, 1), state: 'done',
    read: 10, imported: 8, duplicates: 1, quarantined: 1, firstSeq: 100, lastSeq: 107,
    settings: [{ name: 'syslogYear', value: '2025' }, { name: 'gzip', value: 'false' }, { name: 'requestedFormat', value: 'null' }],
    notes: ['year 2025 taken from the source settings (the timestamp has none)'], identicalTo: null, error: null,
    ...over,
  };
}

describe('ImportHistory', () => {
  it('lists imports with their counts, links the quarantined records, and opens one in full', async () => {
    const { fake } = renderWithApi(<ImportHistory />, {
      'batches:list': () => ({ rows: [batch(2, { state: 'refused', read: 0, imported: 0, duplicates: 0, quarantined: 0, firstSeq: null, lastSeq: null, error: 'This source accepts signed input only.' }), batch(1)], total: 2 }),
    });
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows[1]!.textContent).toContain('Refused');
    expect(within(rows[2]!).getByRole('link', { name: '1' }).getAttribute('href')).toBe('#/events/quarantine?batch=1');
    // The zone of the start times is named, as the events table names it (probe10).
    expect(screen.getByText(/^2 of 2 imports · times in \S+$/)).toBeTruthy();
    // Started: written as the events table writes times (local zone), day over time of day (probe8).
    const started = rows[2]!.querySelector('time')!;
    const local = new Date(Date.UTC(2026, 10, 1, 9, 0));
    const p2 = (n: number) => String(n).padStart(2, '0');
    expect([...started.querySelectorAll('.cell-text')].map((c) => c.textContent)).toEqual([
      `${local.getFullYear()}-${p2(local.getMonth() + 1)}-${p2(local.getDate())}`,
      `${p2(local.getHours())}:${p2(local.getMinutes())}:00.000`,
    ]);
    expect(screen.queryByRole('button', { name: 'Show older imports' })).toBeNull();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Show the details of batch 1' }));
    expect(screen.getByText('ab'.repeat(32))).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Show these events' }).getAttribute('href')).toBe('#/events?batchId=1');
    expect(screen.getByText("Year for times that carry none (the first line's)").nextSibling?.textContent).toBe('2025');
    expect(screen.getByText('year 2025 taken from the source settings (the timestamp has none)')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Show the details of batch 2' }));
    expect(screen.getByText('This source accepts signed input only.')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Show these events' })).toBeNull();
    // A refused file was never read: no "Events added", and its settings are said to be those of the time.
    expect(screen.queryByText('Events added')).toBeNull();
    expect(screen.getByText('Tried by')).toBeTruthy();
    expect(screen.getByText('Settings at the time (the file was not read)')).toBeTruthy();
    expect(fake.callsTo('batches:list')).toEqual([{ limit: 100 }]);
  });

  it('pages to older imports by batch number', async () => {
    const { fake } = renderWithApi(<ImportHistory />, {
      'batches:list': (req) => (req.beforeId === undefined ? { rows: [batch(5), batch(4)], total: 3 } : { rows: [batch(3)], total: 3 }),
    });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Show older imports' }));
    expect(await screen.findByText(/^3 of 3 imports · times in /)).toBeTruthy();
    expect(fake.callsTo('batches:list')[1]).toEqual({ limit: 100, beforeId: 4 });
  });

  it('shows hostile file names and settings as inert text, hidden characters marked', async () => {
    renderWithApi(<ImportHistory />, {
      'batches:list': () => ({ rows: [batch(1, { file: '<img src=x onerror=alert(1)>\u202egol.exe', settings: [{ name: 'source', value: '"<script>x</script>"' }] })], total: 1 }),
    });
    const table = await screen.findByRole('table');
    expect(table.querySelector('img')).toBeNull();
    expect(table.textContent).toContain('<img src=x onerror=alert(1)>[U+202E]gol.exe');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Show the details of batch 1' }));
    expect(screen.getByText('<script>x</script>')).toBeTruthy();
  });

  it('says when nothing has been imported', async () => {
    renderWithApi(<ImportHistory />, { 'batches:list': () => ({ rows: [], total: 0 }) });
    expect(await screen.findByText('Nothing has been imported yet.')).toBeTruthy();
  });
});

describe('ImportHistory details', () => {
  it('repeats the whole file name, line breaks marked, and links the batch an identical file matched', async () => {
    renderWithApi(<ImportHistory />, {
      'batches:list': () => ({ rows: [batch(3, { file: 'auth\n2026.log', identicalTo: 1, firstSeq: null, lastSeq: null })], total: 1 }),
    });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Show the details of batch 3' }));
    const dt = screen.getAllByText('File').find((el) => el.tagName === 'DT');
    expect(dt?.nextSibling?.textContent).toBe('auth[U+000A]2026.log');
    expect(screen.getByRole('link', { name: 'batch 1' }).getAttribute('href')).toBe('#/events?batchId=1');
  });
});

describe('settingText', () => {
  it('turns recorded option values into words', () => {
    expect(settingText('gzip', 'true')).toBe('yes');
    expect(settingText('syslogZone', '"Europe/Paris"')).toBe('Europe/Paris');
    expect(settingText('requestedFormat', 'null')).toBe('none: detected from the file');
    expect(settingText('syslogYearSource', '"inferred"')).toBe("inferred from the file's own dates");
    expect(settingText('syslogZoneSource', '"option"')).toBe('given for this import');
    expect(settingText('syslogLatest', String(Date.UTC(2026, 0, 15, 10)))).toBe('2026-01-15 10:00:00Z');
    expect(settingText('syslogYear', '2025')).toBe('2025');
    expect(settingText('syslogZoneSource', '"default"')).toBe('not given: UTC');
    expect(settingText('timeIfMissing', String(Date.UTC(2026, 10, 22, 9, 30)))).toBe('2026-11-22 09:30:00Z');
    expect(settingText('timeIfMissingFrom', '"import"')).toBe('when the file was imported');
    expect(settingText('syslogYearBasis', '"dated-lines"')).toBe('the lines of the file that carry a year');
    expect(settingText('syslogYearBasis', '"latest-date"')).toBe('the latest date, taken to be within the past year');
    expect(settingText('syslogYearChanges', JSON.stringify([[3, 2022, Date.UTC(2000, 0, 1, 10)], [90, 2023, Date.UTC(2000, 1, 29, 23, 59, 59)]]))).toBe('line 3: 2022 from 1 Jan 10:00:00; line 90: 2023 from 29 Feb 23:59:59');
    expect(settingText('syslogYearChanges', '[]')).toBe('none');
    expect(settingText('syslogYearSource', '"cancelled"')).toBe('not decided: the import was cancelled while the dates were read');
  });

  it('lists the settings in a fixed order, the year\'s together, unknown ones last', () => {
    const names = (xs: string[]) => orderedSettings(xs.map((name) => ({ name }))).map((s) => s.name);
    expect(names(['gzip', 'mystery', 'syslogLatest', 'format', 'syslogYear', 'syslogLastYear'])).toEqual(['format', 'syslogYear', 'syslogLastYear', 'syslogLatest', 'gzip', 'mystery']);
    expect(settingText('csvHeader', '["When","Who"]')).toBe('When, Who');
    expect(settingText('csvMapping', '{"time":"When"}')).toBe('{"time":"When"}');
  });
});
