import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRoute } from '../../../../renderer/src/app/router';
import { EventsPage, FILTERS_HIDDEN_KEY, SHORT_WINDOW_QUERY } from '../../../../renderer/src/features/events/EventsPage';
import { eventRow } from '../../helpers/events';
import { useAppStyles } from '../../helpers/app-styles';
import { useFakeLayout } from '../../helpers/layout';
import { renderWithApi } from '../../helpers/render';

useFakeLayout();
useAppStyles();
afterEach(cleanup);
beforeEach(() => window.sessionStorage.clear());

const handlers = (count: number) => ({
  'events:count': () => ({ count }),
  'events:query': () => ({ rows: Array.from({ length: Math.min(count, 3) }, (_, i) => eventRow(100 - i)), nextBeforeSeq: null, nextAfterSeq: null }),
  'sources:list': () => [],
});

const notices = () => screen.getAllByRole('status').map((n) => n.textContent ?? '');

describe('Explorer address', () => {
  it('names a value with broken percent-encoding, an unknown parameter and a repeated one, instead of silently choosing', async () => {
    const { fake } = renderWithApi(<EventsPage route={parseRoute('#/events?actor=%E0%A4%A&foo=bar&statusId=2&statusId=1')} />, handlers(3));
    await waitFor(() => expect(fake.callsTo('events:query')).toContainEqual({ filter: { statusId: 2 }, order: 'newest', limit: 500 }));
    // Not the actor "\uFFFD%A": left out, with the notice that existed for invalid values.
    expect(fake.callsTo('events:query').every((c) => !('actor' in (c as { filter: object }).filter))).toBe(true);
    expect((screen.getByLabelText('Actor') as HTMLInputElement).value).toBe('');
    const said = notices();
    expect(said).toContain('The address gave “actor” a value that is not a valid filter; it was left out.');
    expect(said).toContain('The address named “foo”, which is not a filter of this page; it was left out.');
    expect(said).toContain('The address gave “statusId” more than once; the first value, “2”, was used and the others ignored.');
    // The value of an unknown parameter is never repeated on screen (it may be anything, a secret too).
    expect(said.join(' ')).not.toContain('bar');
  });

  it('says an order it does not know is no order, and lists the latest first (probe10: it was called a bad filter)', async () => {
    const { fake } = renderWithApi(<EventsPage route={parseRoute('#/events?order=asc&statusId=2')} />, handlers(3));
    await waitFor(() => expect(fake.callsTo('events:query')).toContainEqual({ filter: { statusId: 2 }, order: 'newest', limit: 500 }));
    expect(notices()).toEqual(['The address gave “order” the value “asc”, which is no order of this list (“oldest” or “newest”); the latest recorded are listed first.']);
  });

  it('marks hidden characters in what the address named', async () => {
    renderWithApi(<EventsPage route={parseRoute('#/events?actor=bob&actor=%E2%80%AEevil')} />, handlers(1));
    expect(await screen.findByText('The address gave “actor” more than once; the first value, “bob”, was used and the others ignored.')).toBeTruthy();
    renderWithApi(<EventsPage route={parseRoute('#/events?x%E2%80%AEy=1')} />, handlers(1));
    expect(await screen.findByText('The address named “x[U+202E]y”, which is not a filter of this page; it was left out.')).toBeTruthy();
  });

  it('says "1 event matches" and "2 events match" when filtered, "1 event" when not', async () => {
    renderWithApi(<EventsPage route={parseRoute('#/events?statusId=2')} />, handlers(1));
    expect(await screen.findByText(/^1 event matches · times in/)).toBeTruthy();
    cleanup();
    renderWithApi(<EventsPage route={parseRoute('#/events?statusId=2')} />, handlers(2));
    expect(await screen.findByText(/^2 events match · times in/)).toBeTruthy();
    cleanup();
    renderWithApi(<EventsPage route={parseRoute('#/events')} />, handlers(1));
    expect(await screen.findByText(/^1 event · times in/)).toBeTruthy();
  });
});

describe('Folding the filter area', () => {
  it('folds import and filters into a line that still names every filter applied, by keyboard, and keeps the choice for the session', async () => {
    const user = userEvent.setup();
    const { container } = renderWithApi(<EventsPage route={parseRoute('#/events?statusId=2&actor=bob&batchId=7')} />, handlers(3));
    const form = await screen.findByRole('form', { name: 'Filter events' });
    const hide = screen.getByRole('button', { name: 'Hide filters' });
    expect(hide.getAttribute('aria-expanded')).toBe('true');
    expect(hide.getAttribute('aria-controls')).toBe(form.id);

    // Keyboard only: Tab to the button, press Enter.
    hide.focus();
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('form', { name: 'Filter events' })).toBeNull();
    // Not only marked hidden: not displayed (the bar's display: flex beat the hidden attribute).
    expect(getComputedStyle(form).display).toBe('none');
    const importArea = container.querySelector('.import-area') as HTMLElement;
    expect(importArea.hidden).toBe(true);
    expect(getComputedStyle(importArea).display).toBe('none');
    const show = screen.getByRole('button', { name: 'Show filters (3 active)' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    await waitFor(() => expect(document.activeElement).toBe(show));
    const summary = screen.getByRole('group', { name: 'Filters applied' });
    for (const part of ['Outcome: Failure', 'Actor: “bob”', 'Batch 7']) expect(within(summary).getByText(part)).toBeTruthy();
    expect(window.sessionStorage.getItem(FILTERS_HIDDEN_KEY)).toBe('true');

    // Another visit in the same session opens folded.
    cleanup();
    renderWithApi(<EventsPage route={parseRoute('#/events')} />, handlers(3));
    expect(await screen.findByRole('button', { name: 'Show filters' })).toBeTruthy();
    expect(screen.getByText('No filter applied: all events are listed.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Show filters' }));
    expect(screen.getByRole('form', { name: 'Filter events' })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Hide filters' })));
    expect(window.sessionStorage.getItem(FILTERS_HIDDEN_KEY)).toBe('false');
  });

  it('opens folded in a short window (1024×768) until the officer unfolds it, and unfolded in a tall one', async () => {
    const media = (short: boolean) => vi.fn((query: string) => ({ matches: short && query === SHORT_WINDOW_QUERY, media: query }) as unknown as MediaQueryList);
    const original = window.matchMedia;
    try {
      window.matchMedia = media(true);
      renderWithApi(<EventsPage route={parseRoute('#/events?statusId=2')} />, handlers(3));
      expect(await screen.findByRole('button', { name: 'Show filters (1 active)' })).toBeTruthy();
      expect(window.sessionStorage.getItem(FILTERS_HIDDEN_KEY)).toBeNull(); // not a choice the officer made
      await userEvent.setup().click(screen.getByRole('button', { name: 'Show filters (1 active)' }));
      cleanup();
      // The choice, once made, holds in the short window too.
      renderWithApi(<EventsPage route={parseRoute('#/events')} />, handlers(3));
      expect(await screen.findByRole('button', { name: 'Hide filters' })).toBeTruthy();
      cleanup();
      window.sessionStorage.clear();
      window.matchMedia = media(false);
      renderWithApi(<EventsPage route={parseRoute('#/events')} />, handlers(3));
      expect(await screen.findByRole('button', { name: 'Hide filters' })).toBeTruthy();
    } finally {
      window.matchMedia = original;
    }
  });

  it('keeps a draft not yet applied while folded', async () => {
    const user = userEvent.setup();
    renderWithApi(<EventsPage route={parseRoute('#/events')} />, handlers(3));
    await user.type(await screen.findByLabelText('Actor'), 'alice');
    await user.click(screen.getByRole('button', { name: 'Hide filters' }));
    await user.click(screen.getByRole('button', { name: 'Show filters' }));
    expect((screen.getByLabelText('Actor') as HTMLInputElement).value).toBe('alice');
  });

  it('keeps a running import in view while folded', async () => {
    window.sessionStorage.setItem(FILTERS_HIDDEN_KEY, 'true');
    const { container, fake } = renderWithApi(<EventsPage route={parseRoute('#/events')} />, {
      ...handlers(3),
      'ingest:start': () => ({ jobId: 'job-1' }),
      'ingest:result': () => ({ state: 'running', summaries: [] }),
    });
    await screen.findByRole('button', { name: 'Show filters' });
    const area = container.querySelector('.import-area') as HTMLElement;
    expect(area.hidden).toBe(true);
    const dropzone = area.querySelector('.dropzone') as HTMLElement;
    await act(async () => {
      fireEvent.drop(dropzone, { dataTransfer: { files: [new File(['x\n'], 'okta.jsonl')], types: ['Files'] } });
    });
    await waitFor(() => expect(fake.callsTo('ingest:start')).toHaveLength(1));
    await waitFor(() => expect(area.hidden).toBe(false));
    expect(within(area).getByRole('button', { name: 'Cancel' })).toBeTruthy();
  });
});
