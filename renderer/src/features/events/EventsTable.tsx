import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { EventOrder, EventRow } from '../../../../shared/contract';
import { className, titleText } from './event-labels';
import { formatNumber, revealHidden, revealHiddenLine, toIso } from '../../components/format';
import { formatPreciseDateTime, formatTableTime } from './event-time';
import { OutcomeBadge } from './OutcomeBadge';

export const ROW_HEIGHT = 36;
/** Start fetching the next page this many rows before the end of what is loaded. */
const PREFETCH_ROWS = 100;

/** Column titles and the class that lets CSS hide the less important ones when the detail panel is open. */
const COLUMNS = [
  ['Time', 'col-time'],
  ['Outcome', 'col-outcome'],
  ['Class', 'col-class'],
  ['Actor', 'col-actor'],
  ['Source IP', 'col-ip'],
  ['Operation', 'col-op'],
  ['Message', 'col-message'],
  ['Source', 'col-source'],
] as const;

export interface EventsTableProps {
  rows: EventRow[];
  /** Changes whenever `rows` grew (the array is appended in place). */
  version: number;
  total: number | null;
  hasMore: boolean;
  loading: boolean;
  onNeedMore: () => void;
  selectedSeq: number | null;
  onSelect: (seq: number) => void;
  /** The order the rows come in (default: latest recorded first). */
  order?: EventOrder;
  /** The table holds as many rows as it may (use-event-pages WINDOW_ROWS) and more remain in its order. */
  moreBeyondWindow?: boolean;
  onContinueWindow?: () => void;
}

/**
 * The events table: only the rows in view exist in the DOM, so it scrolls the same over fifty rows or five
 * million. Every value is rendered as a text node; long values are cut visually by CSS (ellipsis), with the
 * start of the value in the tooltip.
 */
export function EventsTable({ rows, version, total, hasMore, loading, onNeedMore, selectedSeq, onSelect, order = 'newest', moreBeyondWindow = false, onContinueWindow }: EventsTableProps) {
  const oldestFirst = order === 'oldest';
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const focusActive = useRef(false);
  const count = rows.length + (hasMore ? 1 : 0);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]?.seq ?? `loader-${index}`,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? (items[items.length - 1]?.index ?? 0) : 0;

  useEffect(() => {
    if (hasMore && !loading && lastIndex >= rows.length - PREFETCH_ROWS) onNeedMore();
  }, [lastIndex, rows.length, version, hasMore, loading, onNeedMore]);

  // A new list (other filters, another window of older events) starts at its top.
  useEffect(() => {
    if (rows.length === 0 && scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [rows.length, version]);

  useEffect(() => {
    if (active >= rows.length && rows.length > 0) setActive(rows.length - 1);
    if (rows.length === 0) setActive(0);
  }, [rows.length, version, active]);

  // Roving focus: after arrow keys move the active row, focus it once it is rendered.
  useEffect(() => {
    if (!focusActive.current) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row-index="${active}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      focusActive.current = false;
    }
  });

  function move(to: number) {
    const next = Math.max(0, Math.min(rows.length - 1, to));
    focusActive.current = true;
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>, index: number) {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const row = rows[index];
    switch (e.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'PageDown':
        move(index + page);
        break;
      case 'PageUp':
        move(index - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'Enter':
      case ' ':
        if (row) onSelect(row.seq);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  return (
    <div className="events-table" role="grid" aria-readonly="true" aria-label={oldestFirst ? 'Events, oldest recorded first' : 'Events, latest recorded first'} aria-rowcount={(total ?? rows.length) + 1}>
      <div className="et-head" role="rowgroup">
        <div className="et-row et-header-row" role="row" aria-rowindex={1}>
          {COLUMNS.map(([title, col]) => (
            <span key={col} className={`et-cell ${col}`} role="columnheader">
              {title}
            </span>
          ))}
        </div>
      </div>
      <div
        className="et-scroll"
        ref={scrollRef}
        data-testid="events-scroll"
        onFocus={(e) => {
          // Tab reached the scroll area itself: the active row was scrolled out of the DOM (mouse or
          // wheel). Focus the first row in view instead, so the keyboard picks up where the eye is.
          if (e.target !== e.currentTarget || rows.length === 0) return;
          move(Math.min(rows.length - 1, Math.ceil(e.currentTarget.scrollTop / ROW_HEIGHT)));
        }}
      >
        <div className="et-body" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            const offset = { transform: `translateY(${item.start}px)` };
            if (!row) {
              return (
                <div key={item.key} className="et-row et-loader" role="row" style={offset}>
                  <span className="et-cell muted" role="gridcell">
                    {/* End reaches only what is loaded: say where the other end of a long list is. */}
                    {oldestFirst ? 'Loading more events… The latest are first under Order: “Latest recorded first”.' : 'Loading more events… The oldest are first under Order: “Oldest recorded first”.'}
                  </span>
                </div>
              );
            }
            return (
              <div
                key={item.key}
                className={`et-row${row.seq === selectedSeq ? ' et-selected' : ''}`}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={row.seq === selectedSeq}
                tabIndex={item.index === active ? 0 : -1}
                data-row-index={item.index}
                style={offset}
                onClick={() => {
                  setActive(item.index);
                  onSelect(row.seq);
                }}
                onFocus={() => setActive(item.index)}
                onKeyDown={(e) => onKeyDown(e, item.index)}
              >
                <span className="et-cell col-time" role="gridcell">
                  <EventTime ms={row.time} />
                </span>
                <span className="et-cell col-outcome" role="gridcell">
                  <OutcomeBadge statusId={row.statusId} />
                </span>
                <span className="et-cell col-class" role="gridcell" title={className(row.classUid)}>
                  {className(row.classUid)}
                </span>
                <Cell col="col-actor" value={row.actor} />
                <Cell col="col-ip mono" value={row.ip} />
                <Cell col="col-op" value={row.operation} />
                <Cell col="col-message" value={row.message} />
                <Cell col="col-source" value={row.source} />
              </div>
            );
          })}
        </div>
        {rows.length === 0 && !loading && !hasMore && <p className="et-empty">No events match these filters.</p>}
        {moreBeyondWindow && onContinueWindow && (
          <div className="et-window-end">
            <p className="muted">
              These are the {formatNumber(rows.length)} {oldestFirst ? 'oldest' : 'latest'} events of this view; a table holds no more at once.
            </p>
            <button type="button" className="btn" onClick={onContinueWindow}>
              {oldestFirst ? 'Continue with newer events' : 'Continue with older events'}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

/**
 * The time to the millisecond, whole (the column is sized for it); the title adds the locale's form with
 * the zone, and the exact UTC instant.
 */
function EventTime({ ms }: { ms: number }) {
  const iso = toIso(ms);
  return (
    <time dateTime={iso} title={`${formatPreciseDateTime(ms)} · ${iso}`}>
      {formatTableTime(ms)}
    </time>
  );
}

/** A cell never needs more text than fits a wide screen; CSS adds the ellipsis. */
const CELL_MAX = 1000;

function Cell({ value, col }: { value: string | null; col: string }) {
  return (
    <span className={`et-cell ${col}`} role="gridcell" title={titleText(value === null ? null : revealHidden(value))}>
      {/* One line per cell: a line break would show as a space ("new\nline" as "new line"), so it is marked. */}
      {value === null ? <span className="muted">—</span> : revealHiddenLine(value.length > CELL_MAX ? value.slice(0, CELL_MAX) : value)}
    </span>
  );
}
