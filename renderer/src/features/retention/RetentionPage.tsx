import { NotYetAvailable } from '../../components/EmptyState';

export function RetentionPage() {
  return <NotYetAvailable>Retention is not available yet: no retention policies can be set or applied in this version.</NotYetAvailable>;
}
