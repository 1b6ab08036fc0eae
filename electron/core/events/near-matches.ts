import type { Db } from '../vault/database';
import type { EventFilter, NearMatches } from '../../../shared/contract/events';
import { DIM } from '../chain/dimensions';

/** Values offered per filter: a handful to choose from, not a search result. */
const MAX_OFFERED = 5;
/** Sources listed when the one named does not exist. */
const MAX_LISTED = 20;
/** A value this long is no typed fragment; the scan is skipped. */
const MAX_TYPED = 512;

/**
 * Stored values close to what a filter that found nothing named: actor, IP and source filters match the
 * whole value exactly, letter case included, so "user1581" finds nothing when the log says
 * "user1581@example.com" and an officer could wrongly conclude there is nothing. Offered: values equal
 * but for letter case, or containing the typed text (an IP: starting with it). Run only after a count of
 * zero: each is one scan of the dictionary (tens of milliseconds at a hundred thousand actors).
 */
export function nearMatches(db: Db, filter: EventFilter): NearMatches {
  const out: NearMatches = {};
  const dictionary = (kind: number, typed: string, prefixOnly: boolean): string[] => {
    if (typed === '' || typed.length > MAX_TYPED) return [];
    const where = prefixOnly ? 'instr(lower(value), lower(?)) = 1' : 'instr(lower(value), lower(?)) > 0';
    return db
      .prepare<[number, string, string, number], string>(`SELECT value FROM dim_values WHERE kind = ? AND ${where} AND value != ? LIMIT ?`)
      .pluck()
      .all(kind, typed, typed, MAX_OFFERED);
  };
  if (filter.actor !== undefined) {
    const values = dictionary(DIM.actor, filter.actor, false);
    if (values.length > 0) out.actor = values;
  }
  if (filter.ip !== undefined) {
    const values = dictionary(DIM.ip, filter.ip, true);
    if (values.length > 0) out.ip = values;
  }
  if (filter.source !== undefined && filter.source !== '' && filter.source.length <= MAX_TYPED) {
    const typed = filter.source.normalize('NFKC');
    const values = db
      .prepare<[string, string, number], string>('SELECT name FROM sources WHERE instr(lower(name), lower(?)) > 0 AND name != ? ORDER BY name LIMIT ?')
      .pluck()
      .all(typed, typed, MAX_OFFERED);
    if (values.length > 0) out.source = values;
    else if (db.prepare<[string], number>('SELECT count(*) FROM sources WHERE name = ?').pluck().get(typed) === 0) {
      // No such source at all: the ones there are (a typo of a name is the likely cause).
      out.sources = db.prepare<[number], string>('SELECT name FROM sources ORDER BY name LIMIT ?').pluck().all(MAX_LISTED);
    }
  }
  return out;
}
