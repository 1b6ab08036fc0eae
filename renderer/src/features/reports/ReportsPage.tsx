import { NotYetAvailable } from '../../components/EmptyState';

export function ReportsPage() {
  return <NotYetAvailable>Reports are not available yet: this version cannot produce reports.</NotYetAvailable>;
}
