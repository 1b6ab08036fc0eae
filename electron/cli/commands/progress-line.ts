import type { IngestProgress } from '../../../shared/contract/events';

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;

function eta(ms: number | null): string {
  if (ms === null) return '--:--';
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One self-overwriting progress line for a terminal (stderr), e.g. during `attest ingest`. */
export function renderProgressLine(p: IngestProgress, width = process.stderr.columns ?? 100): string {
  const pct = p.bytesTotal > 0 ? Math.min(100, Math.floor((p.bytesRead / p.bytesTotal) * 100)) : 0;
  const barWidth = 20;
  const filled = Math.round((pct / 100) * barWidth);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
  const before = p.phase === 'scanning' ? 'reading the dates for their years first' : p.phase === 'checking' ? 'checking the gzip data first' : null;
  const text = before !== null
    ? `${bar} ${String(pct).padStart(3)}%  file ${p.fileIndex + 1}/${p.fileCount}  ${mb(p.bytesRead)}/${mb(p.bytesTotal)}  ${before}`
    : `${bar} ${String(pct).padStart(3)}%  file ${p.fileIndex + 1}/${p.fileCount}  ${mb(p.bytesRead)}/${mb(p.bytesTotal)}  ` +
    `${p.events.toLocaleString('en-US')} events  ${Math.round(p.eventsPerSec).toLocaleString('en-US')} ev/s  ETA ${eta(p.etaMs)}`;
  return text.length > width - 1 ? text.slice(0, width - 1) : text;
}
