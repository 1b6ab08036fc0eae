import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from '../../../../renderer/src/api';
import { useIngest } from '../../../../renderer/src/features/events/use-ingest';
import { createFakeTransport } from '../../helpers/fake-transport';

describe('useIngest', () => {
  it('cancels an upload before any import starts, and says nothing was imported', async () => {
    let aborted = false;
    const fake = createFakeTransport(
      { 'ingest:start': () => ({ jobId: 'never' }) },
      {
        // An upload that only ends when it is aborted, as a large one over a slow link.
        stageFile: (file, onProgress, signal) =>
          new Promise<string>((_, reject) => {
            onProgress(1024, file.size);
            signal?.addEventListener('abort', () => {
              aborted = true;
              reject(new ApiError('CANCELLED', 'The upload was cancelled.'));
            });
          }),
      },
    );
    const api = createApiClient(fake.transport);
    const { result } = renderHook(() => useIngest(api, () => undefined));
    act(() => void result.current.start([new File(['x'.repeat(4096)], 'big.jsonl')], {}));
    await waitFor(() => expect(result.current.state).toMatchObject({ phase: 'uploading', sent: 1024 }));
    await act(async () => result.current.cancel());
    await waitFor(() => expect(result.current.state).toEqual({ phase: 'error', message: 'The upload was cancelled: nothing was imported.' }));
    expect(aborted).toBe(true);
    expect(fake.callsTo('ingest:start')).toEqual([]);
  });
});
