import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../../../shared/contract';
import { AttestError } from '../../../../shared/result';
import { IntegrityCard } from '../../../../renderer/src/features/integrity/IntegrityCard';
import { renderWithApi } from '../../helpers/render';

afterEach(cleanup);

const REPORT: VerifyReport = { ok: true, count: 1_200_345, headSeq: 1_200_345, headHash: 'ab'.repeat(32), checkpoints: 3, firstBadSeq: null, problem: null, ms: 4_210, scope: 'full' };

describe('IntegrityCard', () => {
  it('verifies on demand, with a progress bar while it runs, and shows the count and head hash', async () => {
    let release: () => void = () => undefined;
    const { fake } = renderWithApi(<IntegrityCard events={1_200_345} />, {
      'chain:verify': () => new Promise<VerifyReport>((resolve) => (release = () => resolve(REPORT))),
    });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Verify now' }));
    expect(screen.getByRole('progressbar', { name: 'Verifying 1,200,345 events' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Verifying…' }) as HTMLButtonElement).disabled).toBe(true);
    release();
    const status = await screen.findByRole('status');
    expect(status.textContent).toContain('Unaltered. 1,200,345 events verified through event #1,200,345, 3 signed checkpoints valid (4.2 s).');
    expect(status.textContent).toContain('ab'.repeat(32));
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(fake.callsTo('chain:verify')).toEqual([{}]);
  });

  it('says plainly where the record breaks and links to the first bad event', async () => {
    renderWithApi(<IntegrityCard events={null} />, {
      'chain:verify': () => ({ ...REPORT, ok: false, count: 6, firstBadSeq: 7, problem: 'Event 7 does not match its hash: it was altered, or an event before it was replaced.' }),
    });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Verify now' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The record does not verify. Event 7 does not match its hash');
    expect(within(alert).getByRole('link', { name: '#7' }).getAttribute('href')).toBe('#/events/7');
    expect(alert.textContent).toContain('the 6 events before it verified');
  });

  it('does not claim the events before an index problem were the only ones verified', async () => {
    renderWithApi(<IntegrityCard events={null} />, {
      'chain:verify': () => ({ ...REPORT, ok: false, count: 1_000, firstBadSeq: 31, problem: 'The actor index of events 31–60 no longer matches them.' }),
    });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Verify now' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('First bad event: #31.');
    expect(alert.textContent).not.toContain('before it verified');
  });

  it('shows an error the host returns, and can run again', async () => {
    let calls = 0;
    renderWithApi(<IntegrityCard events={10} />, {
      'chain:verify': () => {
        calls++;
        if (calls === 1) throw new AttestError('LOCKED', 'The vault is locked.');
        return REPORT;
      },
    });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Verify now' }));
    expect(await screen.findByText('The vault is locked.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Verify now' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Unaltered.'));
  });
});
