/**
 * A determinate progress bar (value 0..max) or an indeterminate one (value null). The fill width is set
 * through the CSSOM (React's style prop), which the page's CSP allows.
 */
export function ProgressBar({ value, max = 100, label, valueText }: { value: number | null; max?: number; label: string; valueText?: string }) {
  const pct = value === null || max <= 0 ? null : Math.max(0, Math.min(100, (value / max) * 100));
  return (
    <div
      className={`progress${pct === null ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct === null ? undefined : Math.round(pct)}
      aria-valuetext={valueText}
    >
      <div className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
