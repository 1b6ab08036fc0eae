import { describe, expect, it } from 'vitest';
import { eventsLink, readFilterParams } from '../../../../renderer/src/features/events/filter-link';
import { parseRoute } from '../../../../renderer/src/app/router';

const filterFromParams = (params: URLSearchParams) => readFilterParams(params).filter;

describe('filter links', () => {
  it('round-trips a filter through the address', () => {
    const filter = { since: 1_700_000_000_000, until: 1_700_003_600_000, actor: 'bob & <alice>', statusId: 2, ip: '192.0.2.7', source: 'okta prod', classUid: 3002, batchId: 4 };
    expect(filterFromParams(parseRoute(eventsLink(filter)).params)).toEqual(filter);
    expect(eventsLink({})).toBe('#/events');
  });

  it('leaves out what is not a valid value, keeping the rest', () => {
    const params = new URLSearchParams({ since: 'yesterday', until: '1e3', statusId: '2', batchId: '0', actor: 'x'.repeat(600), ip: ' 10.0.0.1 ' });
    expect(filterFromParams(params)).toEqual({ statusId: 2, ip: '10.0.0.1' });
    expect(filterFromParams(new URLSearchParams({ since: '99999999999999999' }))).toEqual({});
  });

  it('accepts the short ?batch=N form', () => {
    expect(filterFromParams(new URLSearchParams({ batch: '7' }))).toEqual({ batchId: 7 });
  });

  it('names the parameters it left out, and only those', () => {
    expect(readFilterParams(new URLSearchParams('batch=abc&actor=bob&since=x&token=1')).ignored).toEqual(['batch', 'since']);
    expect(readFilterParams(new URLSearchParams('batchId=3&actor=')).ignored).toEqual([]);
    expect(readFilterParams(new URLSearchParams('since=2000&until=1000&ip=10.0.0.1'))).toEqual({ filter: { ip: '10.0.0.1' }, ignored: ['since', 'until'] });
    // Values the filter bar cannot show (it would say "Any" while filtering) are left out too.
    expect(readFilterParams(new URLSearchParams('statusId=7&classUid=99999&actor=a'))).toEqual({ filter: { actor: 'a' }, ignored: ['statusId', 'classUid'] });
  });
});
