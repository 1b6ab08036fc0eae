import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { Backup } from '../../../../renderer/src/features/settings/Backup';
import { renderWithApi } from '../../helpers/render';

afterEach(cleanup);

describe('Backup (browser mode)', () => {
  it('asks for a file name, not a path, and shows where the host wrote it', async () => {
    const { fake } = renderWithApi(<Backup />, {
      'vault:backup': ({ outFile }) => ({ file: `/home/officer/.local/share/attest/backups/${outFile}`, bytes: 2048, sha256: 'ab'.repeat(32) }),
    });
    const input = screen.getByLabelText(/Backup file name \(saved in the backups folder beside the vault\)/);
    // The example name carries today's date, not the day the screen was written (probe8).
    const today = new Date();
    const ymd = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    expect(input.getAttribute('placeholder')).toBe(`attest-backup-${ymd}.vault`);
    const user = userEvent.setup();
    await user.type(input, 'monday.vault{Enter}');
    await waitFor(() => expect(fake.callsTo('vault:backup')).toEqual([{ outFile: 'monday.vault' }]));
    expect((await screen.findByRole('status')).textContent).toContain('/home/officer/.local/share/attest/backups/monday.vault');
  });
});
