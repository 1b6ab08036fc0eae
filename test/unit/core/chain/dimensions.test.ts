import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DIM, DimensionCache, dictionaryForm } from '../../../../electron/core/chain/dimensions';
import { createTestVault, type TestVault } from './vault-fixture';

let vault: TestVault;
beforeEach(() => {
  vault = createTestVault();
});
afterEach(() => vault.cleanup());

describe('DimensionCache', () => {
  it('stays bounded per kind and still answers the stored id for every value after starting over', () => {
    const { db } = vault;
    const cache = new DimensionCache(db, 3);
    const values = Array.from({ length: 10 }, (_, i) => `10.0.0.${i}`);
    const ids = db.transaction(() => values.map((v) => cache.idOf(DIM.ip, v, 1))).immediate();
    expect(new Set(ids).size).toBe(10);
    expect(db.prepare('SELECT count(*) FROM dim_values WHERE kind = ?').pluck().get(DIM.ip)).toBe(10);
    // Every value, cached or forgotten, maps to the id it was stored with; nothing is inserted twice.
    const again = db.transaction(() => values.map((v) => cache.idOf(DIM.ip, v, 1))).immediate();
    expect(again).toEqual(ids);
    for (let i = 0; i < values.length; i++) expect(DimensionCache.find(db, DIM.ip, values[i]!)).toBe(ids[i]);
    expect(db.prepare('SELECT count(*) FROM dim_values WHERE kind = ?').pluck().get(DIM.ip)).toBe(10);
    const internal = (cache as unknown as { ids: Map<number, Map<string, number>> }).ids;
    expect(internal.get(DIM.ip)!.size).toBeLessThanOrEqual(3);
  });

  it('answers without remembering when asked to (the caller keeps the id), and still finds the value later', () => {
    const { db } = vault;
    const cache = new DimensionCache(db);
    const [first, again] = db.transaction(() => [cache.idOf(DIM.actor, 'dora', 1, false), cache.idOf(DIM.actor, 'dora', 2, false)]).immediate();
    expect(again).toBe(first);
    const internal = (cache as unknown as { ids: Map<number, Map<string, number>> }).ids;
    expect(internal.get(DIM.actor)?.size ?? 0).toBe(0);
    expect(db.transaction(() => cache.idOf(DIM.actor, 'dora', 3)).immediate()).toBe(first);
    expect(internal.get(DIM.actor)?.size).toBe(1);
    expect(db.prepare('SELECT count(*) FROM dim_values').pluck().get()).toBe(1);
  });

  it('does not keep the batch strings its values were cut from alive (a cached slice held a whole batch)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { db } = vault;
    const cache = new DimensionCache(db);
    gc();
    const before = getHeapStatistics().used_heap_size;
    db.transaction(() => {
      for (let batch = 0; batch < 40; batch++) {
        // Like a parsed batch's concatenated values: one large string, each value a slice of it.
        const strs = `${'x'.repeat(1024 * 1024)}user${batch}@example.com`;
        cache.idOf(DIM.actor, strs.slice(strs.length - `user${batch}@example.com`.length), 1);
      }
    }).immediate();
    gc();
    const grown = getHeapStatistics().used_heap_size - before;
    // 40 batch strings of 1 MiB each would be ~40 MB; the 40 cached values are a few kilobytes.
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    expect(DimensionCache.find(db, DIM.actor, 'user39@example.com')).not.toBeNull();
  });
});

describe('dictionaryForm', () => {
  it('is exactly what the dictionary reads back for values with lone surrogates, and leaves others alone', () => {
    const values = ['mallory\ud800', 'x\udc01y', '\ud83d\ude00 pair', 'plain', '\udfff\ud800'];
    vault.db.transaction(() => values.forEach((v, i) => vault.db.prepare('INSERT INTO dim_values (kind, value, first_seq) VALUES (1, ?, ?)').run(v, i + 1))).immediate();
    const back = vault.db.prepare('SELECT value FROM dim_values ORDER BY id').pluck().all();
    expect(back).toEqual(values.map(dictionaryForm));
    expect(dictionaryForm('\ud83d\ude00 pair')).toBe('\ud83d\ude00 pair');
  });
});
