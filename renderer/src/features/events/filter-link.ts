import { EventFilterSchema, type EventFilter, type EventOrder } from '../../../../shared/contract';
import { trimTyped } from './trim-typed';
import { OCSF_CLASS_NAMES } from '../../../../shared/domain/canonical-event';
import { OUTCOME_FILTERS } from './event-labels';
import { isFilterTime } from './filter-time-range';

/** Address parameters of the explorer (#/events?actor=bob&statusId=2…) and the filter member each sets. */
const NUMERIC = ['since', 'until', 'classUid', 'statusId', 'batchId'] as const;
const TEXT = ['actor', 'ip', 'source'] as const;
/** ?hideOwn=1: leave out Attest's own audit events, as the Overview's links do. */
const FLAGS = ['hideOwn'] as const;
/** ?order=oldest: the oldest recorded first (no parameter: the latest first). Not a filter: the same events. */
const ORDER = 'order';
const KNOWN: ReadonlySet<string> = new Set([...NUMERIC, ...TEXT, ...FLAGS, 'batch', ORDER]);

/** A parameter given more than once, and the value read (the first, as URLSearchParams.get reads it). */
export interface RepeatedParam {
  name: string;
  /** Null when the first value's percent-encoding was malformed (the parameter was then left out). */
  first: string | null;
}

export interface FilterParamsReading {
  filter: EventFilter;
  order: EventOrder;
  /** Filter parameters left out: a value that is not valid, or not decodable (bad percent-encoding). */
  ignored: string[];
  /** Parameters that are no filter of the explorer (a typo, or another page's), left out. */
  unknown: string[];
  /** Parameters given more than once: only the first value was read. */
  repeated: RepeatedParam[];
  /** An order= value that is no order (as given, null when its encoding was malformed): the default was used. */
  badOrder?: string | null;
}

/** One part of a query as x-www-form-urlencoded decodes it, or null when its percent-encoding is malformed. */
function decodePart(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * The pairs of a raw query, in order; a value is null when its percent-encoding is malformed. URLSearchParams
 * turns "%E0%A4%A" into U+FFFD and keeps the rest, so "actor=%E0%A4%A" became the actor "�%A" without a
 * word; decoding each part here tells such a value apart, and it is left out instead.
 */
function readPairs(query: string): { pairs: Array<[string, string | null]>; badNames: string[] } {
  const pairs: Array<[string, string | null]> = [];
  const badNames: string[] = [];
  for (const part of query.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    const name = decodePart(rawName);
    // A name that cannot be decoded names no filter: it is named as written.
    if (name === null) badNames.push(rawName);
    else pairs.push([name, decodePart(eq === -1 ? '' : part.slice(eq + 1))]);
  }
  return { pairs, badNames };
}

/**
 * The filter an address names, as other pages link to the explorer (the import history to a batch, the
 * Overview to a period or a failing actor), and what it had to leave out or choose. A parameter that is
 * not a valid value is left out, never guessed at, and named, so the page can say so; so are parameters
 * it does not know and parameters given twice (the first value counts, as URLSearchParams.get reads it).
 *
 * `address` is the raw query (Route.query), so that malformed percent-encoding can be told apart; decoded
 * URLSearchParams are accepted too (the Overview reads only since/until from them).
 */
export function readFilterParams(address: string | URLSearchParams): FilterParamsReading {
  const { pairs, badNames } = typeof address === 'string' ? readPairs(address) : { pairs: [...address.entries()], badNames: [] };
  const firsts = new Map<string, string | null>();
  const counts = new Map<string, number>();
  for (const [name, value] of pairs) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (!firsts.has(name)) firsts.set(name, value);
  }
  const malformed = (name: string) => firsts.has(name) && firsts.get(name) === null;

  const get = (name: string): string | null => firsts.get(name) ?? null;
  const filter: Record<string, number | string | boolean> = {};
  const keep = (name: keyof EventFilter, value: number | string | boolean) => {
    // Each value checked alone: one bad parameter must not drop the others.
    if (EventFilterSchema.shape[name].safeParse(value).success) filter[name] = value;
  };
  for (const name of NUMERIC) {
    const raw = get(name);
    if (raw !== null && /^-?\d{1,16}$/.test(raw) && Number.isSafeInteger(Number(raw))) keep(name, Number(raw));
  }
  for (const name of TEXT) {
    const raw = get(name);
    if (raw !== null && trimTyped(raw) !== '') keep(name, trimTyped(raw));
  }
  for (const name of FLAGS) {
    const raw = get(name);
    if (raw === '1' || raw === 'true') keep(name, true);
  }
  // ?batch=N: the short form the import history's first links used.
  const batch = get('batch');
  if (filter.batchId === undefined && batch !== null && /^\d{1,16}$/.test(batch)) keep('batchId', Number(batch));
  if (filter.batchId !== undefined && Number(filter.batchId) < 1) delete filter.batchId;
  // The contract takes any integer time; a negative one (until=-5: 1969) or one past year 9999 is no date
  // the filter bar could show, so it is left out and named, as the bar refuses it.
  for (const name of ['since', 'until'] as const) {
    if (filter[name] !== undefined && !isFilterTime(Number(filter[name]))) delete filter[name];
  }
  // The filter bar offers these as lists: a value it cannot show would filter while the bar said "Any".
  if (filter.statusId !== undefined && !OUTCOME_FILTERS.some((o) => o.statusId === filter.statusId)) delete filter.statusId;
  if (filter.classUid !== undefined && OCSF_CLASS_NAMES[Number(filter.classUid)] === undefined) delete filter.classUid;
  // A period that ends before it starts matches nothing: say so rather than show "0 events match".
  if (filter.since !== undefined && filter.until !== undefined && Number(filter.since) >= Number(filter.until)) {
    delete filter.since;
    delete filter.until;
  }

  const orderParam = get(ORDER);
  const order: EventOrder = orderParam === 'oldest' ? 'oldest' : 'newest';
  const orderKnown = !firsts.has(ORDER) || orderParam === 'oldest' || orderParam === 'newest';

  const names = [...firsts.keys()];
  const ignored = names.filter((name) => {
    // An order that is no order is said apart (badOrder): it is no filter.
    if (!KNOWN.has(name) || name === ORDER) return false;
    if (malformed(name)) return true;
    const member = name === 'batch' ? 'batchId' : name;
    return filter[member] === undefined && trimTyped(get(name) ?? '') !== '';
  });
  const unknown = [...new Set([...badNames, ...names.filter((name) => !KNOWN.has(name))])];
  const repeated = names
    .filter((name) => KNOWN.has(name) && (counts.get(name) ?? 0) > 1)
    .map((name) => ({ name, first: get(name) }));
  return { filter: filter as EventFilter, order, ignored, unknown, repeated, ...(orderKnown ? {} : { badOrder: orderParam }) };
}

/** A link to the explorer showing the events that match `filter`, in `order` (default: latest first). */
export function eventsLink(filter: EventFilter, order: EventOrder = 'newest'): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value === true) params.set(name, '1');
    else if (value !== undefined && value !== false) params.set(name, String(value));
  }
  if (order === 'oldest') params.set(ORDER, 'oldest');
  const query = params.toString();
  return query ? `#/events?${query}` : '#/events';
}
