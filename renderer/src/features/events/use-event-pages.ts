import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventFilter, EventRow, NearMatches } from '../../../../shared/contract';
import { errorMessage, type ApiClient } from '../../api';

export const PAGE_SIZE = 500;
/**
 * Rows held at once. A browser caps an element's height (Chromium: 33,554,432 px, about 932,000 rows of
 * 36 px), so a table that kept growing lost everything past the cap; past this many rows the operator
 * continues with the older events in a fresh window instead (keyset: no offset, no cost with depth).
 */
export const WINDOW_ROWS = 200_000;

export interface EventPages {
  /** Rows loaded so far, newest first. The array grows in place; `version` changes when it does. */
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
  /** The window is full and older events remain: continueOlder() shows them. */
  olderBeyondWindow: boolean;
  continueOlder(): void;
  /** Set while the window starts below the latest events: it shows events recorded before this seq. */
  startsBefore: number | null;
  backToLatest(): void;
}

/**
 * Keyset paging over events:query: each page asks for rows below the last seq seen, so page N costs the same
 * as page 1 however deep the operator scrolls. Responses for an older filter are dropped.
 */
export function useEventPages(api: ApiClient, filter: EventFilter, windowRows: number = WINDOW_ROWS): EventPages {
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
  // Where the window starts, for the filter it was chosen under (a new filter starts from the latest).
  const [anchor, setAnchor] = useState<{ filter: EventFilter; before: number } | null>(null);
  const startsBefore = anchor !== null && anchor.filter === filter ? anchor.before : null;

  const fetchPage = useCallback(
    (generation: number) => {
      if (loadingRef.current || cursorRef.current === null) return;
      loadingRef.current = true;
      setLoading(true);
      const beforeSeq = cursorRef.current ?? startsBefore ?? undefined;
      api
        .call('events:query', { filter, limit: PAGE_SIZE, ...(beforeSeq === undefined ? {} : { beforeSeq }) })
        .then((page) => {
          if (generation !== generationRef.current) return;
          rowsRef.current.push(...page.rows);
          cursorRef.current = page.rows.length === 0 ? null : page.nextBeforeSeq;
          setVersion((v) => v + 1);
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
    [api, filter, startsBefore],
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
  }, [api, filter, fetchPage, reloads, startsBefore]);

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
    olderBeyondWindow: rowsRef.current.length >= windowRows && typeof cursorRef.current === 'number' && error === null,
    continueOlder: () => {
      const before = cursorRef.current;
      if (typeof before === 'number') setAnchor({ filter, before });
    },
    startsBefore,
    backToLatest: () => setAnchor(null),
  };
}
