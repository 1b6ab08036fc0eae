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

  it('keeps a no-break or thin space that is part of a name: a link to "alice\\u00A0" must not open plain alice', () => {
    for (const actor of ['alice\u00A0', '\u2009alice', 'ali\u00A0ce']) {
      expect(filterFromParams(parseRoute(eventsLink({ actor })).params)).toEqual({ actor });
    }
    // Ordinary spaces around a pasted value still go.
    expect(filterFromParams(new URLSearchParams({ actor: ' \talice\u00A0 ' }))).toEqual({ actor: 'alice\u00A0' });
  });

  it('leaves out and names a negative time or one past year 9999, which the filter bar could not show', () => {
    expect(readFilterParams('since=abc&until=-5')).toEqual({ order: 'newest', filter: {}, ignored: ['since', 'until'], unknown: [], repeated: [] });
    expect(readFilterParams('since=-5&until=1000&actor=a')).toMatchObject({ filter: { until: 1000, actor: 'a' }, ignored: ['since'] });
    expect(readFilterParams(`until=${Date.UTC(10000, 0, 1)}`)).toMatchObject({ filter: {}, ignored: ['until'] });
    // The edges themselves are times the bar can show.
    expect(readFilterParams(`since=0&until=${Date.UTC(10000, 0, 1) - 1}`).filter).toEqual({ since: 0, until: Date.UTC(10000, 0, 1) - 1 });
  });

  it('reads and writes the order (?order=oldest), which is no filter, and names an order it does not know', () => {
    expect(eventsLink({ statusId: 2 }, 'oldest')).toBe('#/events?statusId=2&order=oldest');
    expect(eventsLink({ statusId: 2 }, 'newest')).toBe('#/events?statusId=2');
    expect(readFilterParams('statusId=2&order=oldest')).toEqual({ order: 'oldest', filter: { statusId: 2 }, ignored: [], unknown: [], repeated: [] });
    expect(readFilterParams('order=newest')).toEqual({ order: 'newest', filter: {}, ignored: [], unknown: [], repeated: [] });
    // Not a filter: said apart, with the order used instead (probe10).
    expect(readFilterParams('order=sideways')).toEqual({ order: 'newest', filter: {}, ignored: [], unknown: [], repeated: [], badOrder: 'sideways' });
    expect(readFilterParams('order=%zz')).toMatchObject({ order: 'newest', ignored: [], badOrder: null });
    expect(readFilterParams('order=')).toMatchObject({ order: 'newest', badOrder: '' });
  });

  it('accepts the short ?batch=N form', () => {
    expect(filterFromParams(new URLSearchParams({ batch: '7' }))).toEqual({ batchId: 7 });
  });

  it('names the parameters it left out, and only those', () => {
    expect(readFilterParams(new URLSearchParams('batch=abc&actor=bob&since=x&token=1')).ignored).toEqual(['batch', 'since']);
    expect(readFilterParams(new URLSearchParams('batchId=3&actor=')).ignored).toEqual([]);
    expect(readFilterParams(new URLSearchParams('since=2000&until=1000&ip=10.0.0.1'))).toMatchObject({ filter: { ip: '10.0.0.1' }, ignored: ['since', 'until'] });
    // Values the filter bar cannot show (it would say "Any" while filtering) are left out too.
    expect(readFilterParams(new URLSearchParams('statusId=7&classUid=99999&actor=a'))).toMatchObject({ filter: { actor: 'a' }, ignored: ['statusId', 'classUid'] });
  });

  it('leaves out a value with malformed percent-encoding and names it, instead of filtering by "\uFFFD%A"', () => {
    // URLSearchParams decodes this to the actor "\uFFFD%A" without a word.
    expect(new URLSearchParams('actor=%E0%A4%A').get('actor')).toBe('\uFFFD%A');
    for (const query of ['actor=%E0%A4%A&statusId=2', 'actor=%zz&statusId=2', 'actor=%C0%80&statusId=2']) {
      expect(readFilterParams(query)).toEqual({ order: 'newest', filter: { statusId: 2 }, ignored: ['actor'], unknown: [], repeated: [] });
    }
    // Well-formed encodings still decode, "+" as a space (as eventsLink writes them).
    expect(readFilterParams('actor=J%C3%BCrgen+M%C3%BCller&source=okta%2Bprod').filter).toEqual({ actor: 'Jürgen Müller', source: 'okta+prod' });
    // A U+FFFD written properly is a value like any other (ingest may have stored one).
    expect(readFilterParams(eventsLink({ actor: 'a\uFFFDb' }).split('?')[1] ?? '').filter).toEqual({ actor: 'a\uFFFDb' });
  });

  it('names parameters that are no filter, and never takes them for one', () => {
    expect(readFilterParams('foo=bar&statusId=2&actors=bob')).toEqual({ order: 'newest', filter: { statusId: 2 }, ignored: [], unknown: ['foo', 'actors'], repeated: [] });
    // A name that cannot be decoded is named as written.
    expect(readFilterParams('%E0=1').unknown).toEqual(['%E0']);
    expect(readFilterParams('').unknown).toEqual([]);
  });

  it('says which value it used when a parameter is given more than once (the first)', () => {
    expect(readFilterParams('statusId=2&statusId=1')).toEqual({ order: 'newest', filter: { statusId: 2 }, ignored: [], unknown: [], repeated: [{ name: 'statusId', first: '2' }] });
    expect(readFilterParams('actor=bob&ip=10.0.0.1&actor=alice&actor=eve').repeated).toEqual([{ name: 'actor', first: 'bob' }]);
    // The first value decides even when it is the bad one: the second is not quietly used instead.
    expect(readFilterParams('statusId=abc&statusId=2')).toEqual({ order: 'newest', filter: {}, ignored: ['statusId'], unknown: [], repeated: [{ name: 'statusId', first: 'abc' }] });
    expect(readFilterParams('actor=%E0%A4%A&actor=bob')).toEqual({ order: 'newest', filter: {}, ignored: ['actor'], unknown: [], repeated: [{ name: 'actor', first: null }] });
  });
});
