import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventFilter } from '../../../../shared/contract';
import { useRoute } from '../../../../renderer/src/app/router';
import { EventsPage } from '../../../../renderer/src/features/events/EventsPage';
import { eventDetail, eventRow } from '../../helpers/events';
import { useAppStyles } from '../../helpers/app-styles';
import { useFakeLayout } from '../../helpers/layout';
import { renderWithApi } from '../../helpers/render';

useFakeLayout();
useAppStyles();
afterEach(cleanup);
beforeEach(() => window.sessionStorage.clear());

/** The explorer as the app shows it: its route read from the address. */
function Routed() {
  return <EventsPage route={useRoute()} />;
}

const handlers = {
  'events:count': () => ({ count: 3 }),
  'events:query': () => ({ rows: [eventRow(100), eventRow(99), eventRow(98)], nextBeforeSeq: null, nextAfterSeq: null }),
  'events:get': () => eventDetail(eventRow(100), 'raw line 100'),
  'sources:list': () => [],
};

type QueryCall = { filter: EventFilter };

/** Waits until the table's latest query asked for `filter`. */
async function lastQueryIs(fake: { callsTo(channel: string): unknown[] }, filter: EventFilter) {
  await waitFor(() => expect((fake.callsTo('events:query').at(-1) as QueryCall).filter).toEqual(filter));
}

const actorField = () => screen.getByLabelText('Actor') as HTMLInputElement;

/** Goes back one history entry and waits for the address to change (happy-dom goes back asynchronously). */
async function goBack() {
  const before = window.location.hash;
  window.history.back();
  await waitFor(() => expect(window.location.hash).not.toBe(before));
}

describe('Explorer address follows the filter on screen', () => {
  it('writes Apply and Clear into the address, each a history entry, and Back returns to the filter before', async () => {
    window.location.hash = '#/events?actor=z5';
    const user = userEvent.setup();
    const { fake } = renderWithApi(<Routed />, handlers);
    await lastQueryIs(fake, { actor: 'z5' });
    const apply = screen.getByRole('button', { name: 'Apply' });

    await user.clear(actorField());
    await user.type(actorField(), 'z4');
    await user.click(apply);
    await waitFor(() => expect(window.location.hash).toBe('#/events?actor=z4'));
    await lastQueryIs(fake, { actor: 'z4' });
    // The explorer was not remounted: the same button, still focused.
    expect(screen.getByRole('button', { name: 'Apply' })).toBe(apply);
    expect(document.activeElement).toBe(apply);

    await user.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(window.location.hash).toBe('#/events'));
    await lastQueryIs(fake, {});

    await goBack();
    expect(window.location.hash).toBe('#/events?actor=z4');
    await lastQueryIs(fake, { actor: 'z4' });
    // The bar shows the filter the address names, not the draft left by Clear.
    await waitFor(() => expect(actorField().value).toBe('z4'));

    await goBack();
    expect(window.location.hash).toBe('#/events?actor=z5');
    await lastQueryIs(fake, { actor: 'z5' });
    await waitFor(() => expect(actorField().value).toBe('z5'));
  });

  it('writes the address as links write it, so a reload shows the same filter', async () => {
    // The short form ?batch=N and a value with spaces, re-applied, become the form eventsLink writes.
    window.location.hash = '#/events?batch=3&actor=%20bob%20';
    const user = userEvent.setup();
    const { fake } = renderWithApi(<Routed />, handlers);
    await lastQueryIs(fake, { actor: 'bob', batchId: 3 });
    await user.selectOptions(screen.getByLabelText('Outcome'), '2');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(window.location.hash).toBe('#/events?statusId=2&actor=bob&batchId=3'));
    await lastQueryIs(fake, { statusId: 2, actor: 'bob', batchId: 3 });

    // A reload: a fresh page on the address now shown.
    cleanup();
    const again = renderWithApi(<Routed />, handlers);
    await lastQueryIs(again.fake, { statusId: 2, actor: 'bob', batchId: 3 });
    expect(actorField().value).toBe('bob');
  });

  it('applies the same filter again without a new history entry, and still starts the table over', async () => {
    window.location.hash = '#/events?actor=z5';
    const user = userEvent.setup();
    const { fake } = renderWithApi(<Routed />, handlers);
    await lastQueryIs(fake, { actor: 'z5' });
    const queries = fake.callsTo('events:query').length;
    const entries = window.history.length;
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(fake.callsTo('events:query').length).toBe(queries + 1));
    expect(window.location.hash).toBe('#/events?actor=z5');
    expect(window.history.length).toBe(entries);
  });

  it('keeps an event opened by the address (#/events/SEQ): Apply closes it, Back opens it again', async () => {
    window.location.hash = '#/events/100?actor=z5';
    const user = userEvent.setup();
    const { fake } = renderWithApi(<Routed />, handlers);
    expect(await screen.findByRole('complementary', { name: 'Event details' })).toBeTruthy();
    await lastQueryIs(fake, { actor: 'z5' });

    await user.clear(actorField());
    await user.type(actorField(), 'z4');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(window.location.hash).toBe('#/events?actor=z4'));
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Event details' })).toBeNull());

    await goBack();
    expect(window.location.hash).toBe('#/events/100?actor=z5');
    expect(await screen.findByRole('complementary', { name: 'Event details' })).toBeTruthy();
    await lastQueryIs(fake, { actor: 'z5' });
  });

  it('says that a negative time in the address was left out', async () => {
    window.location.hash = '#/events?until=-5&statusId=2';
    const { fake } = renderWithApi(<Routed />, handlers);
    await lastQueryIs(fake, { statusId: 2 });
    expect(await screen.findByText('The address gave “until” a value that is not a valid filter; it was left out.')).toBeTruthy();
  });
});
