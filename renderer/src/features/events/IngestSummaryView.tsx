import { Fragment } from 'react';
import type { IngestSummary } from '../../../../shared/contract';
import { eventsLink } from './filter-link';
import { formatBytes, formatNumber, revealHiddenLine } from '../../components/format';
import { formatLabel } from './event-labels';

const headline: Record<'done' | 'cancelled' | 'failed', string> = {
  done: 'Import finished',
  cancelled: 'Import cancelled — events read before the cancel are kept',
  failed: 'Import failed',
};

const NUMERIC_COLUMNS = ['Size', 'Read', 'Imported', 'Duplicates', 'Quarantined'] as const;

/** The headline: a job with one unreadable file among several still imported the others. */
function headlineOf(state: 'done' | 'cancelled' | 'failed', summaries: IngestSummary[]): string {
  const refused = summaries.filter((s) => s.error !== null).length;
  if (state === 'failed' && refused > 0 && refused < summaries.length) {
    return `Import finished — ${refused} of ${summaries.length} files could not be imported`;
  }
  return headline[state];
}

/** Counts per file after an import, with a link to each batch's quarantined records. */
export function IngestSummaryView({ state, summaries, onDismiss }: { state: 'done' | 'cancelled' | 'failed'; summaries: IngestSummary[]; onDismiss: () => void }) {
  const sum = (k: 'read' | 'imported' | 'duplicates' | 'quarantined') => summaries.reduce((n, s) => n + s[k], 0);
  return (
    <div className={`summary summary-${state}`} role="status">
      <div className="summary-head">
        <h3 className="subhead">{headlineOf(state, summaries)}</h3>
        <button type="button" className="btn btn-small" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <dl className="summary-counts">
        <div>
          <dt>Read</dt>
          <dd>{formatNumber(sum('read'))}</dd>
        </div>
        <div>
          <dt>Imported</dt>
          <dd>{formatNumber(sum('imported'))}</dd>
        </div>
        <div>
          <dt>Duplicates</dt>
          <dd>
            {formatNumber(sum('duplicates'))}
            {summaries.some((s) => s.alreadyQuarantined) && (
              <span className="muted count-note">{formatNumber(summaries.reduce((n, s) => n + (s.alreadyQuarantined ?? 0), 0))} still in quarantine, not in the log</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Quarantined</dt>
          <dd>{formatNumber(sum('quarantined'))}</dd>
        </div>
      </dl>
      {/* Bounded: an import of twenty files must not push the events table off the screen (probe8). Focusable, so
          the keyboard can scroll it too. */}
      <div className="summary-files" role="region" aria-label="Files of this import" tabIndex={0}>
        <table className="simple-table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Format</th>
              {NUMERIC_COLUMNS.map((title) => (
                <th key={title} scope="col" className="num">
                  {title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {summaries.map((s, i) => (
              <Fragment key={`${s.file}-${i}`}>
                <tr>
                  <td className="cell-text" title={revealHiddenLine(s.file)}>
                    {revealHiddenLine(s.file)}
                  </td>
                  <td>{s.format !== null ? formatLabel(s.format) : '—'}</td>
                  <td className="num">{formatBytes(s.bytes)}</td>
                  <td className="num">{formatNumber(s.read)}</td>
                  <td className="num">
                    {s.imported > 0 && s.batchId !== null ? <a href={eventsLink({ batchId: s.batchId })} title={`Show the events of batch ${s.batchId}`}>{formatNumber(s.imported)}</a> : formatNumber(s.imported)}
                  </td>
                  <td className="num">{formatNumber(s.duplicates)}</td>
                  <td className="num">
                    {s.quarantined > 0 && s.batchId !== null ? (
                      <a href={`#/events/quarantine?batch=${s.batchId}`}>{formatNumber(s.quarantined)} — review</a>
                    ) : (
                      formatNumber(s.quarantined)
                    )}
                  </td>
                </tr>
                {/* Why a file was refused, and what was assumed for it, in full: a narrow cell would cut it. */}
                {(s.error !== null || (s.notes && s.notes.length > 0)) && (
                  <tr className="summary-detail">
                    <td colSpan={7}>
                      {s.error !== null && <p className="error-inline">{s.error}</p>}
                      {s.csvMappingSource !== undefined && (
                        <p>
                          <a href="#/settings">Set the CSV mapping of “{revealHiddenLine(s.csvMappingSource)}” in Settings › Sources</a>, then import the file
                          again.
                        </p>
                      )}
                      {s.notes && s.notes.length > 0 && (
                        <ul className="summary-notes" aria-label={`What was assumed for ${revealHiddenLine(s.file)}`}>
                          {s.notes.map((n) => (
                            <li key={n}>{n}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
