import { DIM, detachedCopy } from '../chain/dimensions';

/**
 * Values numbered before the numbering starts over: about 100 bytes each in the parse thread's heap and
 * as much in the writer's (NumberedValues). A log with more distinct actors and IPs than this is numbered
 * again from the start; the writer then looks each value up once more.
 */
export const MAX_NUMBERED_VALUES = 200_000;
/**
 * Characters numbered before the numbering starts over, whatever the count: values can be long (a field
 * is cut at 8,192 characters), and 36,000 distinct 8,000-character actors held by count alone took the
 * parse thread past its heap limit (the import stopped).
 */
export const MAX_NUMBERED_CHARS = 8 * 1024 * 1024;
/** Slots of the table at first: a power of two, more than twice the bound; it doubles when half full. */
const TABLE_SLOTS = 1 << 19;

/**
 * The parse thread's side of ImportDimensions (chain/import-dimensions.ts): numbers each distinct actor
 * and IP value of an import in order of first appearance, per kind (the same text as a name and as a uid
 * is one actor value, as in the dictionary). Each batch carries the values it numbered first.
 */
export class DimensionNumbering {
  /**
   * Open addressing (linear probing) on an FNV-1a hash of the value, at most half full: a Map keyed by
   * the parsed strings cost about 1.5 times as much per lookup (480 against 330 ns, each value a fresh
   * string to hash and compare), and every event looks up three or four values. A slot is two adjacent
   * numbers, the hash and (number << 2 | kind), so a probe reads one cache line before the key itself.
   */
  private mask = TABLE_SLOTS - 1;
  /** Per slot: [hash, number << 2 | kind]; the second is -1 for an empty slot. */
  private slots = new Int32Array(TABLE_SLOTS * 2).fill(-1);
  private keys: Array<string | undefined> = new Array<string | undefined>(TABLE_SLOTS);
  private next = 0;
  private chars = 0;
  private restarted = false;
  private joined = '';
  private lengths: number[] = [];
  private kinds: number[] = [];

  constructor(
    private readonly maxValues: number = MAX_NUMBERED_VALUES,
    private readonly maxChars: number = MAX_NUMBERED_CHARS,
  ) {}

  /** Starts a batch: forgets every number once a bound is reached (the batch then says so). */
  beginBatch(): void {
    this.joined = '';
    this.lengths = [];
    this.kinds = [];
    this.restarted = false;
    if (this.next >= this.maxValues || this.chars >= this.maxChars) {
      this.mask = TABLE_SLOTS - 1;
      this.slots = new Int32Array(TABLE_SLOTS * 2).fill(-1);
      this.keys = new Array<string | undefined>(TABLE_SLOTS);
      this.next = 0;
      this.chars = 0;
      this.restarted = true;
    }
  }

  /** The number of a value (-1 for none or empty). */
  ref(kind: typeof DIM.actor | typeof DIM.ip, value: string | null | undefined): number {
    if (value === null || value === undefined || value === '') return -1;
    let h = 0x811c9dc5 ^ kind;
    for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = slots[slot * 2 + 1]!;
      if (entry < 0) return this.add(slot, h, kind, value);
      if (slots[slot * 2] === h && (entry & 3) === kind && this.keys[slot] === value) return entry >> 2;
    }
  }

  private add(slot: number, h: number, kind: number, value: string): number {
    // Bounds are checked between batches, and one batch can number many values: grow rather than fill up
    // (a full table would probe forever).
    if ((this.next + 1) * 2 > this.mask + 1) {
      this.grow();
      slot = this.freeSlot(h);
    }
    const n = this.next++;
    this.slots[slot * 2] = h;
    this.slots[slot * 2 + 1] = (n << 2) | kind;
    // A copy as the key: a syslog or CSV value is a slice of its line, which the table would keep alive.
    this.keys[slot] = detachedCopy(value);
    this.chars += value.length;
    this.joined += value;
    this.lengths.push(value.length);
    this.kinds.push(kind);
    return n;
  }

  private freeSlot(h: number): number {
    let slot = h & this.mask;
    while (this.slots[slot * 2 + 1]! >= 0) slot = (slot + 1) & this.mask;
    return slot;
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldKeys = this.keys;
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size * 2).fill(-1);
    this.keys = new Array<string | undefined>(size);
    for (let old = 0; old < oldKeys.length; old++) {
      const entry = oldSlots[old * 2 + 1]!;
      if (entry < 0) continue;
      const h = oldSlots[old * 2]!;
      const slot = this.freeSlot(h);
      this.slots[slot * 2] = h;
      this.slots[slot * 2 + 1] = entry;
      this.keys[slot] = oldKeys[old];
    }
  }

  /** What the batch numbered first (ImportDimensions.receive). */
  batchValues(): { restart: boolean; joined: string; lengths: Int32Array; kinds: Uint8Array } {
    return { restart: this.restarted, joined: this.joined, lengths: Int32Array.from(this.lengths), kinds: Uint8Array.from(this.kinds) };
  }
}
