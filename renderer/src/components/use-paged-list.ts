import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api';

export interface PagedList<T> {
  rows: T[];
  /** All rows there are (null until the first page arrives). */
  total: number | null;
  error: string | null;
  loading: boolean;
  /** Whether rows remain beyond those loaded. */
  hasMore: boolean;
  /** Loads the next page after the last row. */
  more(): Promise<void>;
  /** Starts again from the first page (after a change to the rows, such as a retry). */
  reload(): Promise<void>;
}

/**
 * A list read page by page with a keyset cursor (the last row's id): the first page on mount and whenever
 * `fetchPage` changes (memoise it), the next on `more()`.
 */
export function usePagedList<T>(
  fetchPage: (cursor: number | undefined) => Promise<{ rows: T[]; total: number }>,
  cursorOf: (row: T) => number,
): PagedList<T> {
  const [rows, setRows] = useState<T[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (cursor: number | undefined) => {
      setLoading(true);
      try {
        const page = await fetchPage(cursor);
        setRows((prev) => (cursor === undefined ? page.rows : [...prev, ...page.rows]));
        setTotal(page.total);
        setError(null);
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        setLoading(false);
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    void load(undefined);
  }, [load]);

  const last = rows[rows.length - 1];
  return {
    rows,
    total,
    error,
    loading,
    hasMore: total !== null && last !== undefined && rows.length < total,
    more: () => (last === undefined ? Promise.resolve() : load(cursorOf(last))),
    reload: () => load(undefined),
  };
}
