import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EventFilter, EventOrder } from '../../../../shared/contract';
import { useApi } from '../../app/api-context';
import { navigate, type Route } from '../../app/router';
import { ErrorText } from '../../components/ErrorText';
import { formatNumber } from '../../components/format';
import { EventDetailPanel } from './EventDetailPanel';
import { EventFilters } from './EventFilters';
import { EventsTable } from './EventsTable';
import { eventsLink, readFilterParams } from './filter-link';
import { AddressNotices } from './AddressNotices';
import { NearMatchesNote } from './NearMatchesNote';
import { ImportHistory } from './ImportHistory';
import { ImportPanel } from './ImportPanel';
import { describeFilter } from './filter-summary';
import { useIngestJob } from './ingest-context';
import { useSessionFlag } from './use-session-flag';
import { QuarantineList } from './QuarantineList';
import { useEventPages } from './use-event-pages';
import { formatTableTime, LOCAL_ZONE } from './event-time';


/** sessionStorage key of the explorer's folded filter area. */
export const FILTERS_HIDDEN_KEY = 'attest.events.filtersHidden';
const FILTERS_ID = 'event-filters';
const FOLD_HINT = 'Folds the import bar and the filters into one line that still names each filter applied.';
/**
 * A window this short (a 1024×768 laptop) opens the explorer folded until the officer chooses otherwise:
 * unfolded, the import bar and the filters left 3½ table rows in view (probe8), folded 14.
 */
export const SHORT_WINDOW_QUERY = '(max-height: 820px)';
const shortWindow = () => typeof window.matchMedia === 'function' && window.matchMedia(SHORT_WINDOW_QUERY).matches;

/**
 * The events explorer (#/events, or #/events/SEQ with that event's detail open, as verify links to the
 * first bad event; #/events?batchId=N, ?actor=…&statusId=2&since=…, as other pages link to it, opens
 * with that filter: filter-link.ts; Apply and Clear write the filter back there), the quarantine list
 * (#/events/quarantine?batch=N) and the import history (#/events/imports).
 */
export function EventsPage({ route, windowRows }: { route: Route; /** Rows a table window holds (tests make it small). */ windowRows?: number }) {
  if (route.segments[1] === 'quarantine') {
    const batch = route.params.get('batch');
    const batchId = batch !== null && /^\d+$/.test(batch) ? Number(batch) : undefined;
    return <QuarantineList batchId={batchId} />;
  }
  if (route.segments[1] === 'imports') return <ImportHistory />;
  const seq = route.segments[1];
  const open = seq !== undefined && /^[1-9]\d{0,15}$/.test(seq) ? Number(seq) : null;
  const address = `#/${route.segments.join('/')}${route.query ? `?${route.query}` : ''}`;
  // Not keyed on the address: a new filter there refreshes the table without remounting the explorer
  // (a remount after each Apply threw the focus from the Apply button to the page's start).
  return <EventsExplorer address={address} query={route.query} addressSeq={open} windowRows={windowRows} />;
}

/**
 * The address is the one home of the filter on screen (#/events?actor=…): Apply and Clear write it, each a
 * history entry as the Overview's periods are, so Back returns to the filter before, and a reload, a
 * bookmark or a copied link show what the officer saw. A filter kept only in state left the address
 * naming the filter the page opened with.
 */
function EventsExplorer({ address, query, addressSeq, windowRows }: { address: string; query: string; addressSeq: number | null; windowRows: number | undefined }) {
  const api = useApi();
  // Memoised on the query: the same address keeps the same filter object, so the table does not reload.
  const { filter, order, ...leftOut } = useMemo(() => readFilterParams(query), [query]);
  const pages = useEventPages(api, filter, order, windowRows);
  const [selected, setSelected] = useState<number | null>(addressSeq);
  // A new address (Apply, Clear, Back, Forward, an edited one) shows its event's detail (#/events/SEQ), or
  // none: a detail opened under another filter may not be in this table.
  const [shownAddress, setShownAddress] = useState(address);
  if (address !== shownAddress) {
    setShownAddress(address);
    setSelected(addressSeq);
  }
  // The order is the officer's view of any filter: Apply and Clear keep it.
  const applyFilter = (next: EventFilter) => {
    const link = eventsLink(next, order);
    if (link !== address) return navigate(link);
    // The address already says so (no new history entry, no hashchange): Apply still starts over.
    setSelected(null);
    pages.backToStart();
    pages.reload();
  };
  const chooseOrder = (next: EventOrder) => navigate(eventsLink(filter, next));
  const tableRef = useRef<HTMLDivElement>(null);
  const { reload, loadMore } = pages;
  // The import bar and the filter bar fold into one line (a table at 720 px showed seven rows); the choice
  // lasts for the session. A running or just-finished import stays in view: its progress and Cancel matter.
  const [filtersHidden, setFiltersHidden] = useSessionFlag(FILTERS_HIDDEN_KEY, shortWindow);
  const importActive = useIngestJob().state.phase !== 'idle';
  const hideRef = useRef<HTMLButtonElement>(null);
  const showRef = useRef<HTMLButtonElement>(null);
  const toggled = useRef(false);
  const toggleFilters = (hide: boolean) => {
    toggled.current = true;
    setFiltersHidden(hide);
  };
  // The button pressed disappears: focus goes to the one that replaces it, not to the page's start.
  useEffect(() => {
    if (!toggled.current) return;
    toggled.current = false;
    (filtersHidden ? showRef : hideRef).current?.focus();
  }, [filtersHidden]);
  const activeFilters = describeFilter(filter);

  const close = useCallback(() => {
    setSelected(null);
    // An event the address named (#/events/SEQ) is closed there too: a reload or a copied link reopened it.
    if (addressSeq !== null) navigate(eventsLink(filter, order));
    // Return focus to the table's active row.
    tableRef.current?.querySelector<HTMLElement>('[role="row"][tabindex="0"]')?.focus();
  }, [addressSeq, filter, order]);
  // Another window of the list: a detail open from the last one may not be in it.
  const continueWindow = () => {
    setSelected(null);
    pages.continueWindow();
  };
  const backToStart = () => {
    setSelected(null);
    pages.backToStart();
  };

  const countText = useMemo(() => {
    // After a failed query the error says what happened; "Counting…" would wait for ever.
    if (pages.total === null) return pages.error !== null ? '' : 'Counting…';
    const filtered = Object.keys(filter).length > 0;
    const noun = pages.total === 1 ? 'event' : 'events';
    return `${formatNumber(pages.total)} ${noun}${filtered ? (pages.total === 1 ? ' matches' : ' match') : ''}`;
  }, [pages.total, pages.error, filter]);

  return (
    <div className="page-grid events-page">
      <div className="import-area" hidden={filtersHidden && !importActive}>
        <ImportPanel onImported={reload} />
      </div>
      <section className="card explorer" aria-label="Events explorer">
        {filtersHidden && (
          <div className="filters-summary" role="group" aria-label="Filters applied">
            <button type="button" className="btn btn-small" ref={showRef} aria-expanded="false" aria-controls={FILTERS_ID} onClick={() => toggleFilters(false)}>
              Show filters{activeFilters.length > 0 ? ` (${activeFilters.length} active)` : ''}
            </button>
            <p className="filters-summary-text">
              {activeFilters.length === 0 ? (
                <span className="muted">No filter applied: all events are listed.</span>
              ) : (
                <>
                  <strong>{activeFilters.length === 1 ? 'Filter:' : 'Filters:'}</strong>{' '}
                  {activeFilters.map((part, i) => (
                    <span key={i} className="filter-chip">
                      {part}
                    </span>
                  ))}
                </>
              )}
            </p>
          </div>
        )}
        <EventFilters
          id={FILTERS_ID}
          hidden={filtersHidden}
          value={filter}
          onApply={applyFilter}
          extraActions={
            <button type="button" className="btn filters-hide" ref={hideRef} aria-expanded="true" aria-controls={FILTERS_ID} title={FOLD_HINT} onClick={() => toggleFilters(true)}>
              Hide filters
            </button>
          }
        />
        <div className="explorer-meta">
          <p className="muted" aria-live="polite">
            {countText}
            {pages.rows.length > 0 && pages.total !== null && pages.rows.length < pages.total && ` · ${formatNumber(pages.rows.length)} loaded`}
            {pages.rows.length > 0 && ` · times in ${LOCAL_ZONE}`}
            {pages.windowStart !== null && (
              <>
                {` · continued after the event of ${formatTableTime(pages.windowStart.time)} (#${formatNumber(pages.windowStart.seq)}) `}
                <button type="button" className="btn btn-small" onClick={backToStart}>
                  {order === 'oldest' ? 'Back to the oldest' : 'Back to the latest'}
                </button>
              </>
            )}
          </p>
          {/* The log's order (seq), not the events' own times: an old file imported today lists above yesterday's import of newer events. */}
          <label className="order-choice" title="The order events were recorded in this vault. To reach a moment in time, set From or Until.">
            Order{' '}
            <select className="input" value={order} onChange={(e) => chooseOrder(e.target.value === 'oldest' ? 'oldest' : 'newest')}>
              <option value="newest">Latest recorded first</option>
              <option value="oldest">Oldest recorded first</option>
            </select>
          </label>
          <span className="explorer-links">
            <a href="#/events/imports">Import history</a>
            <a href="#/events/quarantine">Quarantined records</a>
          </span>
        </div>
        <AddressNotices reading={leftOut} />
        {pages.total === 0 && <NearMatchesNote filter={filter} near={pages.nearMatches} />}
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
            order={order}
            moreBeyondWindow={pages.moreBeyondWindow}
            onContinueWindow={continueWindow}
          />
          {selected !== null && <EventDetailPanel seq={selected} onClose={close} />}
        </div>
      </section>
    </div>
  );
}
