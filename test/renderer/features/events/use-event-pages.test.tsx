import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { EventFilter } from '../../../../shared/contract';
import { createApiClient } from '../../../../renderer/src/api';
import { PAGE_SIZE, useEventPages } from '../../../../renderer/src/features/events/use-event-pages';
import { createFakeTransport } from '../../helpers/fake-transport';
import { eventRow } from '../../helpers/events';

/** A log of seqs 1..n, served newest first in keyset pages as events:query does. */
function logOf(n: number) {
  return createFakeTransport({
    'events:count': () => ({ count: n }),
    'events:query': ({ beforeSeq, limit }) => {
      const top = Math.min(n, (beforeSeq ?? n + 1) - 1);
      const rows = Array.from({ length: Math.max(0, Math.min(limit, top)) }, (_, i) => eventRow(top - i));
      const last = rows[rows.length - 1]?.seq;
      return { rows, nextBeforeSeq: last === undefined || last <= 1 ? null : last, nextAfterSeq: null };
    },
  });
}

describe('useEventPages', () => {
  it('stops at its window and continues with the older events in a fresh one, then back to the latest', async () => {
    const fake = logOf(5_000);
    const api = createApiClient(fake.transport);
    const filter: EventFilter = {};
    const window = 2 * PAGE_SIZE;
    const { result } = renderHook(() => useEventPages(api, filter, window));
    await waitFor(() => expect(result.current.rows.length).toBe(PAGE_SIZE));
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.rows.length).toBe(window));
    // Full: no more pages into this window, however often the table asks.
    expect(result.current.hasMore).toBe(false);
    expect(result.current.olderBeyondWindow).toBe(true);
    act(() => result.current.loadMore());
    expect(fake.callsTo('events:query')).toHaveLength(2);

    act(() => result.current.continueOlder());
    await waitFor(() => expect(result.current.rows[0]?.seq).toBe(4_000));
    expect(result.current.startsBefore).toBe(4_001);
    expect(fake.callsTo('events:query').at(-1)).toEqual({ filter: {}, limit: PAGE_SIZE, beforeSeq: 4_001 });

    act(() => result.current.backToLatest());
    await waitFor(() => expect(result.current.rows[0]?.seq).toBe(5_000));
    expect(result.current.startsBefore).toBeNull();
  });
});
