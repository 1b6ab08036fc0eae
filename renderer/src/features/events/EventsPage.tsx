import { useCallback, useMemo, useRef, useState } from 'react';
import type { EventFilter } from '../../../../shared/contract';
import { useApi } from '../../app/api-context';
import type { Route } from '../../app/router';
import { ErrorText, Notice } from '../../components/ErrorText';
import { formatNumber } from '../../components/format';
import { EventDetailPanel } from './EventDetailPanel';
import { EventFilters } from './EventFilters';
import { EventsTable } from './EventsTable';
import { readFilterParams } from './filter-link';
import { ImportHistory } from './ImportHistory';
import { ImportPanel } from './ImportPanel';
import { QuarantineList } from './QuarantineList';
import { useEventPages } from './use-event-pages';

/** The zone the table's times are shown in (the CLI and exports use UTC). */
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';

/**
 * The events explorer (#/events, or #/events/SEQ with that event's detail open, as verify links to the
 * first bad event; #/events?batchId=N, ?actor=…&statusId=2&since=…, as other pages link to it, opens
 * with that filter: filter-link.ts), the quarantine list
 * (#/events/quarantine?batch=N) and the import history (#/events/imports).
 */
export function EventsPage({ route }: { route: Route }) {
  if (route.segments[1] === 'quarantine') {
    const batch = route.params.get('batch');
    const batchId = batch !== null && /^\d+$/.test(batch) ? Number(batch) : undefined;
    return <QuarantineList batchId={batchId} />;
  }
  if (route.segments[1] === 'imports') return <ImportHistory />;
  const seq = route.segments[1];
  const open = seq !== undefined && /^[1-9]\d{0,15}$/.test(seq) ? Number(seq) : null;
  const { filter, ignored } = readFilterParams(route.params);
  return <EventsExplorer key={`${open ?? 'list'}:${route.params.toString()}`} initialSeq={open} initialFilter={filter} ignoredParams={ignored} />;
}

function EventsExplorer({ initialSeq, initialFilter, ignoredParams }: { initialSeq: number | null; initialFilter: EventFilter; ignoredParams: string[] }) {
  const api = useApi();
  const [filter, setFilter] = useState<EventFilter>(initialFilter);
  const pages = useEventPages(api, filter);
  const [selected, setSelected] = useState<number | null>(initialSeq);
  const tableRef = useRef<HTMLDivElement>(null);
  const { reload, loadMore } = pages;

  const close = useCallback(() => {
    setSelected(null);
    // Return focus to the table's active row.
    tableRef.current?.querySelector<HTMLElement>('[role="row"][tabindex="0"]')?.focus();
  }, []);

  const countText = useMemo(() => {
    // After a failed query the error says what happened; "Counting…" would wait for ever.
    if (pages.total === null) return pages.error !== null ? '' : 'Counting…';
    const filtered = Object.keys(filter).length > 0;
    const noun = pages.total === 1 ? 'event' : 'events';
    return `${formatNumber(pages.total)} ${noun}${filtered ? (pages.total === 1 ? ' matches' : ' match') : ''}`;
  }, [pages.total, pages.error, filter]);

  return (
    <div className="page-grid events-page">
      <ImportPanel onImported={reload} />
      <section className="card explorer" aria-label="Events explorer">
        <EventFilters value={filter} onApply={(f) => { setSelected(null); setFilter(f); }} />
        <div className="explorer-meta">
          <p className="muted" aria-live="polite">
            {countText}
            {pages.rows.length > 0 && pages.total !== null && pages.rows.length < pages.total && ` · ${formatNumber(pages.rows.length)} loaded`}
            {/* The log's order: an old file imported today lists above yesterday's import of newer events. */}
            {pages.rows.length > 0 && ' · latest recorded first'}
            {pages.rows.length > 0 && ` · times in ${LOCAL_ZONE}`}
            {pages.startsBefore !== null && (
              <>
                {` · showing events recorded before #${pages.startsBefore} `}
                <button type="button" className="btn btn-small" onClick={pages.backToLatest}>
                  Back to the latest
                </button>
              </>
            )}
          </p>
          <span className="explorer-links">
            <a href="#/events/imports">Import history</a>
            <a href="#/events/quarantine">Quarantined records</a>
          </span>
        </div>
        {ignoredParams.length > 0 && (
          <Notice tone="warning">
            The address gave {ignoredParams.map((p) => `“${p}”`).join(', ')} a value that is not a valid filter; {ignoredParams.length === 1 ? 'it was' : 'they were'} left out.
          </Notice>
        )}
        <ErrorText>{pages.error}</ErrorText>
        <div className={`explorer-body${selected !== null ? ' with-detail' : ''}`} ref={tableRef}>
          <EventsTable
            rows={pages.rows}
            version={pages.version}
            total={pages.total}
            hasMore={pages.hasMore}
            loading={pages.loading}
            onNeedMore={loadMore}
            selectedSeq={selected}
            onSelect={setSelected}
            olderBeyondWindow={pages.olderBeyondWindow}
            onContinueOlder={pages.continueOlder}
          />
          {selected !== null && <EventDetailPanel seq={selected} onClose={close} />}
        </div>
      </section>
    </div>
  );
}
