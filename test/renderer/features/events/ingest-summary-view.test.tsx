import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { IngestSummaryView } from '../../../../renderer/src/features/events/IngestSummaryView';
import { formatLabel } from '../../../../renderer/src/features/events/event-labels';
import type { IngestSummary } from '../../../../shared/contract';

afterEach(cleanup);

const summary = (patch: Partial<IngestSummary>): IngestSummary => ({
  file: 'trail.json', sha256: 'a'.repeat(64), format: 'cloudtrail', bytes: 1024, read: 3, imported: 3, duplicates: 0, quarantined: 0,
  batchId: 4, cancelled: false, error: null, ...patch,
});

describe('IngestSummaryView', () => {
  it('names each file\'s format as the import picker does, not by its internal id', () => {
    // Outside UI probe (probe8): the summary showed "ocsf" and "cloudtrail" where the picker says "OCSF JSON".
    render(<IngestSummaryView state="done" summaries={[summary({}), summary({ file: 'a.jsonl', format: 'ocsf', batchId: 5 }), summary({ file: 'x.bin', format: null, batchId: null, error: 'not recognised' })]} onDismiss={() => undefined} />);
    const table = screen.getByRole('status');
    expect(table.textContent).toContain('AWS CloudTrail');
    expect(table.textContent).toContain('OCSF JSON');
    expect(table.textContent).not.toMatch(/\bcloudtrail\b/);
    expect(formatLabel('syslog')).toBe('Syslog');
    expect(formatLabel('something-new')).toBe('something-new');
  });

  it('keeps the files of a large import in a bounded region the keyboard can scroll (probe8: the card pushed the table away)', () => {
    const files = Array.from({ length: 20 }, (_, i) => summary({ file: `f${i}.json`, batchId: i + 1 }));
    render(<IngestSummaryView state="done" summaries={files} onDismiss={() => undefined} />);
    const region = screen.getByRole('region', { name: 'Files of this import' });
    expect(region.tabIndex).toBe(0);
    expect(region.querySelectorAll('tbody tr')).toHaveLength(20);
    expect(region.className).toBe('summary-files');
  });

  it('links Settings › Sources when a CSV file was refused for its mapping (probe8: no way there from the error)', () => {
    render(<IngestSummaryView state="failed" summaries={[summary({ file: 'hr.csv', format: 'csv', batchId: null, read: 0, imported: 0, error: 'Could not import hr.csv as CSV: …', csvMappingSource: 'hr\u202Eexport' })]} onDismiss={() => undefined} />);
    const link = screen.getByRole('link', { name: 'Set the CSV mapping of “hr[U+202E]export” in Settings › Sources' });
    expect(link.getAttribute('href')).toBe('#/settings');
    render(<IngestSummaryView state="failed" summaries={[summary({ error: 'not recognised' })]} onDismiss={() => undefined} />);
    expect(screen.getAllByRole('link', { name: /CSV mapping/ })).toHaveLength(1);
  });
});
