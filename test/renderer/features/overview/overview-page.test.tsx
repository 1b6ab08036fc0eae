import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useRoute } from '../../../../renderer/src/app/router';
import { OverviewPage } from '../../../../renderer/src/features/overview/OverviewPage';
import { renderWithApi } from '../../helpers/render';

afterEach(cleanup);
beforeEach(() => {
  window.location.hash = '#/overview';
});

/** The page as the shell renders it: with the route of the address, which its period lives in. */
function Routed() {
  return <OverviewPage route={useRoute()} />;
}

describe('OverviewPage', () => {
  it('shows an empty state, not a chart, for an empty vault', async () => {
    const { container, fake } = renderWithApi(<Routed />, {
      'events:overview': () => ({ total: 0, bucketMs: 86_400_000, series: [], topFailingActors: [], topFailingIps: [] }),
    });
    expect(await screen.findByText('The vault holds no events yet.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Events' }).getAttribute('href')).toBe('#/events');
    expect(container.querySelector('svg')).toBeNull();
    expect(container.querySelector('.recharts-wrapper')).toBeNull();
    expect(container.querySelector('.stat')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Top failing actors' })).toBeNull();
    expect(fake.callsTo('events:overview')).toEqual([{}]);
  });

  it('fixes a preset period when it is chosen, and links to the same events the charts count (services only)', async () => {
    // Outside probe: "Show these events" for the last 24 hours opened 278 events against the chart's 170:
    // Attest's own unlocks were listed, and the open end let the list grow.
    const { fake } = renderWithApi(<Routed />, {
      'events:overview': () => ({ total: 5, bucketMs: 3_600_000, series: [{ t: Date.UTC(2026, 10, 1), success: 4, failure: 1, other: 0 }], topFailingActors: [{ key: 'bob', count: 1 }], topFailingIps: [] }),
    });
    await screen.findByText('Events over time by outcome');
    const before = Date.now();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Period' }), 'Last 24 hours');
    await waitFor(() => expect(fake.callsTo('events:overview')).toHaveLength(2));
    const request = fake.callsTo('events:overview')[1] as { since: number; until: number };
    expect(request.until - request.since).toBe(86_400_000 + 1);
    expect(request.until).toBeGreaterThan(before);
    await waitFor(() => expect(screen.getByRole('link', { name: 'Show these events' }).getAttribute('href')).toBe(`#/events?since=${request.since}&until=${request.until}&hideOwn=1`));
  });

  it('shows the totals from the query when the vault has events', async () => {
    renderWithApi(<Routed />, {
      'events:overview': () => ({
        total: 1234,
        bucketMs: 86_400_000,
        series: [
          { t: Date.UTC(2026, 10, 1), success: 600, failure: 30, other: 4 },
          { t: Date.UTC(2026, 10, 2), success: 590, failure: 8, other: 2 },
        ],
        topFailingActors: [{ key: 'bob', count: 30 }],
        topFailingIps: [],
      }),
    });
    expect(await screen.findByText('1,234')).toBeTruthy();
    expect(screen.getByText('38')).toBeTruthy(); // failures: 30 + 8
    expect(screen.getByRole('heading', { name: 'Events over time by outcome' })).toBeTruthy();
    expect(screen.getByText('No failures recorded.')).toBeTruthy(); // the IP list is empty
  });

  it('says what its address gave that it leaves out: a bad period bound, the explorer\'s other filters, a repeat', async () => {
    window.location.hash = `#/overview?since=yesterday&until=${Date.UTC(2026, 10, 2)}&until=5&actor=bob&foo=secret&order=oldest`;
    const { fake } = renderWithApi(<Routed />, {
      'events:overview': () => ({ total: 0, bucketMs: 86_400_000, series: [], topFailingActors: [], topFailingIps: [] }),
    });
    expect(await screen.findByText(/The address gave “since” a value that is not a valid filter; it was left out\./)).toBeTruthy();
    expect(screen.getByText(/The address named “foo”, “actor”, “order”, which are not filters of this page; they were left out\./)).toBeTruthy();
    expect(screen.getByText(/The address gave “until” more than once; the first value, “1793577600000”, was used/)).toBeTruthy();
    expect(screen.queryByText(/secret/)).toBeNull();
    await waitFor(() => expect(fake.callsTo('events:overview')).toContainEqual({ until: Date.UTC(2026, 10, 2) }));
  });

  it('uses the singular for one event and one failure', async () => {
    renderWithApi(<Routed />, {
      'events:overview': () => ({
        total: 1,
        bucketMs: 60_000,
        series: [{ t: Date.UTC(2026, 10, 1), success: 0, failure: 1, other: 0 }],
        topFailingActors: [{ key: 'bob', count: 1 }],
        topFailingIps: [],
      }),
    });
    expect(await screen.findByText('event')).toBeTruthy();
    expect(screen.getByText('failure')).toBeTruthy();
    expect(screen.queryByText('events')).toBeNull();
  });

  it('says plainly when the query fails', async () => {
    const { AttestError } = await import('../../../../shared/result');
    renderWithApi(<Routed />, {
      'events:overview': () => {
        throw new AttestError('LOCKED', 'The vault is locked.');
      },
    });
    expect((await screen.findByRole('alert')).textContent).toBe('The vault is locked.');
  });

  it('narrows to a typed period, links it and each failing actor to the explorer, and goes back', async () => {
    const OVERVIEW = {
      total: 50,
      bucketMs: 3_600_000,
      series: [{ t: Date.UTC(2026, 10, 1, 10), success: 40, failure: 10, other: 0 }],
      topFailingActors: [{ key: 'bob <b>', count: 10 }],
      topFailingIps: [{ key: '192.0.2.7', count: 10 }],
    };
    const { fake } = renderWithApi(<Routed />, { 'events:overview': () => OVERVIEW });
    await screen.findByText('50');
    const user = userEvent.setup();
    const form = screen.getByRole('form', { name: 'Custom period' });
    await user.type(within(form).getByLabelText('From'), '2026-11-01T10:00');
    await user.type(within(form).getByLabelText('Until'), '2026-11-01T12:00');
    await user.click(within(form).getByRole('button', { name: 'Show period' }));
    const since = new Date('2026-11-01T10:00').getTime();
    const until = new Date('2026-11-01T12:00').getTime();
    await waitFor(() => expect(fake.callsTo('events:overview')).toContainEqual({ since, until }));
    expect(screen.getByRole('status').textContent).toMatch(/^Showing .+ to .+\./);
    expect(screen.getByRole('link', { name: 'Show these events' }).getAttribute('href')).toBe(`#/events?since=${since}&until=${until}&hideOwn=1`);
    // The table under each chart: exact counts, each a link to those failures in the period.
    const actors = screen.getAllByText('As a table')[0]!;
    await user.click(actors);
    const link = screen.getByRole('link', { name: 'bob <b>' });
    expect(link.getAttribute('href')).toBe(`#/events?since=${since}&until=${until}&actor=bob+%3Cb%3E&statusId=2&hideOwn=1`);
    await user.click(screen.getByRole('button', { name: 'Back to all time' }));
    await waitFor(() => expect(fake.callsTo('events:overview').at(-1)).toEqual({}));
    expect(screen.queryByRole('button', { name: 'Back to all time' })).toBeNull();
  });

  it('refuses a period that ends before it starts', async () => {
    renderWithApi(<Routed />, {
      'events:overview': () => ({ total: 1, bucketMs: 60_000, series: [{ t: 0, success: 1, failure: 0, other: 0 }], topFailingActors: [], topFailingIps: [] }),
    });
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Custom period' });
    await user.type(within(form).getByLabelText('From'), '2026-11-02T10:00');
    await user.type(within(form).getByLabelText('Until'), '2026-11-01T10:00');
    await user.click(within(form).getByRole('button', { name: 'Show period' }));
    expect(screen.getByText('From is not before Until.')).toBeTruthy();
  });

  it('says a custom period is empty, not that the vault is', async () => {
    let calls = 0;
    renderWithApi(<Routed />, {
      'events:overview': () =>
        calls++ === 0
          ? { total: 1, bucketMs: 60_000, series: [{ t: 0, success: 1, failure: 0, other: 0 }], topFailingActors: [], topFailingIps: [] }
          : { total: 0, bucketMs: 60_000, series: [], topFailingActors: [], topFailingIps: [] },
    });
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Custom period' });
    await user.type(within(form).getByLabelText('From'), '2030-01-01T10:00');
    await user.click(within(form).getByRole('button', { name: 'Show period' }));
    expect(await screen.findByText('No events in this period.')).toBeTruthy();
    expect(screen.queryByText('The vault holds no events yet.')).toBeNull();
  });

  it('keeps a custom period in the address, so Back returns to the period before', async () => {
    const { fake } = renderWithApi(<Routed />, {
      'events:overview': () => ({ total: 1, bucketMs: 60_000, series: [{ t: 0, success: 1, failure: 0, other: 0 }], topFailingActors: [], topFailingIps: [] }),
    });
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Custom period' });
    await user.type(within(form).getByLabelText('From'), '2026-11-01T10:00');
    await user.click(within(form).getByRole('button', { name: 'Show period' }));
    const since = new Date('2026-11-01T10:00').getTime();
    await waitFor(() => expect(window.location.hash).toBe(`#/overview?since=${since}`));
    await waitFor(() => expect(fake.callsTo('events:overview').at(-1)).toEqual({ since }));
    // An address with a period opens on it (a link, a reload, Back).
    cleanup();
    window.location.hash = `#/overview?since=${since}&until=${since + 3_600_000}`;
    const again = renderWithApi(<Routed />, {
      'events:overview': () => ({ total: 1, bucketMs: 60_000, series: [{ t: since, success: 1, failure: 0, other: 0 }], topFailingActors: [], topFailingIps: [] }),
    });
    await waitFor(() => expect(again.fake.callsTo('events:overview')).toEqual([{ since, until: since + 3_600_000 }]));
    expect(within(screen.getByRole('form', { name: 'Custom period' })).getByLabelText('From')).toHaveProperty('value', '2026-11-01T10:00');
  });
});
