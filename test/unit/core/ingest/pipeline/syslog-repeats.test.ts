import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../../../electron/core/ingest/import-file';
import { retryQuarantine } from '../../../../../electron/core/ingest/quarantine';
import { saveSource } from '../../../../../electron/core/sources/source-store';
import { createPipelineVault, expectReconciled, NOW, type PipelineVault } from './pipeline-fixture';

let vault: PipelineVault;
beforeEach(() => {
  vault = createPipelineVault();
});
afterEach(() => vault.cleanup());

const events = (): Array<{ status_id: number; count?: number; actor?: { user?: { name?: string } }; message?: string }> =>
  (vault.db.prepare("SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name != 'attest' ORDER BY e.seq").pluck().all() as string[]).map((j) => JSON.parse(j));

// Found by an outside probe (/work/notes/probe7): a repeat took the wrong line as the one it repeats.
describe('"last message repeated" never repeats a line that was not the one before it', () => {
  it('after a line the splitter refused (over 16 MiB) it repeats nothing', async () => {
    const file = vault.input('split.log');
    writeFileSync(file, [
      'Nov 20 10:00:00 host1 sshd[10]: Failed password for root from 203.0.113.5 port 22 ssh2',
      `Nov 20 10:00:01 host1 sshd[10]: Connection closed by 198.51.100.7 ${'A'.repeat(17 * 1024 * 1024)}`,
      'Nov 20 10:00:02 host1 sshd[10]: last message repeated 5 times',
      '',
    ].join('\n'));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'syslog', syslogYear: 2026 });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ read: 3, imported: 2, quarantined: 1 });
    const [failure, repeat] = events();
    expect(failure).toMatchObject({ status_id: 2, actor: { user: { name: 'root' } } });
    // Not 5 more failed root logons: a plain event saying what the line says.
    expect(repeat!.count).toBeUndefined();
    expect(repeat!.status_id).not.toBe(2);
  });

  it('a retried repeat is read on its own, not against the row retried before it', async () => {
    const file = vault.input('retry.log');
    // Lines 1 and 3 have no year: with 2031 they are in the future and quarantined; line 2 carries its own.
    writeFileSync(file, [
      'Nov 20 10:00:00 host1 sshd[10]: Failed password for root from 203.0.113.5 port 22 ssh2',
      '<38>1 2026-11-20T10:00:01Z host1 sshd 10 - - Accepted password for alice from 203.0.113.9 port 22 ssh2',
      'Nov 20 10:00:02 host1 sshd[10]: last message repeated 5 times',
      '',
    ].join('\n'));
    saveSource(vault.db, { name: 'rr', syslogYear: 2031 });
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'syslog', source: 'rr' });
    expect(s).toMatchObject({ read: 3, imported: 1, quarantined: 2 });
    saveSource(vault.db, { name: 'rr', syslogYear: 2026 });
    expect(await retryQuarantine(vault.db, {}, 'o', NOW)).toMatchObject({ retried: 2, imported: 2, stillQuarantined: 0 });
    const repeat = events().find((e) => e.message?.includes('last message repeated'));
    // It used to become 5 failed logons of root (the row retried before it), though it repeats alice's logon.
    expect(repeat!.count).toBeUndefined();
    expect(repeat!.actor).toBeUndefined();
  });
});
