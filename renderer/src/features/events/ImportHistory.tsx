import { Fragment, useCallback, useState } from 'react';
import { seqRangeText } from '../../../../shared/domain/batch-seq-range';
import { settingTimeText, yearChangesText } from '../../../../shared/domain/batch-settings';
import type { Batch } from '../../../../shared/contract';
import { useApi } from '../../app/api-context';
import { Card } from '../../components/Card';
import { DateTime } from '../../components/DateTime';
import { EmptyState } from '../../components/EmptyState';
import { ErrorText } from '../../components/ErrorText';
import { eventsLink } from './filter-link';
import { formatBytes, formatNumber, revealHidden, revealHiddenLine, toIso } from '../../components/format';
import { formatPreciseDateTime, formatTableTime, LOCAL_ZONE } from './event-time';
import { formatLabel } from './event-labels';
import { usePagedList } from '../../components/use-paged-list';

const PAGE = 100;
const COUNT_HEADERS = ['Read', 'Imported', 'Duplicates', 'Quarantined'] as const;

const STATE_LABEL: Record<Batch['state'], string> = {
  running: 'Running',
  done: 'Done',
  cancelled: 'Cancelled',
  failed: 'Failed',
  interrupted: 'Interrupted',
  refused: 'Refused',
};

/** Badge colours: refused and failed imports stand out; cancelled and interrupted kept what was committed. */
const STATE_TONE: Record<Batch['state'], string> = {
  running: 'other',
  done: 'success',
  cancelled: 'other',
  failed: 'failure',
  interrupted: 'other',
  refused: 'failure',
};

/** Plain names for the options an import records (electron/core/ingest/import-file.ts); others show as recorded. */
const SETTING_LABEL: Record<string, string> = {
  format: 'Format',
  requestedFormat: 'Format asked for',
  source: 'Source',
  syslogYear: 'Year for times that carry none (the first line\'s)',
  syslogLastYear: 'Year of the latest such time',
  syslogLatest: 'Latest time without a year',
  syslogYearSource: 'Year taken from',
  syslogYearBasis: 'Years inferred from',
  syslogDatedLines: 'Lines that carry a year',
  syslogDatedDisagreeing: 'Of those, lines that disagree about the year',
  syslogYearChanges: 'New Years in the file',
  syslogZone: 'Zone for times that carry none',
  syslogZoneSource: 'Zone taken from',
  csvHeader: 'CSV header',
  csvMapping: 'CSV mapping (field: column)',
  csvDelimiter: 'CSV delimiter',
  gzip: 'Gzip-compressed',
  signed: 'Signed (JWS)',
  lineEnding: 'Line endings',
  timeIfMissing: 'Time for records that carry none',
  timeIfMissingFrom: 'That time is',
};

/** Settings in the order of SETTING_LABEL (the year's fields together), then any others as recorded. */
export function orderedSettings<T extends { name: string }>(settings: readonly T[]): T[] {
  const order = Object.keys(SETTING_LABEL);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return [...settings].sort((a, b) => rank(a.name) - rank(b.name));
}

/** Where a recorded year or zone came from (SyslogDefaults in electron/core/ingest/syslog-time.ts), in words. */
const SETTING_ORIGIN: Record<string, string> = {
  settings: 'the source settings',
  option: 'given for this import',
  inferred: 'inferred from the file\'s own dates',
};

/** A recorded option value (JSON) as words: strings unquoted, yes/no, "—" for none. */
export function settingText(name: string, json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  if (value === null) return name === 'requestedFormat' ? 'none: detected from the file' : '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') {
    if (name === 'syslogYearSource' || name === 'syslogZoneSource') {
      if (value === 'default') return name === 'syslogYearSource' ? 'not given: inferred from the file (its dated lines, else its latest date taken to be within the past year)' : 'not given: UTC';
      if (value === 'cancelled') return 'not decided: the import was cancelled while the dates were read';
      return SETTING_ORIGIN[value] ?? value;
    }
    if (name === 'syslogYearBasis') return value === 'dated-lines' ? 'the lines of the file that carry a year' : value === 'latest-date' ? 'the latest date, taken to be within the past year' : value;
    if (name === 'timeIfMissingFrom') return value === 'import' ? 'when the file was imported' : 'a time given for this import';
    return value;
  }
  if (typeof value === 'number') {
    return settingTimeText(name, value) ?? String(value);
  }
  if (name === 'csvHeader' && Array.isArray(value)) return value.map(String).join(', ');
  const changes = yearChangesText(name, value);
  if (changes !== null) return changes;
  return json;
}

/**
 * Every import into the vault, the latest first (#/events/imports): what an auditor asks to see — the
 * file and its SHA-256, who imported it and when, the settings it was read with, and how every record
 * was accounted for.
 */
export function ImportHistory() {
  const api = useApi();
  const [open, setOpen] = useState<number | null>(null);
  const fetchPage = useCallback(
    (beforeId: number | undefined) => api.call('batches:list', { limit: PAGE, ...(beforeId === undefined ? {} : { beforeId }) }),
    [api],
  );
  const list = usePagedList<Batch>(fetchPage, (b) => b.id);
  const { rows, total, error, loading } = list;

  return (
    <Card
      title="Import history"
      actions={
        <a className="btn btn-small" href="#/events">
          Back to events
        </a>
      }
    >
      <p className="muted">
        Every file imported into this vault, the latest first, with its SHA-256 and how each record was accounted for
        (read = imported + duplicates + quarantined). A file refused before its import began — not recognised, unreadable —
        is recorded in Attest&apos;s own log instead: filter the events by source <span className="mono">attest</span>.
      </p>
      <ErrorText>{error}</ErrorText>
      {total === 0 && <EmptyState title="Nothing has been imported yet." />}
      {rows.length > 0 && (
        <table className="simple-table history-table">
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Started</th>
              <th scope="col">File</th>
              <th scope="col">State</th>
              {COUNT_HEADERS.map((h) => (
                <th key={h} scope="col" className="num">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((b) => (
              <Fragment key={b.id}>
                <tr aria-selected={open === b.id}>
                  <td>
                    {/* The batch number opens its details: a column of "Details" buttons cost the file name its width. */}
                    <button
                      type="button"
                      className="btn btn-small history-toggle"
                      aria-expanded={open === b.id}
                      aria-controls={`batch-detail-${b.id}`}
                      aria-label={`${open === b.id ? 'Hide' : 'Show'} the details of batch ${b.id}`}
                      onClick={() => setOpen(open === b.id ? null : b.id)}
                    >
                      <span aria-hidden="true">{open === b.id ? '▾' : '▸'}</span> {b.id}
                    </button>
                  </td>
                  <td>
                    {/* Two lines each: at 1280 px one line per value left the file name a few letters wide. */}
                    <StartedAt ms={b.startedAt} />
                  </td>
                  <td>
                    <span className="cell-text" title={revealHiddenLine(b.file)}>
                      {revealHiddenLine(b.file)}
                    </span>
                    <span className="cell-text muted history-sub" title={revealHiddenLine(`source ${b.source}, format ${formatLabel(b.format)}`)}>
                      {revealHiddenLine(b.source)} · {formatLabel(b.format)}
                    </span>
                  </td>
                  <td>
                    <span className={`badge badge-${STATE_TONE[b.state]}`}>{STATE_LABEL[b.state]}</span>
                  </td>
                  <td className="num">{formatNumber(b.read)}</td>
                  <td className="num">{formatNumber(b.imported)}</td>
                  <td className="num">{formatNumber(b.duplicates)}</td>
                  <td className="num">
                    {b.quarantined > 0 ? <a href={`#/events/quarantine?batch=${b.id}`}>{formatNumber(b.quarantined)}</a> : '0'}
                  </td>
                </tr>
                {open === b.id && (
                  <tr className="history-detail" id={`batch-detail-${b.id}`}>
                    <td colSpan={8}>
                      <BatchDetail batch={b} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {total !== null && (
        <p className="muted">
          {formatNumber(rows.length)} of {formatNumber(total)} {total === 1 ? 'import' : 'imports'}
          {/* Start times are in the browser's zone: named, as the events table names it. */}
          {rows.length > 0 && ` · times in ${LOCAL_ZONE}`}
        </p>
      )}
      {list.hasMore && (
        <button type="button" className="btn" disabled={loading} onClick={() => void list.more()}>
          {loading ? 'Loading…' : 'Show older imports'}
        </button>
      )}
    </Card>
  );
}

function BatchDetail({ batch: b }: { batch: Batch }) {
  // A refused file was never read: it has no events, and its settings are what it would have been read with.
  const refused = b.state === 'refused';
  return (
    <div className="history-detail-body">
      {b.error !== null && <p className="error-inline">{revealHidden(b.error)}</p>}
      <dl className="history-facts">
        <dt>File</dt>
        <dd>{revealHiddenLine(b.file)}</dd>
        <dt>SHA-256</dt>
        <dd className="mono history-hash">{b.sha256 || 'not computed: the file could not be read to the end'}</dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(b.bytes)} ({formatNumber(b.bytes)} bytes)
        </dd>
        <dt>{refused ? 'Tried by' : 'Imported by'}</dt>
        <dd>{revealHiddenLine(b.operator)}</dd>
        <dt>Finished</dt>
        <dd>{b.finishedAt !== null ? <DateTime ms={b.finishedAt} /> : 'not finished'}</dd>
        {!refused && (
          <>
            <dt>Events added</dt>
            <dd>
              {b.firstSeq !== null && b.lastSeq !== null ? (
                <>
                  {seqRangeText(b.firstSeq, b.lastSeq, b.imported)} · <a href={eventsLink({ batchId: b.id })}>Show these events</a>
                </>
              ) : (
                'none'
              )}
            </dd>
          </>
        )}
        {b.identicalTo !== null && (
          <>
            <dt>Same bytes as</dt>
            <dd>
              <a href={eventsLink({ batchId: b.identicalTo })}>batch {b.identicalTo}</a>: nothing was read again
            </dd>
          </>
        )}
      </dl>
      {b.settings.length > 0 && (
        <>
          <h4 className="subhead">{refused ? 'Settings at the time (the file was not read)' : 'Read with'}</h4>
          <dl className="history-facts history-settings">
            {orderedSettings(b.settings).map((s) => (
              <Fragment key={s.name}>
                <dt title={s.name}>{SETTING_LABEL[s.name] ?? s.name}</dt>
                <dd>{revealHidden(settingText(s.name, s.value))}</dd>
              </Fragment>
            ))}
          </dl>
        </>
      )}
      {b.notes.length > 0 && (
        <ul className="summary-notes" aria-label={`What was assumed for batch ${b.id}`}>
          {b.notes.map((n) => (
            <li key={n}>{revealHidden(n)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Day over time of day, written as the events table writes times (probe8: "Nov 23, 2026 5:03:53 AM" here, "2026-11-23 05:03:53.842" there). */
function StartedAt({ ms }: { ms: number }) {
  const [day, clock] = formatTableTime(ms).split(' ');
  return (
    <time dateTime={toIso(ms)} title={`${formatPreciseDateTime(ms)} · ${toIso(ms)}`}>
      <span className="cell-text">{day}</span>
      <span className="cell-text muted history-sub">{clock ?? ''}</span>
    </time>
  );
}
