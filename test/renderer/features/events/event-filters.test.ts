import { describe, expect, it } from 'vitest';
import { draftToFilter, filterProblem, type FilterDraft } from '../../../../renderer/src/features/events/EventFilters';

const draft = (patch: Partial<FilterDraft>): FilterDraft => ({ since: '', until: '', classUid: '', statusId: '', actor: '', ip: '', source: '', batchId: '', hideOwn: false, ...patch });

describe('filterProblem', () => {
  it('says why a filter cannot be applied instead of dropping or forwarding the value', () => {
    expect(filterProblem(draft({}))).toBeNull();
    expect(filterProblem(draft({ since: '2026-10-01T00:00', until: '2026-10-02T00:00', batchId: '7' }))).toBeNull();
    // The browser's picker takes years up to 275760; such a From was silently dropped (every event listed).
    expect(filterProblem(draft({ since: '275760-01-01T00:00' }))).toBe('From is not a date between 1970 and 9999.');
    expect(filterProblem(draft({ until: '1969-12-31T00:00' }))).toBe('Until is not a date between 1970 and 9999.');
    expect(filterProblem(draft({ since: '2026-10-05T10:00', until: '2026-10-01T10:00' }))).toBe('From is after Until: no event could match.');
    // Past 2^53 the host refused it in its own words and "Counting…" never ended.
    for (const batchId of ['99999999999999999999', '0', '-3', '1.5', 'abc']) expect(filterProblem(draft({ batchId }))).toMatch(/^Batch is a batch number/);
  });
});

describe('draftToFilter', () => {
  it('keeps a no-break space that ends a name, dropping only the ordinary spaces typed around it', () => {
    expect(draftToFilter(draft({ actor: ' alice\u00A0 ', source: '\u2009okta ', ip: ' 10.0.0.1\n' }))).toEqual({ actor: 'alice\u00A0', source: '\u2009okta', ip: '10.0.0.1' });
    expect(draftToFilter(draft({ actor: '   ' }))).toEqual({});
  });
});
