import { useEffect, useState } from 'react';
import type { Overview } from '../../../../shared/contract';
import { errorMessage } from '../../api';
import { useApi } from '../../app/api-context';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorText } from '../../components/ErrorText';
import { formatNumber } from '../../components/format';
import { OutcomeChart } from './OutcomeChart';
import { OVERVIEW_RANGES, rangeRequest, type OverviewRangeId } from './overview-ranges';
import { TopFailuresChart } from './TopFailuresChart';
import { IntegrityCard } from '../integrity/IntegrityCard';

/** What the vault holds, from events:overview only: an empty vault shows an empty state, never a sample chart. */
export function OverviewPage() {
  const api = useApi();
  const [range, setRange] = useState<OverviewRangeId>('all');
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    api
      .call('events:overview', rangeRequest(range))
      .then((o) => live && setOverview(o))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [api, range]);

  const failures = overview?.series.reduce((n, b) => n + b.failure, 0) ?? 0;

  return (
    <div className="page-grid">
      <div className="toolbar">
        <label className="field-inline">
          <span className="field-label">Period</span>
          <select className="input" value={range} onChange={(e) => setRange(e.target.value as OverviewRangeId)}>
            {OVERVIEW_RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorText>{error}</ErrorText>
      {!overview && !error && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {overview && overview.total === 0 && (
        <Card>
          {range === 'all' ? (
            <EmptyState title="The vault holds no events yet.">
              <p>
                Import audit logs on the <a href="#/events">Events</a> page; this overview then shows activity by outcome and the actors and addresses with most failures.
              </p>
            </EmptyState>
          ) : (
            <EmptyState title="No events in this period." />
          )}
        </Card>
      )}
      {overview && overview.total > 0 && (
        <>
          <div className="stat-row">
            <div className="stat">
              <span className="stat-value">{formatNumber(overview.total)}</span>
              <span className="stat-label">{overview.total === 1 ? 'event' : 'events'}</span>
            </div>
            <div className="stat">
              <span className="stat-value">{formatNumber(failures)}</span>
              <span className="stat-label">{failures === 1 ? 'failure' : 'failures'}</span>
            </div>
          </div>
          <IntegrityCard events={range === 'all' ? overview.total : null} />
          <Card title="Events over time by outcome">
            <OutcomeChart overview={overview} />
          </Card>
          <div className="grid-2">
            <Card title="Top failing actors">
              <TopFailuresChart title="Top failing actors" rows={overview.topFailingActors} />
            </Card>
            <Card title="Top failing source IPs">
              <TopFailuresChart title="Top failing source IPs" rows={overview.topFailingIps} />
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
