import { describe, expect, it } from 'vitest';
import { renderProgressLine } from '../../../electron/cli/commands/progress-line';
import type { IngestProgress } from '../../../shared/contract/events';

const base: IngestProgress = { jobId: 'j', file: 'auth.log', fileIndex: 0, fileCount: 2, bytesRead: 52_428_800, bytesTotal: 104_857_600, events: 0, eventsPerSec: 0, etaMs: null, state: 'running' };

describe('renderProgressLine', () => {
  it('shows the import: bar, file, bytes, events, rate and time left', () => {
    expect(renderProgressLine({ ...base, events: 412_000, eventsPerSec: 41_200, etaMs: 95_000 }, 200)).toBe(
      '[##########..........]  50%  file 1/2  50.0 MB/100.0 MB  412,000 events  41,200 ev/s  ETA 1:35',
    );
  });

  it('says when it is only reading a syslog file for its years, with no events or rate yet', () => {
    const line = renderProgressLine({ ...base, phase: 'scanning' }, 200);
    // Bytes before the words: a narrow terminal cuts the words, not the figures.
    expect(line).toBe('[##########..........]  50%  file 1/2  50.0 MB/100.0 MB  reading the dates for their years first');
  });

  it('says when it is only checking a gzip before its import', () => {
    expect(renderProgressLine({ ...base, phase: 'checking' }, 200)).toBe('[##########..........]  50%  file 1/2  50.0 MB/100.0 MB  checking the gzip data first');
  });

  it('fits the terminal', () => {
    expect(renderProgressLine({ ...base, phase: 'scanning' }, 40)).toHaveLength(39);
  });
});
