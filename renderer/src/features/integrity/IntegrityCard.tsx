import { useState } from 'react';
import type { VerifyReport } from '../../../../shared/contract';
import { useApi } from '../../app/api-context';
import { Card } from '../../components/Card';
import { ErrorText } from '../../components/ErrorText';
import { formatNumber } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { useAction } from '../../components/use-action';

/**
 * Runs `attest verify` from the app: the officer can show an auditor, on the spot, that the record has not
 * been altered since it was written, or where it was. The check takes a few seconds per million events
 * and reports no progress of its own, so the bar is indeterminate and says how much it is reading.
 */
export function IntegrityCard({ events }: { events: number | null }) {
  const api = useApi();
  const action = useAction();
  const [report, setReport] = useState<VerifyReport | null>(null);

  function verify() {
    setReport(null);
    void action.run(async () => {
      setReport(await api.call('chain:verify', {}));
    });
  }

  return (
    <Card title="Record integrity">
      <div className="integrity-row">
        <p className="muted">
          Re-computes the hash chain of every event and every signed checkpoint, and checks the search index, these charts&rsquo; counts and
          the import history against it.
        </p>
        <button type="button" className="btn" onClick={verify} disabled={action.busy}>
          {action.busy ? 'Verifying…' : 'Verify now'}
        </button>
      </div>
      {action.busy && <ProgressBar value={null} label={events === null ? 'Verifying the record' : `Verifying ${formatNumber(events)} events`} />}
      <ErrorText>{action.error}</ErrorText>
      {report && <VerifyResult report={report} />}
    </Card>
  );
}

function VerifyResult({ report }: { report: VerifyReport }) {
  const seconds = (report.ms / 1000).toFixed(1);
  if (report.ok) {
    return (
      <div className="notice notice-success" role="status">
        <p>
          <strong>Unaltered.</strong> {formatNumber(report.count)} events verified through event #{formatNumber(report.headSeq)}, {formatNumber(report.checkpoints)} signed
          checkpoint{report.checkpoints === 1 ? '' : 's'} valid ({seconds} s).
        </p>
        {report.headHash && (
          <p>
            Head hash <span className="mono break">{report.headHash}</span>
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="notice notice-danger" role="alert">
      <p>
        <strong>The record does not verify.</strong> {report.problem ?? 'The chain breaks.'}
      </p>
      {report.firstBadSeq !== null && (
        <p>
          First bad event: <a href={`#/events/${report.firstBadSeq}`}>#{formatNumber(report.firstBadSeq)}</a>
          {/* count is the events whose hashes held up to the break; for an index problem it is all of them. */}
          {report.count === report.firstBadSeq - 1 ? `; the ${formatNumber(report.count)} events before it verified.` : '.'}
        </p>
      )}
    </div>
  );
}
