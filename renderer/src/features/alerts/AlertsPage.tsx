import { NotYetAvailable } from '../../components/EmptyState';

export function AlertsPage() {
  return <NotYetAvailable>Alerts are not available yet: monitoring rules have not been built, so nothing is being watched.</NotYetAvailable>;
}
