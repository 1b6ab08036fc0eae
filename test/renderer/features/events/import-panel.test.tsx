import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IngestSummary } from '../../../../shared/contract';
import { ImportPanel } from '../../../../renderer/src/features/events/ImportPanel';
import { renderWithApi } from '../../helpers/render';

afterEach(cleanup);

const summary: IngestSummary = {
  file: 'okta.jsonl',
  sha256: 'c'.repeat(64),
  format: 'okta',
  bytes: 4096,
  read: 120,
  imported: 100,
  duplicates: 12,
  quarantined: 8,
  batchId: 7,
  cancelled: false,
  error: null,
  notes: ['year 2015 given for this import (the timestamp has none)'],
};

describe('ImportPanel', () => {
  it('keeps a running import, its bar, Cancel and summary, when the panel is left and shown again', async () => {
    let state: 'running' | 'done' = 'running';
    function Page({ shown }: { shown: boolean }) {
      return shown ? <ImportPanel onImported={() => undefined} /> : <p>another page</p>;
    }
    const { fake, rerender } = renderWithApi(<Page shown />, {
      'ingest:start': () => ({ jobId: 'job-1' }),
      'ingest:result': () => ({ state, summaries: state === 'running' ? [] : [summary] }),
    });
    const dropzone = screen.getByText('Drop files here, or').closest('.dropzone') as HTMLElement;
    await act(async () => {
      fireEvent.drop(dropzone, { dataTransfer: { files: [new File(['x\n'], 'okta.jsonl')], types: ['Files'] } });
    });
    await waitFor(() => expect(fake.callsTo('ingest:start')).toHaveLength(1));
    act(() =>
      fake.push({
        type: 'ingest:progress',
        progress: { jobId: 'job-1', file: 'okta.jsonl', fileIndex: 0, fileCount: 1, bytesRead: 2048, bytesTotal: 4096, events: 30, eventsPerSec: 1500, etaMs: 2000, state: 'running' },
      }),
    );
    rerender(<Page shown={false} />);
    expect(screen.queryByRole('progressbar')).toBeNull();
    rerender(<Page shown />);
    expect(screen.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    // It finishes while the panel is away; the summary waits for it.
    rerender(<Page shown={false} />);
    state = 'done';
    act(() =>
      fake.push({
        type: 'ingest:progress',
        progress: { jobId: 'job-1', file: 'okta.jsonl', fileIndex: 0, fileCount: 1, bytesRead: 4096, bytesTotal: 4096, events: 120, eventsPerSec: 1500, etaMs: 0, state: 'done' },
      }),
    );
    await waitFor(() => expect(fake.callsTo('ingest:result').length).toBeGreaterThan(0));
    rerender(<Page shown />);
    expect(await screen.findByRole('link', { name: /8 — review/ })).toBeTruthy();
  });

  it('says so while a gzip is checked or a syslog file is read for the years of its dates, then shows the import', async () => {
    const { fake } = renderWithApi(<ImportPanel onImported={() => undefined} />, {
      'ingest:start': () => ({ jobId: 'job-2' }),
      'ingest:result': () => ({ state: 'running', summaries: [] }),
    });
    const dropzone = screen.getByText('Drop files here, or').closest('.dropzone') as HTMLElement;
    await act(async () => {
      fireEvent.drop(dropzone, { dataTransfer: { files: [new File(['x\n'], 'auth.log')], types: ['Files'] } });
    });
    await waitFor(() => expect(fake.callsTo('ingest:start')).toHaveLength(1));
    const progress = { jobId: 'job-2', file: 'auth.log', fileIndex: 0, fileCount: 1, bytesTotal: 4096, eventsPerSec: 0, etaMs: null, state: 'running' as const };
    act(() => fake.push({ type: 'ingest:progress', progress: { ...progress, bytesRead: 512, events: 0, phase: 'checking' } }));
    expect(screen.getByRole('progressbar', { name: 'Checking the gzip data' })).toBeTruthy();
    expect(screen.getByText(/checking every part of the gzip data first, so no damaged record is imported \(nothing is imported yet\)/)).toBeTruthy();
    act(() => fake.push({ type: 'ingest:progress', progress: { ...progress, bytesRead: 1024, events: 0, phase: 'scanning' } }));
    expect(screen.getByRole('progressbar', { name: 'Reading the dates for their years' }).getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByText(/reading its dates first, for the years they do not carry \(nothing is imported yet\)/)).toBeTruthy();
    expect(screen.queryByText(/events ·/)).toBeNull();
    act(() => fake.push({ type: 'ingest:progress', progress: { ...progress, bytesRead: 2048, events: 30, eventsPerSec: 1500, phase: 'importing' } }));
    expect(screen.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe('50');
    expect(screen.queryByText(/reading its dates first/)).toBeNull();
  });

  it('stages dropped files, follows progress pushes, cancels, and shows the counts with a quarantine link', async () => {
    let state: 'running' | 'done' | 'cancelled' = 'running';
    const onImported = vi.fn();
    const { fake } = renderWithApi(<ImportPanel onImported={onImported} />, {
      'ingest:start': () => ({ jobId: 'job-9' }),
      'ingest:cancel': () => {
        state = 'cancelled';
        return { cancelled: true };
      },
      'ingest:result': () => ({ state, summaries: state === 'running' ? [] : [{ ...summary, cancelled: state === 'cancelled' }] }),
    });
    const file = new File(['{"a":1}\n'], 'okta.jsonl');
    const dropzone = screen.getByText('Drop files here, or').closest('.dropzone') as HTMLElement;
    await act(async () => {
      fireEvent.drop(dropzone, { dataTransfer: { files: [file], types: ['Files'] } });
    });
    await waitFor(() => expect(fake.callsTo('ingest:start')).toEqual([{ files: [{ path: '/uploads/okta.jsonl', name: 'okta.jsonl' }] }]));

    act(() =>
      fake.push({
        type: 'ingest:progress',
        progress: { jobId: 'job-9', file: 'okta.jsonl', fileIndex: 0, fileCount: 1, bytesRead: 1024, bytesTotal: 4096, events: 30, eventsPerSec: 1500, etaMs: 2000, state: 'running' },
      }),
    );
    const bar = screen.getByRole('progressbar', { name: 'Import progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByText(/30 events · 1,500 events\/s · about 2 s left/)).toBeTruthy();

    // A push for another job does not move this bar.
    act(() =>
      fake.push({
        type: 'ingest:progress',
        progress: { jobId: 'other', file: 'x', fileIndex: 0, fileCount: 1, bytesRead: 4096, bytesTotal: 4096, events: 1, eventsPerSec: 1, etaMs: 0, state: 'running' },
      }),
    );
    expect(bar.getAttribute('aria-valuenow')).toBe('25');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Cancel' }));
    expect(fake.callsTo('ingest:cancel')).toEqual([{ jobId: 'job-9' }]);
    expect(await screen.findByText(/Import cancelled/)).toBeTruthy();
    const link = screen.getByRole('link', { name: /8 — review/ });
    expect(link.getAttribute('href')).toBe('#/events/quarantine?batch=7');
    // What was assumed for the file is shown with it.
    expect(screen.getByRole('list', { name: 'What was assumed for okta.jsonl' }).textContent).toBe('year 2015 given for this import (the timestamp has none)');
    expect(onImported).toHaveBeenCalled();
  });

  it('shows a readable error when staging fails', async () => {
    const { fake } = renderWithApi(<ImportPanel onImported={() => undefined} />, {});
    fake.transport.stageFile = async () => {
      const { ApiError } = await import('../../../../renderer/src/api');
      throw new ApiError('IO', 'The disk is full.');
    };
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File(['x'], 'a.log')] } });
    });
    expect((await screen.findByRole('alert')).textContent).toBe('The disk is full.');
    expect(fake.callsTo('ingest:start')).toEqual([]);
  });
});
