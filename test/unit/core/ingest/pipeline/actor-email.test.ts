import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../../../electron/core/ingest/import-file';
import { verifyChain } from '../../../../../electron/core/chain/verify';
import { countEvents, getEvent, queryEvents } from '../../../../../electron/core/events/event-query';
import { FIXTURES } from '../helpers';
import { createPipelineVault, expectReconciled, NOW, type PipelineVault } from './pipeline-fixture';

let vault: PipelineVault;
beforeEach(() => {
  vault = createPipelineVault();
});
afterEach(() => vault.cleanup());

describe("an actor's e-mail", () => {
  it('finds an Okta sign-in by the login (alternateId) as well as by the display name and the id', async () => {
    // The real-world test found an officer could not search Okta events by the e-mail they know.
    const s = await importFile(vault.db, { path: join(FIXTURES, 'okta/authentication.raw.json') }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'okta', imported: 1 });
    for (const actor of ['john.doe@example.com', 'John Doe', '00uttidj01jqL21aM1d6']) {
      expect(countEvents(vault.db, { actor, source: 'okta' }), actor).toBe(1);
    }
    const row = queryEvents(vault.db, { actor: 'john.doe@example.com' }, { limit: 5 }).rows[0]!;
    expect(row.actor).toBe('John Doe');
    expect(getEvent(vault.db, row.seq)?.event.actor?.user).toMatchObject({ name: 'John Doe', uid: '00uttidj01jqL21aM1d6', email_addr: 'john.doe@example.com' });
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true });
  });

  it('finds a CSV row by its e-mail column, beside the user column', async () => {
    const file = vault.input('signins.csv');
    writeFileSync(file, 'Time,User,Email,IP,Status\n2026-10-01T10:00:00Z,Mary Major,mary@example.com,192.0.2.7,failure\n2026-10-01T10:01:00Z,Mary Major,mary@example.com,192.0.2.7,success\n');
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'csv', imported: 2 });
    expect(countEvents(vault.db, { actor: 'mary@example.com' })).toBe(2);
    expect(countEvents(vault.db, { actor: 'Mary Major', statusId: 2 })).toBe(1);
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true });
  });
});
