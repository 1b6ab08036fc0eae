import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventRow } from '../../../../shared/contract';
import { EventsTable } from '../../../../renderer/src/features/events/EventsTable';
import { EventsPage } from '../../../../renderer/src/features/events/EventsPage';
import { parseRoute, useRoute } from '../../../../renderer/src/app/router';
import { eventDetail, eventRow, HOSTILE } from '../../helpers/events';
import { useFakeLayout } from '../../helpers/layout';
import { renderWithApi } from '../../helpers/render';

useFakeLayout();
afterEach(cleanup);

function table(rows: EventRow[], extra: Partial<Parameters<typeof EventsTable>[0]> = {}) {
  const onNeedMore = vi.fn();
  const onSelect = vi.fn();
  const utils = render(
    <EventsTable rows={rows} version={1} total={rows.length} hasMore={false} loading={false} onNeedMore={onNeedMore} selectedSeq={null} onSelect={onSelect} {...extra} />,
  );
  return { ...utils, onNeedMore, onSelect };
}

const bodyRows = () => screen.getAllByRole('row').filter((r) => r.hasAttribute('data-row-index'));

describe('EventsTable', () => {
  it('renders the visible rows only, with their values', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => eventRow(5000 - i));
    table(rows);
    const rendered = bodyRows();
    // 720 px of 36 px rows plus overscan: a few dozen rows, never five thousand.
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(60);
    const first = within(rendered[0] as HTMLElement);
    expect(first.getByText('user-5000')).toBeTruthy();
    expect(first.getByText('203.0.113.0')).toBeTruthy();
    expect(first.getByText('Authentication')).toBeTruthy();
    expect(first.getByText('Failure')).toBeTruthy();
    const time = (rendered[0] as HTMLElement).querySelector('time');
    // The title ends with the exact UTC instant (after the locale's form with milliseconds and zone).
    expect(time?.getAttribute('title')?.endsWith(new Date(rows[0]?.time ?? 0).toISOString())).toBe(true);
  });

  it('asks for the next page when the end of the loaded rows is near', () => {
    const { onNeedMore } = table(Array.from({ length: 10 }, (_, i) => eventRow(1000 - i)), { hasMore: true, total: 100_000 });
    expect(onNeedMore).toHaveBeenCalled();
    // End reaches only the loaded rows: the loader says where the other end of the list is (probe8).
    expect(screen.getByText('Loading more events… The oldest are first under Order: “Oldest recorded first”.')).toBeTruthy();
  });

  it('shows bidi, zero-width and control characters as visible markers, so one actor cannot pass for another', () => {
    table([eventRow(3, { actor: 'new\nline\tx' }), eventRow(2, { actor: '\u202Enimda' }), eventRow(1, { actor: 'ad\u200Bmin\u0000' })]);
    expect(screen.getByText('[U+202E]nimda')).toBeTruthy();
    expect(screen.getByText('ad[U+200B]min[U+0000]')).toBeTruthy();
    // A cell is one line: a line break would show as a space.
    expect(screen.getByText('new[U+000A]line[U+0009]x')).toBeTruthy();
    expect(screen.queryByText('admin')).toBeNull();
  });

  it('renders hostile strings as text and creates no element from them', () => {
    const rows = [
      eventRow(3, { actor: HOSTILE.img, message: HOSTILE.script, operation: HOSTILE.formula, source: HOSTILE.link }),
      eventRow(2, { actor: HOSTILE.script, ip: HOSTILE.img, message: HOSTILE.formula }),
      eventRow(1, { actor: HOSTILE.formula, message: HOSTILE.img.repeat(2000) }),
    ];
    const { container } = table(rows);
    expect(screen.getAllByText(HOSTILE.img).length).toBe(2);
    expect(screen.getAllByText(HOSTILE.script).length).toBe(2);
    expect(screen.getAllByText(HOSTILE.formula).length).toBe(3);
    expect(screen.getByText(HOSTILE.link)).toBeTruthy();
    expect(container.querySelectorAll('img, script, iframe, object, embed').length).toBe(0);
    expect(container.querySelectorAll('a').length).toBe(0);
    for (const el of container.querySelectorAll('*')) {
      for (const attr of Array.from(el.attributes)) {
        expect(attr.name.startsWith('on')).toBe(false);
        if (attr.name === 'href' || attr.name === 'src') throw new Error(`event data reached ${attr.name}`);
      }
    }
    // A 58,000-character value is cut before it reaches the DOM; CSS adds the ellipsis.
    const long = within(bodyRows()[2] as HTMLElement).getAllByRole('gridcell')[6] as HTMLElement;
    expect(long.textContent?.length).toBeLessThanOrEqual(1000);
    expect(long.classList.contains('et-cell')).toBe(true);
  });

  it('Tab into the table after a mouse scroll focuses the first row in view, not the scroll area', async () => {
    table(Array.from({ length: 2000 }, (_, i) => eventRow(2000 - i)));
    const scroller = screen.getByTestId('events-scroll');
    await act(async () => {
      scroller.scrollTop = 36 * 500;
      fireEvent.scroll(scroller);
    });
    // The active row (0) is out of the DOM now; focus lands on the scroll area, which hands it on.
    expect(bodyRows().some((r) => r.getAttribute('data-row-index') === '0')).toBe(false);
    act(() => scroller.focus());
    await waitFor(() => expect(document.activeElement?.getAttribute('data-row-index')).toBe('500'));
  });

  it('moves with the arrow keys and opens a row with Enter', async () => {
    const { onSelect } = table([eventRow(3), eventRow(2), eventRow(1)]);
    const user = userEvent.setup();
    const [first] = bodyRows();
    (first as HTMLElement).focus();
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement?.getAttribute('data-row-index')).toBe('1'));
    await user.keyboard('{Enter}');
    expect(onSelect).toHaveBeenCalledWith(2);
  });
});

describe('EventsPage', () => {
  it('closes an open detail when the table moves to another window of the list (probe10)', async () => {
    const n = 2_000;
    renderWithApi(<EventsPage route={parseRoute('#/events')} windowRows={500} />, {
      'events:count': () => ({ count: n }),
      'events:query': ({ beforeSeq, limit }) => {
        const top = Math.min(n, (beforeSeq ?? n + 1) - 1);
        const rows = Array.from({ length: Math.max(0, Math.min(limit, top)) }, (_, i) => eventRow(top - i));
        return { rows, nextBeforeSeq: rows.length === limit ? rows[rows.length - 1]!.seq : null, nextAfterSeq: null };
      },
      'events:get': ({ seq }) => eventDetail(eventRow(seq), '{}'),
      'sources:list': () => [],
    });
    await userEvent.setup().click(await screen.findByText('user-2000'));
    expect(await screen.findByRole('complementary', { name: 'Event details' })).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Continue with older events' }));
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Event details' })).toBeNull());
    expect(await screen.findByText(/continued after the event of .* \(#1,501\)/)).toBeTruthy();
  });

  it('pages with beforeSeq, opens the detail panel, shows the raw record as text, and closes on Escape', async () => {
    const page1 = Array.from({ length: 500 }, (_, i) => eventRow(1000 - i));
    const hostile = eventRow(1000, { actor: HOSTILE.img, message: HOSTILE.script });
    page1[0] = hostile;
    const raw = `{"user":"${HOSTILE.img}","op":"${HOSTILE.formula}","note":"${HOSTILE.script}"}`;
    const { fake, container } = renderWithApi(<EventsPage route={parseRoute('#/events')} />, {
      'events:count': () => ({ count: 1_000 }),
      'events:query': (req) =>
        req.beforeSeq === undefined
          ? { rows: page1, nextBeforeSeq: 501, nextAfterSeq: null }
          : { rows: Array.from({ length: 500 }, (_, i) => eventRow(500 - i)), nextBeforeSeq: null, nextAfterSeq: null },
      'events:get': ({ seq }) => eventDetail(seq === 1000 ? hostile : eventRow(seq), raw),
      'sources:list': () => [],
    });
    expect(await screen.findByText(/^1,000 events · 500 loaded · times in \S+$/)).toBeTruthy();
    expect(fake.callsTo('events:query')[0]).toEqual({ filter: {}, order: 'newest', limit: 500 });

    const user = userEvent.setup();
    await user.click(screen.getByText(HOSTILE.img));
    const panel = await screen.findByRole('complementary', { name: 'Event details' });
    const pre = await within(panel).findByLabelText('Raw record as received');
    expect(pre.tagName).toBe('PRE');
    expect(pre.textContent).toBe(raw);
    expect(pre.children.length).toBe(0);
    expect(within(panel).getAllByText(HOSTILE.img).length).toBeGreaterThan(0);
    expect(fake.callsTo('events:get')).toEqual([{ seq: 1000 }]);
    expect(container.querySelectorAll('img, script').length).toBe(0);

    fireEvent.keyDown(document, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Event details' })).toBeNull());

    // Scrolling to the end asks for the next page below the last seq seen.
    const scroller = screen.getByTestId('events-scroll');
    await act(async () => {
      scroller.scrollTop = 500 * 36;
      scroller.dispatchEvent(new Event('scroll'));
    });
    await waitFor(() => expect(fake.callsTo('events:query')).toContainEqual({ filter: {}, beforeSeq: 501, order: 'newest', limit: 500 }));
  });

  it('opens an event named in the address (#/events/SEQ, as verify links to the first bad event)', async () => {
    const { fake } = renderWithApi(<EventsPage route={parseRoute('#/events/42')} />, {
      'events:count': () => ({ count: 100 }),
      'events:query': () => ({ rows: [eventRow(100)], nextBeforeSeq: null, nextAfterSeq: null }),
      'events:get': ({ seq }) => eventDetail(eventRow(seq), '{"raw":42}'),
      'sources:list': () => [],
    });
    const panel = await screen.findByRole('complementary', { name: 'Event details' });
    expect(await within(panel).findByText('{"raw":42}')).toBeTruthy();
    expect(fake.callsTo('events:get')).toEqual([{ seq: 42 }]);
    // Closed, the address no longer names it (probe10: a reload reopened the closed detail), filter and order kept.
    window.location.hash = '#/events/42?statusId=2&order=oldest';
    cleanup();
    renderWithApi(<EventsPage route={parseRoute('#/events/42?statusId=2&order=oldest')} />, {
      'events:count': () => ({ count: 100 }),
      'events:query': () => ({ rows: [eventRow(100)], nextBeforeSeq: null, nextAfterSeq: null }),
      'events:get': ({ seq }) => eventDetail(eventRow(seq), '{"raw":42}'),
      'sources:list': () => [],
    });
    const again = await screen.findByRole('complementary', { name: 'Event details' });
    fireEvent.click(within(again).getByRole('button', { name: 'Close event details' }));
    expect(window.location.hash).toBe('#/events?statusId=2&order=oldest');
  });

  it('applies filters from the filter bar', async () => {
    // Apply writes the filter into the address, and the page reads it from there: routed, as in the app.
    window.location.hash = '#/events';
    function Routed() {
      return <EventsPage route={useRoute()} />;
    }
    const { fake } = renderWithApi(<Routed />, {
      'events:count': () => ({ count: 0 }),
      'events:query': () => ({ rows: [], nextBeforeSeq: null, nextAfterSeq: null }),
      'sources:list': () => [],
    });
    expect(await screen.findByText('No events match these filters.')).toBeTruthy();
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Outcome'), 'Failure');
    await user.type(screen.getByLabelText('Actor'), 'bob{Enter}');
    await waitFor(() => expect(fake.callsTo('events:count')).toContainEqual({ filter: { statusId: 2, actor: 'bob' } }));
    expect(fake.callsTo('events:query')).toContainEqual({ filter: { statusId: 2, actor: 'bob' }, order: 'newest', limit: 500 });
    expect(window.location.hash).toBe('#/events?statusId=2&actor=bob');
  });

  it('shows one import\'s events when the address names its batch (#/events?batch=N, from the import history)', async () => {
    const { fake } = renderWithApi(<EventsPage route={parseRoute('#/events?batch=7')} />, {
      'events:count': () => ({ count: 1 }),
      'events:query': () => ({ rows: [eventRow(100)], nextBeforeSeq: null, nextAfterSeq: null }),
      'sources:list': () => [],
    });
    await waitFor(() => expect(fake.callsTo('events:query')).toContainEqual({ filter: { batchId: 7 }, order: 'newest', limit: 500 }));
    expect((fake.callsTo('events:query') as Array<{ filter: { batchId?: number } }>).every((c) => c.filter.batchId === 7)).toBe(true);
    expect(fake.callsTo('events:count')).toContainEqual({ filter: { batchId: 7 } });
    expect((screen.getByLabelText('Batch') as HTMLInputElement).value).toBe('7');
    expect(await screen.findByText(/^1 event matches · /)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Import history' }).getAttribute('href')).toBe('#/events/imports');
  });

  it('says when the address names a filter value it cannot use, instead of silently showing everything', async () => {
    const { fake } = renderWithApi(<EventsPage route={parseRoute('#/events?batch=abc')} />, {
      'events:count': () => ({ count: 1 }),
      'events:query': () => ({ rows: [eventRow(100)], nextBeforeSeq: null, nextAfterSeq: null }),
      'sources:list': () => [],
    });
    expect(await screen.findByText(/^1 event · /)).toBeTruthy();
    expect(await screen.findByText(/The address gave “batch” a value that is not a valid filter; it was left out\./)).toBeTruthy();
    await waitFor(() => expect(fake.callsTo('events:query')).toContainEqual({ filter: {}, order: 'newest', limit: 500 }));
  });
});
