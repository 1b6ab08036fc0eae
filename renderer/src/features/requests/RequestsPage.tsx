import { NotYetAvailable } from '../../components/EmptyState';

export function RequestsPage() {
  return <NotYetAvailable>Data-subject requests are not available yet: this part of Attest has not been built.</NotYetAvailable>;
}
