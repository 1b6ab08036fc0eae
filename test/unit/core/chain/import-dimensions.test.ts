import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIM, DimensionCache } from '../../../../electron/core/chain/dimensions';
import { ImportDimensions, type NumberedValues } from '../../../../electron/core/chain/import-dimensions';
import { DimensionNumbering } from '../../../../electron/core/ingest/dimension-numbering';
import { createTestVault, type TestVault } from './vault-fixture';

let vault: TestVault;
beforeEach(() => {
  vault = createTestVault();
});
afterEach(() => vault.cleanup());

/** Numbers one batch of [name, ip] pairs and hands its new values to `dims`, as the two threads do. */
function batch(numbering: DimensionNumbering, dims: ImportDimensions, pairs: Array<[string, string]>): { refs: number[][]; table: NumberedValues } {
  numbering.beginBatch();
  const refs = pairs.map(([name, ip]) => [numbering.ref(DIM.actor, name), numbering.ref(DIM.ip, ip)]);
  const { restart, joined, lengths, kinds } = numbering.batchValues();
  return { refs, table: dims.receive(restart, joined, lengths, kinds) };
}

describe('DimensionNumbering and ImportDimensions', () => {
  it('number each value once per kind and resolve numbers to the ids the dictionary gives the strings', () => {
    const { db } = vault;
    const cache = new DimensionCache(db);
    const numbering = new DimensionNumbering();
    const dims = new ImportDimensions();
    // The same text as an actor and as an IP is two dictionary values; a repeat is the same number.
    const first = batch(numbering, dims, [['alice', '10.0.0.1'], ['10.0.0.1', '10.0.0.1'], ['alice', '10.0.0.2']]);
    expect(first.refs).toEqual([[0, 1], [2, 1], [0, 3]]);
    expect(numbering.ref(DIM.actor, '')).toBe(-1);
    expect(numbering.ref(DIM.actor, undefined)).toBe(-1);
    const second = batch(numbering, dims, [['bob', '10.0.0.2'], ['alice', '10.0.0.1']]);
    expect(second.refs).toEqual([[4, 3], [0, 1]]);
    expect(second.table).toBe(first.table);

    const resolved = db.transaction(() => [...first.refs, ...second.refs].map(([a, i]) => [first.table.idOf(cache, a!, 1), first.table.idOf(cache, i!, 1)])).immediate();
    const direct = new DimensionCache(db);
    const expected = db.transaction(() =>
      [['alice', '10.0.0.1'], ['10.0.0.1', '10.0.0.1'], ['alice', '10.0.0.2'], ['bob', '10.0.0.2'], ['alice', '10.0.0.1']].map(([a, i]) => [direct.idOf(DIM.actor, a!, 1), direct.idOf(DIM.ip, i!, 1)]),
    ).immediate();
    expect(resolved).toEqual(expected);
    expect(db.prepare('SELECT count(*) FROM dim_values').pluck().get()).toBe(5);
    expect(first.table.idOf(cache, -1, 1)).toBeNull();
  });

  it('look a value up again after the transaction that inserted it rolled back', () => {
    const { db } = vault;
    const cache = new DimensionCache(db);
    const { refs, table } = batch(new DimensionNumbering(), new ImportDimensions(), [['carol', '192.0.2.1']]);
    const carol = refs[0]![0]!;
    // A chunk that fails after inserting "carol" (the importer then retries it carefully).
    expect(() =>
      db.transaction(() => {
        cache.validate();
        table.idOf(cache, carol, 1);
        throw new Error('the chunk failed');
      }).immediate(),
    ).toThrow('the chunk failed');
    expect(db.prepare('SELECT count(*) FROM dim_values').pluck().get()).toBe(0);
    const id = db.transaction(() => {
      cache.validate();
      return table.idOf(cache, carol, 2);
    }).immediate();
    expect(db.prepare('SELECT value FROM dim_values WHERE id = ?').pluck().get(id)).toBe('carol');
  });

  it('start the numbering over past the bound; events of earlier batches keep the values they were numbered with', () => {
    const { db } = vault;
    const cache = new DimensionCache(db);
    const numbering = new DimensionNumbering(2);
    const dims = new ImportDimensions();
    const first = batch(numbering, dims, [['a', '10.0.0.1'], ['b', '10.0.0.1']]);
    expect(first.refs).toEqual([[0, 1], [2, 1]]);
    // Three values numbered: the next batch starts over, with numbers that name other values now.
    const second = batch(numbering, dims, [['c', '10.0.0.9'], ['a', '10.0.0.1']]);
    expect(second.refs).toEqual([[0, 1], [2, 3]]);
    expect(second.table).not.toBe(first.table);
    // The first batch's events may still wait for their chunk when the second arrives (chunks span batches).
    const value = db.prepare<[number], string>('SELECT value FROM dim_values WHERE id = ?').pluck();
    const names = (b: typeof first) => db.transaction(() => b.refs.map(([a, i]) => [value.get(b.table.idOf(cache, a!, 1)!), value.get(b.table.idOf(cache, i!, 1)!)])).immediate();
    expect(names(first)).toEqual([['a', '10.0.0.1'], ['b', '10.0.0.1']]);
    expect(names(second)).toEqual([['c', '10.0.0.9'], ['a', '10.0.0.1']]);
    expect(() => second.table.idOf(cache, 4, 1)).toThrow(/never received/);
  });

  it('start the numbering over once the values numbered hold too many characters, however few they are', () => {
    const numbering = new DimensionNumbering(1_000, 10);
    const dims = new ImportDimensions();
    const first = batch(numbering, dims, [['a'.repeat(8), '10.0.0.1']]);
    expect(first.refs).toEqual([[0, 1]]);
    // 16 characters numbered, past the bound of 10: the next batch starts over.
    const second = batch(numbering, dims, [['b', '10.0.0.1']]);
    expect(second.refs).toEqual([[0, 1]]);
    expect(second.table).not.toBe(first.table);
    const third = batch(numbering, dims, [['b', '10.0.0.2']]);
    expect(third.refs).toEqual([[0, 2]]);
    expect(third.table).toBe(second.table);
  });

  it('number more values in one batch than the table first holds (it grows instead of filling up)', () => {
    const numbering = new DimensionNumbering(10);
    numbering.beginBatch();
    const count = 600_000;
    for (let i = 0; i < count; i++) {
      if (numbering.ref(DIM.ip, `v${i}`) !== i) throw new Error(`value ${i} got another number`);
    }
    for (let i = 0; i < count; i += 997) expect(numbering.ref(DIM.ip, `v${i}`)).toBe(i);
    expect(numbering.ref(DIM.actor, 'v0')).toBe(count);
    expect(numbering.batchValues().lengths.length).toBe(count + 1);
  }, 30_000);
});
