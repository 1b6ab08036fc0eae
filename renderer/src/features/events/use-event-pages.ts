import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventFilter, EventOrder, EventRow, NearMatches } from '../../../../shared/contract';
import { errorMessage, type ApiClient } from '../../api';

export const PAGE_SIZE = 500;
/**
 * Rows held at once. A browser caps an element's height (Chromium: 33,554,432 px, about 932,000 rows of
 * 36 px), so a table that kept growing lost everything past the cap; past this many rows the operator
 * continues with the rest in a fresh window instead (keyset: no offset, no cost with depth).
 */
export const WINDOW_ROWS = 200_000;

/** Where a continued window starts: after this event of the window before (its seq, and its time to show). */
export interface WindowStart {
  seq: number;
  time: number;
}

export interface EventPages {
  /** Rows loaded so far, in the order asked for. The array grows in place; `version` changes when it does. */
  rows: EventRow[];
  version: number;
  total: number | null;
  /** With a total of 0: stored values close to the actor, IP or source the filter named. */
  nearMatches: NearMatches | null;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  loadMore(): void;
  reload(): void;
  /** The window is full and more events remain (older, or newer oldest first): continueWindow() shows them. */
  moreBeyondWindow: boolean;
  continueWindow(): void;
  /** Set while the window does not start at the first event of the order: it continues after this one. */
  windowStart: WindowStart | null;
  /** Back to the start of the order (the latest events, or the oldest). */
  backToStart(): void;
}

/**
 * Keyset paging over events:query: each page asks for rows beyond the last seq seen (below it newest first,
 * above it oldest first), so page N costs the same as page 1 however deep the operator scrolls. Responses
 * for an older filter or order are dropped.
 */
export function useEventPages(api: ApiClient, filter: EventFilter, order: EventOrder = 'newest', windowRows: number = WINDOW_ROWS): EventPages {
  const rowsRef = useRef<EventRow[]>([]);
  const cursorRef = useRef<number | null | undefined>(undefined); // undefined: first page; null: no more
  const generationRef = useRef(0);
  const loadingRef = useRef(false);
  const [version, setVersion] = useState(0);
  const [total, setTotal] = useState<number | null>(null);
  const [nearMatches, setNearMatches] = useState<NearMatches | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  // Where the window starts, for the filter and order it was chosen under (a new one starts from the first).
  const [anchor, setAnchor] = useState<{ filter: EventFilter; order: EventOrder; start: WindowStart } | null>(null);
  // Whether anything lies past a full window, for the generation it was asked in: a full last page leaves a
  // cursor even when nothing follows it, and "Continue" then opened an empty window (probe10).
  const [beyond, setBeyond] = useState<{ generation: number; more: boolean } | null>(null);
  const windowStart = anchor !== null && anchor.filter === filter && anchor.order === order ? anchor.start : null;

  const fetchPage = useCallback(
    (generation: number) => {
      if (loadingRef.current || cursorRef.current === null) return;
      loadingRef.current = true;
      setLoading(true);
      const cursor = cursorRef.current ?? windowStart?.seq;
      const after = order === 'oldest';
      api
        .call('events:query', { filter, order, limit: PAGE_SIZE, ...(cursor === undefined ? {} : after ? { afterSeq: cursor } : { beforeSeq: cursor }) })
        .then((page) => {
          if (generation !== generationRef.current) return;
          rowsRef.current.push(...page.rows);
          const next = page.rows.length === 0 ? null : after ? page.nextAfterSeq : page.nextBeforeSeq;
          cursorRef.current = next;
          setVersion((v) => v + 1);
          if (next !== null && rowsRef.current.length >= windowRows) {
            // One row past the window tells whether a next window has anything in it.
            void api
              .call('events:query', { filter, order, limit: 1, ...(after ? { afterSeq: next } : { beforeSeq: next }) })
              .then((peek) => generation === generationRef.current && setBeyond({ generation, more: peek.rows.length > 0 }))
              .catch((err: unknown) => generation === generationRef.current && setError(errorMessage(err)));
          }
        })
        .catch((err: unknown) => {
          if (generation === generationRef.current) setError(errorMessage(err));
        })
        .finally(() => {
          if (generation !== generationRef.current) return;
          loadingRef.current = false;
          setLoading(false);
        });
    },
    [api, filter, order, windowStart, windowRows],
  );

  useEffect(() => {
    const generation = ++generationRef.current;
    rowsRef.current = [];
    cursorRef.current = undefined;
    loadingRef.current = false;
    setVersion((v) => v + 1);
    setTotal(null);
    setNearMatches(null);
    setError(null);
    api
      .call('events:count', { filter })
      .then((r) => {
        if (generation !== generationRef.current) return;
        setTotal(r.count);
        setNearMatches(r.nearMatches ?? null);
      })
      .catch((err: unknown) => generation === generationRef.current && setError(errorMessage(err)));
    fetchPage(generation);
  }, [api, filter, fetchPage, reloads, windowStart]);

  return {
    rows: rowsRef.current,
    version,
    total,
    nearMatches,
    // After a failure stop asking (no retry storm); the filter bar or reload() starts over.
    hasMore: cursorRef.current !== null && error === null && rowsRef.current.length < windowRows,
    loading,
    error,
    loadMore: () => {
      if (error === null && rowsRef.current.length < windowRows) fetchPage(generationRef.current);
    },
    reload: () => setReloads((n) => n + 1),
    moreBeyondWindow:
      rowsRef.current.length >= windowRows && typeof cursorRef.current === 'number' && error === null && beyond !== null && beyond.generation === generationRef.current && beyond.more,
    continueWindow: () => {
      const last = rowsRef.current[rowsRef.current.length - 1];
      if (typeof cursorRef.current === 'number' && last) setAnchor({ filter, order, start: { seq: cursorRef.current, time: last.time } });
    },
    windowStart,
    backToStart: () => setAnchor(null),
  };
}
