import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { EventFilter } from '../../../../shared/contract';
import { createApiClient } from '../../../../renderer/src/api';
import { PAGE_SIZE, useEventPages } from '../../../../renderer/src/features/events/use-event-pages';
import { createFakeTransport } from '../../helpers/fake-transport';
import { eventRow } from '../../helpers/events';

/** A log of seqs 1..n, served in keyset pages as events:query does (newest first, or oldest first). */
function logOf(n: number) {
  return createFakeTransport({
    'events:count': () => ({ count: n }),
    'events:query': ({ order, beforeSeq, afterSeq, limit }) => {
      if (order === 'oldest') {
        const from = (afterSeq ?? 0) + 1;
        const rows = Array.from({ length: Math.max(0, Math.min(limit, n - from + 1)) }, (_, i) => eventRow(from + i));
        const last = rows[rows.length - 1]?.seq;
        // As queryEvents: a full page leaves a cursor, even when nothing lies beyond it.
        return { rows, nextBeforeSeq: null, nextAfterSeq: last !== undefined && rows.length === limit ? last : null };
      }
      const top = Math.min(n, (beforeSeq ?? n + 1) - 1);
      const rows = Array.from({ length: Math.max(0, Math.min(limit, top)) }, (_, i) => eventRow(top - i));
      const last = rows[rows.length - 1]?.seq;
      return { rows, nextBeforeSeq: last !== undefined && rows.length === limit ? last : null, nextAfterSeq: null };
    },
  });
}

describe('useEventPages', () => {
  it('stops at its window and continues with the older events in a fresh one, then back to the latest', async () => {
    const fake = logOf(5_000);
    const api = createApiClient(fake.transport);
    const filter: EventFilter = {};
    const window = 2 * PAGE_SIZE;
    const { result } = renderHook(() => useEventPages(api, filter, 'newest', window));
    await waitFor(() => expect(result.current.rows.length).toBe(PAGE_SIZE));
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.rows.length).toBe(window));
    // Full: no more pages into this window, however often the table asks.
    expect(result.current.hasMore).toBe(false);
    await waitFor(() => expect(result.current.moreBeyondWindow).toBe(true));
    act(() => result.current.loadMore());
    // Two pages, and one row past the window to know that a next window has events.
    expect(fake.callsTo('events:query')).toEqual([
      { filter: {}, order: 'newest', limit: PAGE_SIZE },
      { filter: {}, order: 'newest', limit: PAGE_SIZE, beforeSeq: 4_501 },
      { filter: {}, order: 'newest', limit: 1, beforeSeq: 4_001 },
    ]);

    const lastTime = result.current.rows[window - 1]!.time;
    act(() => result.current.continueWindow());
    await waitFor(() => expect(result.current.rows[0]?.seq).toBe(4_000));
    expect(result.current.windowStart).toEqual({ seq: 4_001, time: lastTime });
    expect(fake.callsTo('events:query').at(-1)).toEqual({ filter: {}, order: 'newest', limit: PAGE_SIZE, beforeSeq: 4_001 });

    act(() => result.current.backToStart());
    await waitFor(() => expect(result.current.rows[0]?.seq).toBe(5_000));
    expect(result.current.windowStart).toBeNull();
  });

  it('pages oldest first from the first event, continues with newer ones past its window, and starts over when the order changes', async () => {
    const fake = logOf(5_000);
    const api = createApiClient(fake.transport);
    const filter: EventFilter = {};
    const window = 2 * PAGE_SIZE;
    const { result, rerender } = renderHook(({ order }: { order: 'newest' | 'oldest' }) => useEventPages(api, filter, order, window), { initialProps: { order: 'oldest' } });
    await waitFor(() => expect(result.current.rows.length).toBe(PAGE_SIZE));
    expect(result.current.rows[0]?.seq).toBe(1);
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.rows.length).toBe(window));
    expect(result.current.rows[window - 1]?.seq).toBe(window);
    expect(fake.callsTo('events:query')[1]).toEqual({ filter: {}, order: 'oldest', limit: PAGE_SIZE, afterSeq: PAGE_SIZE });
    await waitFor(() => expect(result.current.moreBeyondWindow).toBe(true));
    expect(fake.callsTo('events:query')[2]).toEqual({ filter: {}, order: 'oldest', limit: 1, afterSeq: window });

    act(() => result.current.continueWindow());
    await waitFor(() => expect(result.current.rows[0]?.seq).toBe(window + 1));
    expect(result.current.windowStart?.seq).toBe(window);

    // Another order is another list: it starts at its own beginning, not at the other's window.
    rerender({ order: 'newest' });
    await waitFor(() => expect(result.current.rows[0]?.seq).toBe(5_000));
    expect(result.current.windowStart).toBeNull();
  });

  it('offers no next window when the window holds the last of the events exactly (probe10: an empty window followed)', async () => {
    for (const order of ['newest', 'oldest'] as const) {
      const fake = logOf(2 * PAGE_SIZE);
      const api = createApiClient(fake.transport);
      const filter: EventFilter = {};
      const { result, unmount } = renderHook(() => useEventPages(api, filter, order, 2 * PAGE_SIZE));
      await waitFor(() => expect(result.current.rows.length).toBe(PAGE_SIZE));
      act(() => result.current.loadMore());
      await waitFor(() => expect(result.current.rows.length).toBe(2 * PAGE_SIZE));
      // The last full page leaves a cursor; nothing lies beyond it.
      await waitFor(() => expect(fake.callsTo('events:query').length).toBeGreaterThanOrEqual(3));
      await waitFor(() => expect(result.current.loading).toBe(false));
      expect(result.current.moreBeyondWindow).toBe(false);
      unmount();
    }
  });
});
