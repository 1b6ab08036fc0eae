import type { Db } from '../vault/database';
import type { CanonicalEvent } from '../../../shared/domain/canonical-event';
import { STATUS } from '../../../shared/domain/canonical-event';

/**
 * Searchable dimensions. Actor and IP are dictionary-encoded in dim_values (kind = DIM.actor / DIM.ip);
 * the others are small integers used as posting keys directly. Dictionary rows are never deleted or
 * renumbered, which is what lets every EventLog keep an id cache without invalidation. Each row is
 * inserted together with the first event carrying its value and records that event's seq (first_seq), so
 * verification can check every entry against an event of its own (verify-range.ts).
 */
export const DIM = { actor: 1, ip: 2, classUid: 3, statusId: 4, source: 5, batch: 6 } as const;
export type Dim = (typeof DIM)[keyof typeof DIM];

/**
 * event_summary's dim for Attest's own audit events (vault unlocks, imports, retries): counted per minute
 * and outcome only, apart from the monitored services' events (dim 0), so the Overview's time axis,
 * charts and failing-actor lists show what the services did, not the operator's own sessions and imports.
 */
export const SUMMARY_OWN_DIM = 7;

/** Outcome buckets of the overview and event_summary. */
export const OUTCOME = { success: 0, failure: 1, other: 2 } as const;

export function outcomeOf(statusId: number): number {
  if (statusId === STATUS.success) return OUTCOME.success;
  if (statusId === STATUS.failure) return OUTCOME.failure;
  return OUTCOME.other;
}

/** The user name, else the uid, else the e-mail: what the explorer shows and the overview ranks. */
export function displayActor(event: CanonicalEvent): string | null {
  const user = event.actor?.user;
  return nonEmpty(user?.name) ?? nonEmpty(user?.uid) ?? nonEmpty(user?.email_addr);
}

export function sourceIp(event: CanonicalEvent): string | null {
  return nonEmpty(event.src_endpoint?.ip);
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/** Values cached per dimension kind before the cache starts over (about 100 bytes each). */
const MAX_CACHED_PER_KIND = 200_000;

/** value -> dim_values.id per kind, filled on demand; only values never seen before are inserted. */
export class DimensionCache {
  private readonly ids = new Map<number, Map<string, number>>();
  /** Ids this cache inserted since the last validate(): their transaction may yet roll back. */
  private inserted: Array<{ kind: number; value: string; id: number }> = [];
  private readonly insert;
  private readonly select;
  private readonly byId;
  /** Moves each time validate() forgets ids a rolled-back transaction had inserted (NumberedValues keeps ids too). */
  generation = 0;

  constructor(db: Db, private readonly maxCachedPerKind: number = MAX_CACHED_PER_KIND) {
    this.insert = db.prepare<[number, string, number]>('INSERT INTO dim_values (kind, value, first_seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    this.select = db.prepare<[number, string], { id: number }>('SELECT id FROM dim_values WHERE kind = ? AND value = ?');
    this.byId = db.prepare<[number], { kind: number; value: string }>('SELECT kind, value FROM dim_values WHERE id = ?');
  }

  /**
   * Call at the start of each write transaction. If the transaction that inserted a cached id rolled
   * back (a cancelled import), that id may now be missing or reused for another value: forget everything.
   */
  validate(): void {
    // Ids inserted since the last call all came from one transaction: it committed or rolled back as a
    // whole, so its first and last rows tell. (Checking every one cost ~1 µs per new value.)
    const first = this.inserted[0];
    const last = this.inserted[this.inserted.length - 1];
    const stale = [first, last].some((entry) => {
      if (entry === undefined) return false;
      const row = this.byId.get(entry.id);
      return !row || row.kind !== entry.kind || row.value !== entry.value;
    });
    if (stale) {
      this.ids.clear();
      this.generation++;
    }
    this.inserted = [];
  }

  /**
   * Id of an existing or new value. Must run inside the caller's write transaction, for the event about
   * to be appended as `seq`: a new value records it as its first_seq (the event verify checks it against).
   * `remember: false` leaves a value this cache does not hold out of it: the caller keeps the id itself
   * (NumberedValues), and a second copy of every value of a large import cost the writer ~20 MB.
   */
  idOf(kind: number, value: string, seq: number, remember = true): number {
    let byValue = this.ids.get(kind);
    if (!byValue) {
      byValue = new Map();
      this.ids.set(kind, byValue);
    }
    const cached = byValue.get(value);
    if (cached !== undefined) return cached;
    // Bounded: a log with millions of distinct IPs must not grow the importer's heap without limit.
    // Forgetting is safe (a miss asks the table), and a power-law log refills the hot values at once.
    if (byValue.size >= this.maxCachedPerKind) byValue.clear();
    // A copy as the key: values arrive as slices of a parsed batch's string, and a cached slice kept that
    // whole batch string alive (measured: the writer's heap grew by ~55 MB over a 1 GB import).
    const key = detachedCopy(value);
    // Another connection may have inserted it since: the conflict path reads the existing id.
    // run() rather than RETURNING: no result row to build, the new id is lastInsertRowid.
    const info = this.insert.run(kind, value, seq);
    let id: number;
    if (info.changes === 1) {
      id = Number(info.lastInsertRowid);
      this.inserted.push({ kind, value: key, id });
    } else {
      const row = this.select.get(kind, value);
      if (!row) throw new Error('A dictionary value could not be stored.');
      id = row.id;
    }
    if (remember) byValue.set(key, id);
    return id;
  }

  /** Lookup without inserting (queries). */
  static find(db: Db, kind: number, value: string): number | null {
    const row = db.prepare<[number, string], { id: number }>('SELECT id FROM dim_values WHERE kind = ? AND value = ?').get(kind, value);
    return row?.id ?? null;
  }
}

/** The same characters in a string of their own, sharing no storage with a larger string they were cut from. */
export function detachedCopy(value: string): string {
  return (' ' + value).slice(1);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A value as the dictionary reads back: SQLite receives a lone UTF-16 surrogate (which a hostile log can
 * carry in JSON as \ud800) as its three CESU-8 bytes (ED A0 80), and decoding those bytes yields three
 * U+FFFD, as the WHATWG decoder replaces each byte of an invalid sequence. Whatever compares an event's
 * value with the dictionary's compares this form.
 */
export function dictionaryForm(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd\ufffd\ufffd');
}
