import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AttestError } from '../../../../shared/result';
import { UnlockScreen } from '../../../../renderer/src/features/vault/UnlockScreen';
import { vaultStatus } from '../../helpers/fake-transport';
import { renderWithApi } from '../../helpers/render';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('UnlockScreen', () => {
  it('shows the wrong-passphrase message plainly and stays on the unlock screen', async () => {
    const onUnlocked = vi.fn();
    const { fake } = renderWithApi(<UnlockScreen status={vaultStatus()} onUnlocked={onUnlocked} />, {
      'vault:unlock': () => {
        throw new AttestError('AUTH_FAILED', 'That passphrase does not open this vault.');
      },
    });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Passphrase'), 'not-the-one{Enter}');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'That passphrase does not open this vault.');
    expect(fake.callsTo('vault:unlock')).toEqual([{ method: 'passphrase', passphrase: 'not-the-one' }]);
    expect(onUnlocked).not.toHaveBeenCalled();
    // The field is cleared and focused for the next try.
    expect(screen.getByLabelText('Passphrase')).toHaveProperty('value', '');
    expect(document.activeElement).toBe(screen.getByLabelText('Passphrase'));
  });

  it('unlocks with the right passphrase', async () => {
    const onUnlocked = vi.fn();
    renderWithApi(<UnlockScreen status={vaultStatus()} onUnlocked={onUnlocked} />, {
      'vault:unlock': () => vaultStatus({ locked: false, schemaVersion: 3 }),
    });
    await userEvent.setup().type(screen.getByLabelText('Passphrase'), 'correct horse{Enter}');
    await waitFor(() => expect(onUnlocked).toHaveBeenCalledWith(expect.objectContaining({ locked: false })));
  });

  it('counts down from retryAfterMs when THROTTLED and re-enables Unlock at zero', async () => {
    vi.useFakeTimers();
    renderWithApi(<UnlockScreen status={vaultStatus()} onUnlocked={() => undefined} />, {
      'vault:unlock': () => {
        throw new AttestError('THROTTLED', 'Too many failed attempts.', { retryAfterMs: 30_000 });
      },
    });
    fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: 'guess' } });
    await act(async () => {
      fireEvent.submit(screen.getByRole('form', { name: 'Unlock with passphrase' }));
    });
    expect(screen.getByRole('alert').textContent).toBe('Too many failed attempts.');
    expect(screen.getByRole('timer').textContent).toContain('30 s');
    expect(screen.getByRole('button', { name: 'Unlock' })).toHaveProperty('disabled', true);

    await act(async () => {
      vi.advanceTimersByTime(12_000);
    });
    expect(screen.getByRole('timer').textContent).toContain('18 s');

    await act(async () => {
      vi.advanceTimersByTime(18_500);
    });
    expect(screen.queryByRole('timer')).toBeNull();
    expect(screen.getByRole('button', { name: 'Unlock' })).toHaveProperty('disabled', false);
  });

  it('starts the countdown from the status when the vault is already throttled', () => {
    vi.useFakeTimers();
    renderWithApi(<UnlockScreen status={vaultStatus({ retryAfterMs: 65_000 })} onUnlocked={() => undefined} />, {});
    expect(screen.getByRole('timer').textContent).toContain('1 min 05 s');
  });

  it('explains KEYCHAIN_UNAVAILABLE and moves to the passphrase', async () => {
    const { fake } = renderWithApi(<UnlockScreen status={vaultStatus({ methods: ['keychain', 'passphrase'] })} onUnlocked={() => undefined} />, {
      'vault:unlock': () => {
        throw new AttestError('KEYCHAIN_UNAVAILABLE', 'The OS keychain is not available (no Secret Service running).');
      },
    });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Unlock with the OS keychain' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The OS keychain is not available (no Secret Service running).');
    expect(alert.textContent).toContain('Unlock with your passphrase instead.');
    expect(fake.callsTo('vault:unlock')).toEqual([{ method: 'keychain' }]);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Passphrase')));
  });

  it('offers to create a vault when there is none', async () => {
    const onUnlocked = vi.fn();
    const { fake } = renderWithApi(<UnlockScreen status={vaultStatus({ exists: false, methods: [], vaultId: null })} onUnlocked={onUnlocked} />, {
      'vault:create': () => vaultStatus({ locked: false }),
    });
    const user = userEvent.setup();
    expect(screen.getByRole('heading', { name: 'Create your vault' })).toBeTruthy();
    await user.type(screen.getByLabelText('Passphrase'), 'long enough phrase');
    await user.type(screen.getByLabelText('Confirm passphrase'), 'long enough phrasx');
    await user.click(screen.getByRole('button', { name: 'Create vault' }));
    expect(screen.getByRole('alert').textContent).toBe('The two passphrases do not match.');
    expect(fake.callsTo('vault:create')).toEqual([]);

    await user.clear(screen.getByLabelText('Confirm passphrase'));
    await user.type(screen.getByLabelText('Confirm passphrase'), 'long enough phrase');
    await user.click(screen.getByRole('checkbox', { name: /OS keychain/ }));
    await user.click(screen.getByRole('button', { name: 'Create vault' }));
    await waitFor(() => expect(onUnlocked).toHaveBeenCalled());
    expect(fake.callsTo('vault:create')).toEqual([{ keychain: true, passphrase: 'long enough phrase' }]);
  });

  it('switches to the create form when unlock answers NO_VAULT', async () => {
    renderWithApi(<UnlockScreen status={vaultStatus()} onUnlocked={() => undefined} />, {
      'vault:unlock': () => {
        throw new AttestError('NO_VAULT', 'There is no vault here.');
      },
    });
    await userEvent.setup().type(screen.getByLabelText('Passphrase'), 'whatever{Enter}');
    expect(await screen.findByRole('heading', { name: 'Create your vault' })).toBeTruthy();
  });
});
