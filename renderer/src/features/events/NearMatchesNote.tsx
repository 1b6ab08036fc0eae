import type { EventFilter, NearMatches } from '../../../../shared/contract';
import { eventsLink } from './filter-link';
import { quoteValue } from './quote-value';
import { revealHiddenLine } from '../../components/format';

const DIMS = [
  { key: 'actor', noun: 'Actors', how: 'containing' },
  { key: 'ip', noun: 'Source IPs', how: 'starting with' },
  { key: 'source', noun: 'Sources', how: 'containing' },
] as const;

/** Whether a typed IP is a whole address (IPv4 dotted quad, or anything the URL parser takes as IPv6). */
export function isWholeIp(value: string): boolean {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(value)) return true;
  if (!value.includes(':')) return false;
  try {
    return new URL(`http://[${value.split('%')[0]}]/`).hostname.startsWith('[');
  } catch {
    return false;
  }
}

/**
 * Under a filter that found nothing: actor, source IP and source match the whole value exactly, letter
 * case included, so "user1581" finds nothing when the log says "user1581@example.com". Says so, and offers
 * the stored values close to what was typed, each a link to the same filter with that value.
 */
export function NearMatchesNote({ filter, near }: { filter: EventFilter; near: NearMatches | null }) {
  const named = DIMS.filter((d) => filter[d.key] !== undefined);
  if (named.length === 0) return null;
  const partialIp = filter.ip !== undefined && !isWholeIp(filter.ip);
  return (
    <div className="near-matches" role="note">
      <p>
        Actor, Source IP and Source find the whole value exactly as stored, letter case included.
        {partialIp && <> {quoteValue(filter.ip ?? '')} is not a whole IP address.</>}
      </p>
      {near?.sources !== undefined && (
        <p>
          There is no source {quoteValue(filter.source ?? '')}.{' '}
          {near.sources.length > 0 && (
            <>
              The sources are:{' '}
              {near.sources.map((v, i) => (
                <span key={v}>
                  {i > 0 && ', '}
                  <a href={eventsLink({ ...filter, source: v })}>{revealHiddenLine(v)}</a>
                </span>
              ))}
            </>
          )}
        </p>
      )}
      {named.map((d) => {
        const values = near?.[d.key];
        if (!values || values.length === 0) return null;
        return (
          <p key={d.key}>
            {d.noun} {d.how} {quoteValue(filter[d.key] ?? '')}:{' '}
            {values.map((v, i) => (
              <span key={v}>
                {i > 0 && ', '}
                <a href={eventsLink({ ...filter, [d.key]: v })}>{revealHiddenLine(v)}</a>
              </span>
            ))}
          </p>
        );
      })}
    </div>
  );
}
