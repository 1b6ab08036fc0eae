import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TopFailuresChart } from '../../../../renderer/src/features/overview/TopFailuresChart';
import { useAppStyles } from '../../helpers/app-styles';

useAppStyles();
afterEach(cleanup);

const LONG = `svc-${'very-long-actor-name-'.repeat(18)}end@example.com`;

describe('Top failures "As a table"', () => {
  it('cuts a very long name with an ellipsis inside its cell, whole in the title, and keeps the count its own column', () => {
    render(<TopFailuresChart title="Top failing actors" rows={[{ key: LONG, count: 7784 }, { key: 'bob', count: 3 }]} linkFor={(k) => `#/events?actor=${encodeURIComponent(k)}`} />);
    const table = screen.getByRole('table');
    const link = within(table).getByRole('link', { name: LONG });
    const cell = link.closest('td') as HTMLElement;
    // A block link clipped by its cell: it was a 2,400 px inline anchor under the count cell.
    const a = getComputedStyle(link);
    expect([a.display, a.overflow, a.textOverflow, a.whiteSpace]).toEqual(['block', 'hidden', 'ellipsis', 'nowrap']);
    expect(cell.getAttribute('title')).toBe(LONG);
    expect(link.getAttribute('title')).toBe(LONG);
    expect(getComputedStyle(table).tableLayout).toBe('fixed');
    // The count's column has a width of its own; the name takes the rest, and never its cell.
    const countHeader = within(table).getByRole('columnheader', { name: 'Failures' });
    expect(getComputedStyle(countHeader).width).toMatch(/^\d+(\.\d+)?(em|px)$/);
    const count = within(table).getByText('7,784');
    expect(count.tagName).toBe('TD');
    expect(count.querySelector('a')).toBeNull();
  });
});
