import { useCallback } from 'react';
import type { QuarantineRow } from '../../../../shared/contract';
import { NO_TIME_HINT } from '../../../../shared/contract/events';
import { useApi } from '../../app/api-context';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorText, Notice } from '../../components/ErrorText';
import { formatNumber, revealHidden, revealHiddenLine } from '../../components/format';
import { useAction } from '../../components/use-action';
import { usePagedList } from '../../components/use-paged-list';

const PAGE = 200;

/** Records that could not be imported, with the reason and the raw line; optionally for one batch. */
export function QuarantineList({ batchId }: { batchId: number | undefined }) {
  const api = useApi();
  const retry = useAction();
  const fetchPage = useCallback(
    (afterId: number | undefined) =>
      api.call('quarantine:list', {
        limit: PAGE,
        ...(batchId === undefined ? {} : { batchId }),
        ...(afterId === undefined ? {} : { afterId }),
      }),
    [api, batchId],
  );
  const list = usePagedList<QuarantineRow>(fetchPage, (r) => r.id);
  const { rows, total, error, loading } = list;
  const untimed = rows.filter((r) => r.status === 'open' && r.reason.includes(NO_TIME_HINT)).length;
  const runRetry = (timeIfMissing?: 'import') =>
    void retry.run(async () => {
      const r = await api.call('quarantine:retry', { ...(batchId === undefined ? {} : { batchId }), ...(timeIfMissing ? { timeIfMissing } : {}) });
      await list.reload();
      return `Retried ${formatNumber(r.retried)}: ${formatNumber(r.imported)} imported, ${formatNumber(r.duplicates)} duplicates, ${formatNumber(r.stillQuarantined)} still quarantined.`;
    });

  return (
    <Card
      title={batchId === undefined ? 'Quarantined records' : `Quarantined records of batch ${batchId}`}
      actions={
        <>
          <a className="btn btn-small" href="#/events">
            Back to events
          </a>
          <button
            type="button"
            className="btn btn-small"
            disabled={retry.busy || rows.length === 0}
            onClick={() => runRetry()}
          >
            Retry all
          </button>
        </>
      }
    >
      <ErrorText>{error ?? retry.error}</ErrorText>
      {retry.done && <Notice tone="success">{retry.done}</Notice>}
      {untimed > 0 && (
        <Notice tone="warning">
          {formatNumber(untimed)} {untimed === 1 ? 'record has' : 'records have'} no time of {untimed === 1 ? 'its' : 'their'} own, so{' '}
          {untimed === 1 ? 'it was' : 'they were'} not put in the log. An event needs a time: if the time each file was imported
          will do (the time Attest received it), retry with that time. The event then says so.{' '}
          <button type="button" className="btn btn-small" disabled={retry.busy} onClick={() => runRetry('import')}>
            Retry, timing these at their import
          </button>
        </Notice>
      )}
      {total !== null && total > 0 && <p className="muted">{formatNumber(total)} {total === 1 ? 'record' : 'records'}</p>}
      {total === 0 && <EmptyState title="Nothing is quarantined." />}
      {rows.length > 0 && (
        <table className="simple-table quarantine-table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Reason</th>
              <th scope="col">Record</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="cell-text" title={revealHiddenLine(r.file)}>
                  {revealHiddenLine(r.file)}
                </td>
                <td className="num">
                  {formatNumber(r.line)}
                  {/* One line can hold a whole {"Records":[…]} file: the record's place in its array tells them apart. */}
                  {r.element !== null && <span className="muted quarantine-element">record {formatNumber(r.element)}</span>}
                </td>
                <td className="cell-wrap">
                  {r.reason}
                  {r.signedBatchSha256 && (
                    <span className="muted quarantine-signed">
                      {' '}
                      From the signed batch whose JWS has SHA-256 <code className="mono">{r.signedBatchSha256}</code>.
                    </span>
                  )}
                </td>
                <td className="cell-raw">
                  <details>
                    <summary className="cell-text mono">{revealHidden(r.rawText.slice(0, 300))}</summary>
                    <pre className="raw">{revealHidden(r.rawText)}</pre>
                  </details>
                </td>
                <td>{r.status === 'open' ? 'Open' : 'Resolved'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.hasMore && (
        <button type="button" className="btn" disabled={loading} onClick={() => void list.more()}>
          {loading ? 'Loading…' : 'Show more'}
        </button>
      )}
    </Card>
  );
}
