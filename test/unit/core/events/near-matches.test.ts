import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog } from '../../../../electron/core/chain/event-log';
import { ensureSource } from '../../../../electron/core/chain/self-audit';
import { countEvents } from '../../../../electron/core/events/event-query';
import { nearMatches } from '../../../../electron/core/events/near-matches';
import { createTestVault, newEvent, type TestVault } from '../chain/vault-fixture';

let vault: TestVault;
beforeAll(() => {
  vault = createTestVault();
  const { db } = vault;
  const okta = ensureSource(db, 'Okta prod');
  ensureSource(db, 'okta-staging');
  const log = new EventLog(db);
  const users = ['user1581@example.com', 'User1581', 'alice', 'user15810'];
  const items = users.map((user, i) => newEvent(i + 1, okta, 1, { user, ip: `10.0.0.${i + 1}` }));
  items.push(newEvent(9, okta, 1, { user: 'bob', ip: '110.0.0.1' }));
  items.push(newEvent(10, ensureSource(db, '\u00e9cole'), 2, { user: 'carol' }));
  db.transaction(() => log.appendChunk(items)).immediate();
});
afterAll(() => vault.cleanup());

describe('nearMatches (a filter that found nothing)', () => {
  it('offers stored actors equal but for case, or containing what was typed', () => {
    // The outside probe: "user1581" found nothing and the screen never said why.
    expect(countEvents(vault.db, { actor: 'user1581' })).toBe(0);
    expect(nearMatches(vault.db, { actor: 'user1581' }).actor?.sort()).toEqual(['User1581', 'user15810', 'user1581@example.com']);
    expect(nearMatches(vault.db, { actor: 'USER1581@EXAMPLE.COM' }).actor).toEqual(['user1581@example.com']);
    expect(nearMatches(vault.db, { actor: 'nobody' })).toEqual({});
  });

  it('offers addresses that start with a partial IP, not ones that merely contain it', () => {
    expect(nearMatches(vault.db, { ip: '10.0.0' }).ip?.sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
  });

  it('offers sources by any part of their name, and at most five values', () => {
    expect(nearMatches(vault.db, { source: 'OKTA' }).source).toEqual(['Okta prod', 'okta-staging']);
    expect(nearMatches(vault.db, { actor: 'e' }).actor?.length).toBeLessThanOrEqual(5);
    // LIKE wildcards and quotes are text here.
    expect(nearMatches(vault.db, { actor: "%' OR 1=1 --" })).toEqual({});
    expect(nearMatches(vault.db, { actor: '%' })).toEqual({});
  });

  it('finds a source typed in another Unicode form, and names the sources when the one typed does not exist', () => {
    // Outside probe (probe9): "école" typed with a combining accent (NFD) found 0 events, in silence.
    expect(countEvents(vault.db, { source: 'e\u0301cole' })).toBe(1);
    expect(countEvents(vault.db, { source: '\u00e9cole' })).toBe(1);
    expect(nearMatches(vault.db, { source: 'nope' })).toEqual({ sources: ['Okta prod', 'okta-staging', '\u00e9cole'] });
    expect(nearMatches(vault.db, { source: 'okta prod' })).toEqual({ source: ['Okta prod'] });
  });
});
