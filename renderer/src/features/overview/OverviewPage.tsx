import { useEffect, useState, type FormEvent } from 'react';
import type { Overview } from '../../../../shared/contract';
import { errorMessage } from '../../api';
import { useApi } from '../../app/api-context';
import { navigate, type Route } from '../../app/router';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorText } from '../../components/ErrorText';
import { formatDateTime, formatNumber } from '../../components/format';
import { eventsLink, readFilterParams, type FilterParamsReading } from '../events/filter-link';
import { AddressNotices } from '../events/AddressNotices';
import { localInputToMs, msToLocalInput } from '../../components/datetime-local';
import { OutcomeChart } from './OutcomeChart';
import { OVERVIEW_RANGES, rangeRequest, type OverviewRangeId } from './overview-ranges';
import { TopFailuresChart } from './TopFailuresChart';
import { IntegrityCard } from '../integrity/IntegrityCard';
import { SELF_AUDIT_SOURCE } from '../../../../shared/domain/self-audit-source';

interface Period {
  since?: number;
  until?: number;
}

const PERIOD_PARAMS: ReadonlySet<string> = new Set(['since', 'until']);

/**
 * The custom period an address names, or null (read as the explorer reads its since/until), and what the
 * address gave that the Overview leaves out: the explorer's other filters are no filters of this page.
 */
export function periodFromAddress(query: string): { period: Period | null; leftOut: Pick<FilterParamsReading, 'ignored' | 'unknown' | 'repeated'> } {
  const reading = readFilterParams(query);
  const { since, until } = reading.filter;
  // The events list's order means nothing here either.
  const order = reading.order === 'oldest' || reading.badOrder !== undefined ? ['order'] : [];
  const otherFilters = [...Object.keys(reading.filter), ...reading.ignored, ...order].filter((name) => !PERIOD_PARAMS.has(name));
  const leftOut = {
    ignored: reading.ignored.filter((name) => PERIOD_PARAMS.has(name)),
    unknown: [...new Set([...reading.unknown, ...otherFilters])],
    repeated: reading.repeated.filter((r) => PERIOD_PARAMS.has(r.name)),
  };
  if (since === undefined && until === undefined) return { period: null, leftOut };
  return { period: { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) }, leftOut };
}

function overviewLink(p: Period): string {
  const params = new URLSearchParams();
  if (p.since !== undefined) params.set('since', String(p.since));
  if (p.until !== undefined) params.set('until', String(p.until));
  return `#/overview?${params.toString()}`;
}

/**
 * What the vault holds, from events:overview only: an empty vault shows an empty state, never a sample
 * chart. A period is a preset, or a custom one: dragged across the chart or typed in From/Until (the
 * keyboard's way). Each period links to its events, and each failing actor or IP to its failures.
 */
export function OverviewPage({ route }: { route: Route }) {
  const api = useApi();
  const [range, setRange] = useState<OverviewRangeId>('all');
  // A custom period lives in the address (#/overview?since=…&until=…): each zoom is a history entry, so
  // Back returns to the period before it, also after following a link to the explorer.
  const { period: custom, leftOut } = periodFromAddress(route.query);
  const setCustom = (p: Period | null) => navigate(p ? overviewLink(p) : '#/overview');
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState({ since: '', until: '' });
  const [draftError, setDraftError] = useState<string | null>(null);
  // The preset's start is fixed when it is chosen, so the links name the period the charts show.
  const [presetPeriod, setPresetPeriod] = useState<Period>(() => rangeRequest('all'));
  const period: Period = custom ?? presetPeriod;
  const { since, until } = period;

  useEffect(() => {
    let live = true;
    setError(null);
    api
      .call('events:overview', { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) })
      .then((o) => live && setOverview(o))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [api, since, until]);

  const failures = overview?.series.reduce((n, b) => n + b.failure, 0) ?? 0;
  const choosePreset = (id: OverviewRangeId) => {
    setRange(id);
    if (custom) setCustom(null);
    setPresetPeriod(rangeRequest(id));
  };
  const zoom = (since: number, until: number) => setCustom({ since, until });
  // The From/Until fields show the period in view (typed, dragged, or reached with Back).
  useEffect(() => {
    setDraft({ since: custom?.since !== undefined ? msToLocalInput(custom.since) : '', until: custom?.until !== undefined ? msToLocalInput(custom.until) : '' });
    setDraftError(null);
  }, [custom?.since, custom?.until]);
  const applyDraft = (e: FormEvent) => {
    e.preventDefault();
    const since = localInputToMs(draft.since);
    const until = localInputToMs(draft.until);
    if (since === undefined && until === undefined) return setDraftError('Give a From or an Until time.');
    if (since !== undefined && until !== undefined && since >= until) return setDraftError('From is not before Until.');
    setDraftError(null);
    setCustom({ ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) });
  };

  return (
    <div className="page-grid">
      <div className="toolbar overview-toolbar">
        <label className="field-inline">
          <span className="field-label">Period</span>
          <select className="input" value={custom ? 'custom' : range} onChange={(e) => choosePreset(e.target.value as OverviewRangeId)}>
            {OVERVIEW_RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
            {custom && <option value="custom">Custom period</option>}
          </select>
        </label>
        <form className="period-form" onSubmit={applyDraft} aria-label="Custom period">
          <label className="field-inline">
            <span className="field-label">From</span>
            <input className="input" type="datetime-local" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.target.value })} />
          </label>
          <label className="field-inline">
            <span className="field-label">Until</span>
            <input className="input" type="datetime-local" value={draft.until} onChange={(e) => setDraft({ ...draft, until: e.target.value })} />
          </label>
          <button type="submit" className="btn">
            Show period
          </button>
        </form>
        <ErrorText>{draftError}</ErrorText>
      </div>
      <AddressNotices reading={leftOut} />
      {custom && (
        <p className="period-note" role="status">
          Showing {custom.since !== undefined ? formatDateTime(custom.since) : 'the first event'} to {custom.until !== undefined ? formatDateTime(custom.until) : 'the last event'}.{' '}
          <button type="button" className="btn btn-small" onClick={() => choosePreset(range)}>
            Back to {OVERVIEW_RANGES.find((r) => r.id === range)?.label.toLowerCase()}
          </button>
        </p>
      )}
      <ErrorText>{error}</ErrorText>
      {!overview && !error && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {overview && overview.total === 0 && (
        <Card>
          <OwnEventsNote count={overview.ownEvents ?? 0} link={eventsLink({ ...period, source: SELF_AUDIT_SOURCE })} />
          {range === 'all' && !custom ? (
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
          <OwnEventsNote count={overview.ownEvents ?? 0} link={eventsLink({ ...period, source: SELF_AUDIT_SOURCE })} />
          <IntegrityCard events={range === 'all' && !custom ? overview.total + (overview.ownEvents ?? 0) : null} />
          <Card
            title="Events over time by outcome"
            actions={
              <a className="btn btn-small" href={eventsLink({ ...period, hideOwn: true })}>
                Show these events
              </a>
            }
          >
            <OutcomeChart overview={overview} onZoom={zoom} />
            <p className="muted chart-hint">Drag across the chart to look closer at a period.</p>
          </Card>
          <div className="grid-2">
            <Card title="Top failing actors">
              <TopFailuresChart title="Top failing actors" rows={overview.topFailingActors} linkFor={(actor) => eventsLink({ ...period, actor, statusId: 2, hideOwn: true })} />
            </Card>
            <Card title="Top failing source IPs">
              <TopFailuresChart title="Top failing source IPs" rows={overview.topFailingIps} linkFor={(ip) => eventsLink({ ...period, ip, statusId: 2, hideOwn: true })} />
            </Card>
          </div>
        </>
      )}
    </div>
  );
}

/**
 * Attest's own audit events are kept out of the figures (the operator's unlocks and refused imports are not
 * a monitored service's failures, and today's unlock would stretch the time axis of an old log): said, with
 * the way to see them.
 */
function OwnEventsNote({ count, link }: { count: number; link: string }) {
  if (count === 0) return null;
  return (
    <p className="muted own-events-note">
      Not counted here: {formatNumber(count)} of Attest&rsquo;s own audit {count === 1 ? 'event' : 'events'} (vault unlocks, imports, retries) in this period.{' '}
      <a href={link}>Show {count === 1 ? 'it' : 'them'}</a>
    </p>
  );
}
