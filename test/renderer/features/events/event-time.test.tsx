import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EventDetailPanel } from '../../../../renderer/src/features/events/EventDetailPanel';
import { EventsTable } from '../../../../renderer/src/features/events/EventsTable';
import { formatPreciseDateTime, formatTableTime } from '../../../../renderer/src/features/events/event-time';
import { useAppStyles } from '../../helpers/app-styles';
import { eventDetail, eventRow } from '../../helpers/events';
import { useFakeLayout } from '../../helpers/layout';
import { renderWithApi } from '../../helpers/render';

useFakeLayout();
useAppStyles();
afterEach(cleanup);

/** The last millisecond of a local day, and the midnight after it: an auditor must tell them apart. */
const LAST_MS = new Date(2026, 10, 22, 23, 59, 59, 999).getTime();
const MIDNIGHT = LAST_MS + 1;

describe('Event times to the millisecond', () => {
  it('formats the table time whole, with milliseconds, at a fixed width', () => {
    expect(formatTableTime(LAST_MS)).toBe('2026-11-22 23:59:59.999');
    expect(formatTableTime(MIDNIGHT)).toBe('2026-11-23 00:00:00.000');
    expect(formatTableTime(new Date(2026, 0, 5, 7, 3, 9, 42).getTime())).toBe('2026-01-05 07:03:09.042');
    expect(formatTableTime(Number.NaN)).toBe('—');
    expect(formatPreciseDateTime(LAST_MS)).toMatch(/59[.,]999/);
    expect(formatPreciseDateTime(LAST_MS)).not.toBe(formatPreciseDateTime(MIDNIGHT));
    // One style on the screen: the detail panel's time is the table's, with the zone named after it.
    expect(formatPreciseDateTime(LAST_MS).startsWith('2026-11-22 23:59:59.999 ')).toBe(true);
    expect(formatPreciseDateTime(Number.NaN)).toBe('—');
  });

  it('shows milliseconds in the table cell, with the zone and the UTC instant in its title', () => {
    render(<EventsTable rows={[eventRow(2, { time: MIDNIGHT }), eventRow(1, { time: LAST_MS })]} version={1} total={2} hasMore={false} loading={false} onNeedMore={() => undefined} selectedSeq={null} onSelect={() => undefined} />);
    const times = document.querySelectorAll('.et-body .col-time time');
    expect(Array.from(times, (t) => t.textContent)).toEqual(['2026-11-23 00:00:00.000', '2026-11-22 23:59:59.999']);
    const title = times[1]?.getAttribute('title') ?? '';
    expect(title).toContain(new Date(LAST_MS).toISOString());
    expect(title).toContain(formatPreciseDateTime(LAST_MS));
    expect(times[1]?.getAttribute('datetime')).toBe(new Date(LAST_MS).toISOString());
  });

  it('sizes the time column for the whole time and keeps the columns within 1,002 px (the table at 1280 px)', () => {
    render(<EventsTable rows={[eventRow(1)]} version={1} total={1} hasMore={false} loading={false} onNeedMore={() => undefined} selectedSeq={null} onSelect={() => undefined} />);
    const row = document.querySelector('.et-body .et-row') as HTMLElement;
    const style = getComputedStyle(row);
    const tracks = style.gridTemplateColumns.match(/minmax\([^)]*\)|\S+/g) ?? [];
    expect(tracks).toHaveLength(8);
    // "2026-11-22 23:59:59.999" takes 173 px in tabular digits at 13.5 px (measured in Chromium).
    expect(parseFloat(tracks[0] ?? '')).toBeGreaterThanOrEqual(180);
    expect(getComputedStyle(row.querySelector('.col-time') as HTMLElement).fontVariantNumeric).toBe('tabular-nums');
    const minimum = (t: string) => parseFloat(t.startsWith('minmax(') ? t.slice(7) : t);
    const sum = tracks.reduce((n, t) => n + minimum(t), 0) + 7 * parseFloat(style.columnGap || style.gap) + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    expect(sum).toBeLessThanOrEqual(1002);
    // The message keeps a useful width.
    expect(minimum(tracks[6] ?? '')).toBeGreaterThanOrEqual(100);
  });

  it('shows the time with milliseconds and the zone in the detail panel, and the UTC instant', async () => {
    const row = eventRow(5, { time: LAST_MS });
    renderWithApi(<EventDetailPanel seq={5} onClose={() => undefined} />, { 'events:get': () => eventDetail(row, '{}') });
    const panel = await screen.findByRole('complementary', { name: 'Event details' });
    await within(panel).findByText('Integrity');
    const time = within(panel).getByText(formatPreciseDateTime(LAST_MS));
    expect(time.tagName).toBe('TIME');
    expect(time.textContent).toMatch(/59[.,]999/);
    // The zone is named (the short name the locale gives it, "UTC", "GMT+1", "CET"…).
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(LAST_MS).find((p) => p.type === 'timeZoneName')?.value ?? '';
    expect(zone).not.toBe('');
    expect(time.textContent).toContain(zone);
    expect(within(panel).getByText(new Date(LAST_MS).toISOString())).toBeTruthy();
  });
});
