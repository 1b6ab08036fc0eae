import type { Db } from '../vault/database';

export interface Zone {
  firstSeq: number;
  lastSeq: number;
  minTime: number;
  maxTime: number;
  count: number;
  headHash: Buffer;
}

export type TimeVerdict = 'inside' | 'outside' | 'partial';

/**
 * The zone map: per event block (event_blocks, without its data) its seq range and time range. Loaded
 * whole: one row per block of up to a thousand events (or per self-audit event), small next to the events.
 */
export class ChunkZones {
  private constructor(private readonly zones: Zone[]) {}

  static load(db: Db): ChunkZones {
    const rows = db
      .prepare<[], Zone>('SELECT first_seq AS firstSeq, last_seq AS lastSeq, min_time AS minTime, max_time AS maxTime, count, head_hash AS headHash FROM event_blocks ORDER BY first_seq')
      .all();
    return new ChunkZones(rows);
  }

  get all(): readonly Zone[] {
    return this.zones;
  }

  /** Chunks that may hold events in [since, until) below beforeSeq, newest first. */
  *overlappingDescending(since: number, until: number, beforeSeq: number): Generator<Zone> {
    for (let i = this.zones.length - 1; i >= 0; i--) {
      const zone = this.zones[i]!;
      if (zone.firstSeq >= beforeSeq) continue;
      if (zone.maxTime >= since && zone.minTime < until) yield zone;
    }
  }

  /** Chunks that may hold events in [since, until) above afterSeq, oldest first. */
  *overlappingAscending(since: number, until: number, afterSeq: number): Generator<Zone> {
    for (const zone of this.zones) {
      if (zone.lastSeq <= afterSeq) continue;
      if (zone.maxTime >= since && zone.minTime < until) yield zone;
    }
  }

  /** Whether every, no, or only some events of the chunk holding seq fall in [since, until). */
  timeVerdict(seq: number, since: number | null, until: number | null): TimeVerdict {
    const zone = this.find(seq);
    if (!zone) return 'partial';
    const lo = since ?? Number.MIN_SAFE_INTEGER;
    const hi = until ?? Number.MAX_SAFE_INTEGER;
    if (zone.maxTime < lo || zone.minTime >= hi) return 'outside';
    if (zone.minTime >= lo && zone.maxTime < hi) return 'inside';
    return 'partial';
  }

  private find(seq: number): Zone | undefined {
    let lo = 0;
    let hi = this.zones.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const zone = this.zones[mid]!;
      if (seq < zone.firstSeq) hi = mid - 1;
      else if (seq > zone.lastSeq) lo = mid + 1;
      else return zone;
    }
    return undefined;
  }
}
