import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OverviewPage } from '../../../../renderer/src/features/overview/OverviewPage';
import { renderWithApi } from '../../helpers/render';

afterEach(cleanup);

describe('OverviewPage', () => {
  it('shows an empty state, not a chart, for an empty vault', async () => {
    const { container, fake } = renderWithApi(<OverviewPage />, {
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

  it('shows the totals from the query when the vault has events', async () => {
    renderWithApi(<OverviewPage />, {
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

  it('uses the singular for one event and one failure', async () => {
    renderWithApi(<OverviewPage />, {
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
    renderWithApi(<OverviewPage />, {
      'events:overview': () => {
        throw new AttestError('LOCKED', 'The vault is locked.');
      },
    });
    expect((await screen.findByRole('alert')).textContent).toBe('The vault is locked.');
  });
});
