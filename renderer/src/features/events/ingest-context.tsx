import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useApi } from '../../app/api-context';
import { useIngest, type IngestOptions, type IngestState } from './use-ingest';

export interface IngestJob {
  state: IngestState;
  start(files: File[], options: IngestOptions): Promise<void>;
  cancel(): Promise<void>;
  dismiss(): void;
  /** Calls `listener` each time an import finishes; returns the unsubscribe. */
  onFinished(listener: () => void): () => void;
}

const IngestContext = createContext<IngestJob | null>(null);

/**
 * Holds the import job above the pages: leaving the Events page while an import runs kept the import
 * going on the host but lost its progress bar, Cancel and summary (a second import then waited with no
 * word). The job now lives as long as the unlocked app, and any page that shows it finds it here.
 */
export function IngestProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const listeners = useRef(new Set<() => void>());
  const { state, start, cancel, dismiss } = useIngest(api, () => {
    for (const listener of [...listeners.current]) listener();
  });
  const value = useMemo<IngestJob>(
    () => ({
      state,
      start,
      cancel,
      dismiss,
      onFinished: (listener) => {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    }),
    [state, start, cancel, dismiss],
  );
  return <IngestContext.Provider value={value}>{children}</IngestContext.Provider>;
}

/** The app's import job; `onImported` runs whenever an import finishes while the caller is mounted. */
export function useIngestJob(onImported?: () => void): IngestJob {
  const job = useContext(IngestContext);
  if (!job) throw new Error('useIngestJob needs an <IngestProvider> above it.');
  const { onFinished } = job;
  useEffect(() => (onImported ? onFinished(onImported) : undefined), [onFinished, onImported]);
  return job;
}
