import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VaultStatus } from '../../../shared/contract';
import { App } from '../../../renderer/src/app/App';
import { vaultStatus } from '../helpers/fake-transport';
import { renderWithApi } from '../helpers/render';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  window.location.hash = '';
});

const overviewEmpty = () => ({ total: 0, bucketMs: 86_400_000, series: [], topFailingActors: [], topFailingIps: [] });

function vaultServer(initial: VaultStatus) {
  let status = initial;
  return {
    get status() {
      return status;
    },
    handlers: {
      'vault:status': () => status,
      'vault:unlock': () => (status = { ...status, locked: false, schemaVersion: 3 }),
      'vault:lock': () => (status = { ...status, locked: true, schemaVersion: null }),
      'vault:touch': () => ({ done: true as const }),
      'events:overview': overviewEmpty,
    },
    lockNow() {
      status = { ...status, locked: true, schemaVersion: null };
    },
  };
}

describe('App', () => {
  it('unlocks into the shell with navigation, and Lock returns to the unlock screen', async () => {
    const server = vaultServer(vaultStatus());
    const { fake } = renderWithApi(<App />, server.handlers);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Passphrase'), 'correct horse{Enter}');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    for (const name of ['Overview', 'Events', 'Alerts', 'Requests', 'Retention', 'Reports', 'Settings']) {
      expect(nav.querySelector(`a[href="#/${name.toLowerCase()}"]`)?.textContent).toBe(name);
    }
    expect(screen.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
    expect(await screen.findByText('The vault holds no events yet.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Lock' }));
    expect(await screen.findByRole('heading', { name: 'Unlock your vault' })).toBeTruthy();
    expect(fake.callsTo('vault:lock')).toEqual([{}]);
  });

  it('returns to the unlock screen with a line about inactivity on a vault:locked push', async () => {
    const server = vaultServer(vaultStatus({ locked: false, schemaVersion: 3, autoLockMinutes: 10 }));
    const { fake } = renderWithApi(<App />, server.handlers);
    await screen.findByRole('navigation', { name: 'Main' });
    server.lockNow();
    act(() => fake.push({ type: 'vault:locked', reason: 'idle' }));
    expect(await screen.findByRole('heading', { name: 'Unlock your vault' })).toBeTruthy();
    expect(screen.getByText('Attest locked the vault after 10 minutes of inactivity.')).toBeTruthy();
  });

  it('shows a page whose capability is missing as one plain line', async () => {
    window.location.hash = '#/retention';
    const server = vaultServer(vaultStatus({ locked: false, schemaVersion: 3 }));
    const { container } = renderWithApi(<App />, server.handlers);
    expect(await screen.findByText(/^Retention is not available yet/)).toBeTruthy();
    expect(container.querySelector('main svg, main table')).toBeNull();
  });

  it('touches the vault on activity at most once a minute', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const server = vaultServer(vaultStatus({ locked: false, schemaVersion: 3 }));
    const { fake } = renderWithApi(<App />, server.handlers);
    await screen.findByRole('navigation', { name: 'Main' });
    await act(async () => undefined); // let the shell's effects (the activity listeners) run
    fireEvent.keyDown(window, { key: 'a' });
    expect(fake.callsTo('vault:touch')).toHaveLength(0);
    vi.setSystemTime(start + 61_000);
    fireEvent.keyDown(window, { key: 'a' });
    fireEvent.pointerDown(window);
    vi.setSystemTime(start + 90_000);
    fireEvent.pointerDown(window);
    expect(fake.callsTo('vault:touch')).toHaveLength(1);
    vi.setSystemTime(start + 122_000);
    fireEvent.pointerDown(window);
    await waitFor(() => expect(fake.callsTo('vault:touch')).toHaveLength(2));
  });
});
