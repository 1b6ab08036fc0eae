import { formatDateTime, toIso } from './format';

/** A time in the operator's locale, with the exact ISO 8601 UTC value on hover. */
export function DateTime({ ms, className }: { ms: number; className?: string }) {
  const iso = toIso(ms);
  return (
    <time dateTime={iso} title={iso} className={className}>
      {formatDateTime(ms)}
    </time>
  );
}
