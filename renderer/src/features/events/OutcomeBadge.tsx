import { OUTCOME_LABELS, outcomeOf } from './event-labels';

export function OutcomeBadge({ statusId }: { statusId: number }) {
  const outcome = outcomeOf(statusId);
  return <span className={`badge badge-${outcome}`}>{OUTCOME_LABELS[outcome]}</span>;
}
