import { useCallback, useEffect, useRef, useState } from 'react';
import type { IngestFormat, IngestProgress, IngestSummary } from '../../../../shared/contract';
import { errorMessage, type ApiClient } from '../../api';

/** How often to ask ingest:result while a job runs, in case a push was missed (socket reconnecting). */
const POLL_MS = 1500;

export type IngestState =
  | { phase: 'idle' }
  | { phase: 'uploading'; fileIndex: number; fileCount: number; name: string; sent: number; total: number }
  | { phase: 'running'; jobId: string; progress: IngestProgress | null; cancelling: boolean }
  | { phase: 'finished'; state: 'done' | 'cancelled' | 'failed'; summaries: IngestSummary[] }
  | { phase: 'error'; message: string };

export interface IngestOptions {
  format?: IngestFormat;
  source?: string;
}

/** Stages files (path or upload), starts ingest:start, follows progress pushes, and fetches the summary. */
export function useIngest(api: ApiClient, onFinished: () => void) {
  const [state, setState] = useState<IngestState>({ phase: 'idle' });
  const jobRef = useRef<string | null>(null);
  /** Set while files are uploading (browser): cancel() aborts the upload, before any job exists. */
  const uploadRef = useRef<AbortController | null>(null);
  const onFinishedRef = useRef(onFinished);
  onFinishedRef.current = onFinished;

  const finish = useCallback(
    async (jobId: string) => {
      try {
        const result = await api.call('ingest:result', { jobId });
        if (result.state === 'running' || jobRef.current !== jobId) return;
        jobRef.current = null;
        setState({ phase: 'finished', state: result.state, summaries: result.summaries });
        onFinishedRef.current();
      } catch (err) {
        if (jobRef.current !== jobId) return;
        jobRef.current = null;
        setState({ phase: 'error', message: errorMessage(err) });
      }
    },
    [api],
  );

  // Pushes drive the bar; a slow poll makes sure completion is noticed even without them.
  useEffect(() => {
    const off = api.onPush((push) => {
      if (push.type !== 'ingest:progress' || push.progress.jobId !== jobRef.current) return;
      const progress = push.progress;
      setState((s) => (s.phase === 'running' && s.jobId === progress.jobId ? { ...s, progress } : s));
      if (progress.state !== 'running') void finish(progress.jobId);
    });
    const timer = setInterval(() => {
      if (jobRef.current) void finish(jobRef.current);
    }, POLL_MS);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [api, finish]);

  const start = useCallback(
    async (files: File[], options: IngestOptions) => {
      if (files.length === 0 || jobRef.current || uploadRef.current) return;
      const upload = new AbortController();
      uploadRef.current = upload;
      try {
        const staged: Array<{ path: string; name: string }> = [];
        for (const [i, file] of files.entries()) {
          setState({ phase: 'uploading', fileIndex: i, fileCount: files.length, name: file.name, sent: 0, total: file.size });
          const path = await api.stageFile(
            file,
            (sent, total) => setState({ phase: 'uploading', fileIndex: i, fileCount: files.length, name: file.name, sent, total }),
            upload.signal,
          );
          staged.push({ path, name: file.name });
        }
        uploadRef.current = null;
        const { jobId } = await api.call('ingest:start', {
          files: staged,
          ...(options.format ? { format: options.format } : {}),
          ...(options.source ? { source: options.source } : {}),
        });
        jobRef.current = jobId;
        setState({ phase: 'running', jobId, progress: null, cancelling: false });
      } catch (err) {
        uploadRef.current = null;
        setState({ phase: 'error', message: upload.signal.aborted ? 'The upload was cancelled: nothing was imported.' : errorMessage(err) });
      }
    },
    [api],
  );

  const cancel = useCallback(async () => {
    if (uploadRef.current) {
      uploadRef.current.abort();
      return;
    }
    const jobId = jobRef.current;
    if (!jobId) return;
    setState((s) => (s.phase === 'running' ? { ...s, cancelling: true } : s));
    try {
      await api.call('ingest:cancel', { jobId });
      await finish(jobId);
    } catch (err) {
      setState({ phase: 'error', message: errorMessage(err) });
    }
  }, [api, finish]);

  const dismiss = useCallback(() => setState({ phase: 'idle' }), []);

  return { state, start, cancel, dismiss };
}
