import type { EventFilter } from '../../../../shared/contract';
import { formatDateTime } from '../../components/format';
import { className, OUTCOME_FILTERS } from './event-labels';
import { quoteValue } from './quote-value';

/**
 * The applied filter in words, one entry per filter ("Outcome: Failure", "Actor: “bob”"), in the filter
 * bar's order: what the collapsed filter area still shows, so no one forgets a filter is on.
 */
export function describeFilter(filter: EventFilter): string[] {
  const parts: string[] = [];
  if (filter.since !== undefined) parts.push(`From ${formatDateTime(filter.since)}`);
  if (filter.until !== undefined) parts.push(`Until ${formatDateTime(filter.until)}`);
  if (filter.classUid !== undefined) parts.push(`Class: ${className(filter.classUid)}`);
  if (filter.statusId !== undefined) parts.push(`Outcome: ${OUTCOME_FILTERS.find((o) => o.statusId === filter.statusId)?.label ?? `status ${filter.statusId}`}`);
  if (filter.actor !== undefined) parts.push(`Actor: ${quoteValue(filter.actor)}`);
  if (filter.ip !== undefined) parts.push(`Source IP: ${quoteValue(filter.ip)}`);
  if (filter.source !== undefined) parts.push(`Source: ${quoteValue(filter.source)}`);
  if (filter.batchId !== undefined) parts.push(`Batch ${filter.batchId}`);
  if (filter.hideOwn === true) parts.push("Attest's own events hidden");
  return parts;
}
