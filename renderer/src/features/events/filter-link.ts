import { EventFilterSchema, type EventFilter } from '../../../../shared/contract';
import { OCSF_CLASS_NAMES } from '../../../../shared/domain/canonical-event';
import { OUTCOME_FILTERS } from './event-labels';

/** Address parameters of the explorer (#/events?actor=bob&statusId=2…) and the filter member each sets. */
const NUMERIC = ['since', 'until', 'classUid', 'statusId', 'batchId'] as const;
const TEXT = ['actor', 'ip', 'source'] as const;

/**
 * The filter an address names, as other pages link to the explorer (the import history to a batch, the
 * Overview to a period or a failing actor), and the parameters it had to leave out. A parameter that is
 * not a valid value is left out, never guessed at, and named, so the page can say so.
 */
export function readFilterParams(params: URLSearchParams): { filter: EventFilter; ignored: string[] } {
  const filter: Record<string, number | string> = {};
  const keep = (name: keyof EventFilter, value: number | string) => {
    // Each value checked alone: one bad parameter must not drop the others.
    if (EventFilterSchema.shape[name].safeParse(value).success) filter[name] = value;
  };
  for (const name of NUMERIC) {
    const raw = params.get(name);
    if (raw !== null && /^-?\d{1,16}$/.test(raw) && Number.isSafeInteger(Number(raw))) keep(name, Number(raw));
  }
  for (const name of TEXT) {
    const raw = params.get(name);
    if (raw !== null && raw.trim() !== '') keep(name, raw.trim());
  }
  // ?batch=N: the short form the import history's first links used.
  const batch = params.get('batch');
  if (filter.batchId === undefined && batch !== null && /^\d{1,16}$/.test(batch)) keep('batchId', Number(batch));
  if (filter.batchId !== undefined && Number(filter.batchId) < 1) delete filter.batchId;
  // The filter bar offers these as lists: a value it cannot show would filter while the bar said "Any".
  if (filter.statusId !== undefined && !OUTCOME_FILTERS.some((o) => o.statusId === filter.statusId)) delete filter.statusId;
  if (filter.classUid !== undefined && OCSF_CLASS_NAMES[Number(filter.classUid)] === undefined) delete filter.classUid;
  // A period that ends before it starts matches nothing: say so rather than show "0 events match".
  if (filter.since !== undefined && filter.until !== undefined && Number(filter.since) >= Number(filter.until)) {
    delete filter.since;
    delete filter.until;
  }
  const known: ReadonlySet<string> = new Set([...NUMERIC, ...TEXT, 'batch']);
  const ignored = [...new Set([...params.keys()])].filter((name) => {
    if (!known.has(name)) return false;
    const member = name === 'batch' ? 'batchId' : name;
    return filter[member] === undefined && (params.get(name) ?? '').trim() !== '';
  });
  return { filter: filter as EventFilter, ignored };
}

/** A link to the explorer showing the events that match `filter`. */
export function eventsLink(filter: EventFilter): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const query = params.toString();
  return query ? `#/events?${query}` : '#/events';
}
