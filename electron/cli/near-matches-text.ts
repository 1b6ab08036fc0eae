import type { EventFilter, NearMatches } from '../../shared/contract/events';
import { sanitize } from './terminal-text';

/** For a terminal after "0 event(s).": how --actor, --ip and --source match, and stored values close to them. */
export function nearMatchesText(filter: EventFilter, near: NearMatches): string {
  if (filter.actor === undefined && filter.ip === undefined && filter.source === undefined) return '';
  let text = '--actor, --ip and --source match the whole value exactly as stored, letter case included.\n';
  const lines: Array<['actor' | 'ip' | 'source', string]> = [
    ['actor', 'actors containing'],
    ['ip', 'source IPs starting with'],
    ['source', 'sources containing'],
  ];
  for (const [key, what] of lines) {
    const values = near[key];
    if (values && values.length > 0) text += `Stored ${what} "${sanitize(filter[key] ?? '')}": ${values.map((v) => `"${sanitize(v)}"`).join(', ')}\n`;
  }
  if (near.sources !== undefined) {
    text += `There is no source "${sanitize(filter.source ?? '')}"; the sources are: ${near.sources.map((v) => `"${sanitize(v)}"`).join(', ')}\n`;
  }
  return text;
}
