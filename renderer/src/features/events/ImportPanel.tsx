import { useRef, useState, type DragEvent } from 'react';
import { IngestFormatSchema, type IngestFormat } from '../../../../shared/contract';
import { Card } from '../../components/Card';
import { ErrorText } from '../../components/ErrorText';
import { formatBytes, formatDuration, formatNumber } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { IngestSummaryView } from './IngestSummaryView';
import { useIngestJob } from './ingest-context';
import { FORMAT_LABELS } from './event-labels';


/** "event/s" for a rate that shows as 1, else "events/s". */
const perSecondUnit = (rate: number): string => (Math.round(rate) === 1 ? 'event/s' : 'events/s');

/** Import audit logs: drop files or pick them, watch progress, read the counts. */
export function ImportPanel({ onImported }: { onImported: () => void }) {
  const { state, start, cancel, dismiss } = useIngestJob(onImported);
  const [format, setFormat] = useState<IngestFormat | ''>('');
  const [source, setSource] = useState('');
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const busy = state.phase === 'uploading' || state.phase === 'running';

  const begin = (files: File[]) => {
    if (busy || files.length === 0) return;
    void start(files, { ...(format ? { format } : {}), ...(source.trim() ? { source: source.trim() } : {}) });
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    begin(Array.from(e.dataTransfer.files));
  };

  return (
    <Card className="import-card">
      <div
        className={`dropzone${dragging ? ' dropzone-active' : ''}${busy ? ' dropzone-busy' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="dropzone-text">
          <strong className="dropzone-title">Import audit logs</strong>
          <span>Drop files here, or</span>
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => inputRef.current?.click()}>
            Choose files…
          </button>
        </p>
        <input
          ref={inputRef}
          type="file"
          multiple
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            begin(Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
        <div className="dropzone-options">
          <label className="field-inline">
            <span className="field-label">Format</span>
            <select className="input" value={format} disabled={busy} onChange={(e) => setFormat(e.target.value as IngestFormat | '')}>
              <option value="">Detect automatically</option>
              {IngestFormatSchema.options.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABELS[f]}
                </option>
              ))}
            </select>
          </label>
          <label className="field-inline">
            <span className="field-label">Source</span>
            <input className="input" placeholder="e.g. okta-prod" maxLength={128} value={source} disabled={busy} onChange={(e) => setSource(e.target.value)} />
          </label>
        </div>
      </div>

      {state.phase === 'uploading' && (
        <div className="ingest-progress">
          <ProgressBar value={state.sent} max={state.total || 1} label={`Uploading ${state.name}`} valueText={`${formatBytes(state.sent)} of ${formatBytes(state.total)}`} />
          <div className="progress-line">
            <p className="progress-text">
              Uploading {state.fileCount > 1 ? `file ${state.fileIndex + 1} of ${state.fileCount}: ` : ''}
              <span className="progress-file">{state.name}</span> — {formatBytes(state.sent)} of {formatBytes(state.total)}
            </p>
            <button type="button" className="btn btn-small" onClick={() => void cancel()}>
              Cancel
            </button>
          </div>
        </div>
      )}

      {state.phase === 'running' && (
        <div className="ingest-progress">
          <ProgressBar
            value={state.progress ? state.progress.bytesRead : null}
            max={state.progress?.bytesTotal || 1}
            label={state.progress?.phase === 'scanning' ? 'Reading the dates for their years' : state.progress?.phase === 'checking' ? 'Checking the gzip data' : 'Import progress'}
            valueText={state.progress ? `${formatBytes(state.progress.bytesRead)} of ${formatBytes(state.progress.bytesTotal)}` : 'Starting'}
          />
          <div className="progress-line">
            <p className="progress-text">
              {state.progress?.phase === 'scanning' || state.progress?.phase === 'checking' ? (
                <>
                  {state.progress.fileCount > 1 && `File ${state.progress.fileIndex + 1} of ${state.progress.fileCount}: `}
                  <span className="progress-file">{state.progress.file}</span> ·{' '}
                  {state.progress.phase === 'scanning'
                    ? 'reading its dates first, for the years they do not carry'
                    : 'checking every part of the gzip data first, so no damaged record is imported'}{' '}
                  (nothing is imported yet) · {formatBytes(state.progress.bytesRead)} of {formatBytes(state.progress.bytesTotal)}
                </>
              ) : state.progress ? (
                <>
                  {state.progress.fileCount > 1 && `File ${state.progress.fileIndex + 1} of ${state.progress.fileCount}: `}
                  <span className="progress-file">{state.progress.file}</span> ·{' '}
                  {formatBytes(state.progress.bytesRead)} of {formatBytes(state.progress.bytesTotal)} · {formatNumber(state.progress.events)} {state.progress.events === 1 ? 'event' : 'events'} ·{' '}
                  {formatNumber(Math.round(state.progress.eventsPerSec))} {perSecondUnit(state.progress.eventsPerSec)}
                  {state.progress.etaMs !== null && ` · about ${formatDuration(state.progress.etaMs)} left`}
                </>
              ) : (
                'Starting the import…'
              )}
            </p>
            <button type="button" className="btn btn-small" disabled={state.cancelling} onClick={() => void cancel()}>
              {state.cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          </div>
        </div>
      )}

      {state.phase === 'finished' && <IngestSummaryView state={state.state} summaries={state.summaries} onDismiss={dismiss} />}
      {state.phase === 'error' && <ErrorText>{state.message}</ErrorText>}
    </Card>
  );
}
