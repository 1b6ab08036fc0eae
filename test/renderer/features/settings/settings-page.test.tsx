import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Source } from '../../../../shared/contract';
import { SettingsPage } from '../../../../renderer/src/features/settings/SettingsPage';
import { vaultStatus } from '../../helpers/fake-transport';
import { renderWithApi } from '../../helpers/render';

afterEach(cleanup);

const unlocked = vaultStatus({
  locked: false,
  schemaVersion: 3,
  methods: ['keychain', 'passphrase'],
  autoLockMinutes: 20,
  keyCreatedAt: '2026-10-10T15:00:00.000Z',
});

const hrExport: Source = {
  name: 'hr-export',
  signedOnly: false,
  hasJwks: false,
  jwksKeyIds: [],
  issuer: null,
  // As the importer reads it: { field: column }.
  csvMapping: { time: 'Event Time', 'actor.user.name': 'User' },
  syslogYear: 2026,
  syslogZone: 'Europe/Berlin',
};

function factOf(label: string): string {
  const dt = screen.getAllByText(label).find((el) => el.tagName === 'DT');
  if (!dt) throw new Error(`no fact ${label}`);
  return dt.nextElementSibling?.textContent ?? '';
}

describe('SettingsPage', () => {
  it('shows the vault as the status describes it', async () => {
    renderWithApi(<SettingsPage />, { 'sources:list': () => [] }, { status: unlocked });
    expect(factOf('Location')).toBe('/home/officer/.local/share/attest/vault');
    expect(factOf('Vault ID')).toBe('7f3c2a91-5b1e-4d8a-9c0e-2e6f81d4b7a3');
    expect(factOf('Unlock methods')).toBe('OS keychain, Passphrase');
    expect(factOf('Schema version')).toContain('3');
    expect(factOf('Cipher')).toContain('SQLCipher');
    expect(factOf('Auto-lock')).toBe('After 20 minutes without activity');
    expect(factOf('Encryption key')).toMatch(/days old/);
    const key = screen.getByText((_, el) => el?.tagName === 'TIME' && el.getAttribute('dateTime') === '2026-10-10T15:00:00.000Z');
    expect(key.getAttribute('title')).toBe('2026-10-10T15:00:00.000Z');
    expect(screen.getByRole('form', { name: 'Change passphrase' })).toBeTruthy();
    expect(screen.getByLabelText('Minutes without activity')).toHaveProperty('value', '20');
    expect(await screen.findByText(/No sources are configured/)).toBeTruthy();
  });

  it('hides passphrase change and offers to add one when the vault has only the keychain', () => {
    renderWithApi(<SettingsPage />, { 'sources:list': () => [] }, { status: { ...unlocked, methods: ['keychain'] } });
    expect(screen.queryByRole('form', { name: 'Change passphrase' })).toBeNull();
    expect(screen.getByRole('form', { name: 'Add a passphrase' })).toBeTruthy();
    // The last method cannot be removed.
    expect(screen.getByRole('button', { name: 'Remove' })).toHaveProperty('disabled', true);
  });

  it('sets auto-lock minutes and shows the new status', async () => {
    const setStatus = vi.fn();
    const { fake } = renderWithApi(
      <SettingsPage />,
      { 'sources:list': () => [], 'vault:setAutoLock': ({ minutes }) => ({ ...unlocked, autoLockMinutes: minutes }) },
      { status: unlocked, setStatus },
    );
    const user = userEvent.setup();
    const input = screen.getByLabelText('Minutes without activity');
    await user.clear(input);
    await user.type(input, '5{Enter}');
    await waitFor(() => expect(setStatus).toHaveBeenCalledWith(expect.objectContaining({ autoLockMinutes: 5 })));
    expect(fake.callsTo('vault:setAutoLock')).toEqual([{ minutes: 5 }]);
  });

  it('rotates the key only after confirmation', async () => {
    const { fake } = renderWithApi(<SettingsPage />, { 'sources:list': () => [], 'vault:rekey': () => unlocked }, { status: unlocked });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Rotate key…' }));
    expect(fake.callsTo('vault:rekey')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(fake.callsTo('vault:rekey')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Rotate key…' }));
    // The vault has a passphrase method: the new key must be wrapped with it, so it is asked for.
    await user.type(screen.getByLabelText(/Your passphrase/), 'my passphrase');
    await user.click(screen.getByRole('button', { name: 'Rotate key' }));
    await waitFor(() => expect(fake.callsTo('vault:rekey')).toEqual([{ passphrase: 'my passphrase' }]));
    expect(await screen.findByText('The vault now uses a new encryption key.')).toBeTruthy();
  });

  it('rotates a keychain-only vault without asking for a passphrase', async () => {
    const keychainOnly = { ...unlocked, methods: ['keychain' as const] };
    const { fake } = renderWithApi(<SettingsPage />, { 'sources:list': () => [], 'vault:rekey': () => keychainOnly }, { status: keychainOnly });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Rotate key…' }));
    expect(screen.queryByLabelText(/Your passphrase/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Rotate key' }));
    await waitFor(() => expect(fake.callsTo('vault:rekey')).toEqual([{}]));
  });

  it('edits a source CSV mapping and saves it', async () => {
    const { fake } = renderWithApi(
      <SettingsPage />,
      { 'sources:list': () => [hrExport], 'sources:save': (req) => ({ ...hrExport, csvMapping: req.csvMapping ?? null }) },
      { status: unlocked },
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit source hr-export' }));
    const form = screen.getByRole('form', { name: 'Edit source hr-export' });
    expect(within(form).getByLabelText('CSV column 1')).toHaveProperty('value', 'Event Time');
    await user.click(within(form).getByRole('button', { name: 'Add column' }));
    await user.type(within(form).getByLabelText('CSV column 3'), 'Client IP');
    await user.type(within(form).getByLabelText('Field for column 3'), 'src_endpoint.ip');
    await user.click(within(form).getByRole('button', { name: 'Remove mapping 2' }));
    expect(within(form).getByLabelText('Field for column 1')).toHaveProperty('value', 'time');
    await user.click(within(form).getByRole('button', { name: 'Save source' }));
    await waitFor(() => expect(fake.callsTo('sources:save')).toHaveLength(1));
    expect(fake.callsTo('sources:save')[0]).toMatchObject({
      name: 'hr-export',
      csvMapping: { time: 'Event Time', 'src_endpoint.ip': 'Client IP' },
      syslogYear: 2026,
      syslogZone: 'Europe/Berlin',
    });
  });

  it('says when a mapping names a field Attest does not know, or fills one field twice, once, and does not send it', async () => {
    const { fake } = renderWithApi(
      <SettingsPage />,
      { 'sources:list': () => [hrExport], 'sources:save': () => Promise.reject(Object.assign(new Error('"actor.user.nmae" is not a field Attest can fill from a CSV column (known: time, …).'), { code: 'BAD_REQUEST' })) },
      { status: unlocked },
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit source hr-export' }));
    const form = screen.getByRole('form', { name: 'Edit source hr-export' });
    await user.click(within(form).getByRole('button', { name: 'Add column' }));
    await user.type(within(form).getByLabelText('CSV column 3'), 'Who');
    await user.type(within(form).getByLabelText('Field for column 3'), 'actor.user.nmae');
    expect(within(form).getByRole('alert').textContent).toBe('"actor.user.nmae" is not a field Attest can fill from a CSV column: pick one from the list.');
    // Saving says so once (probe8: the editor's message and the server's, with 25 internal field paths).
    await user.click(within(form).getByRole('button', { name: 'Save source' }));
    // probe10: and not twice either (a second box beside Save): the field to correct gets the focus.
    expect(within(form).getAllByRole('alert').map((a) => a.textContent)).toEqual(['"actor.user.nmae" is not a field Attest can fill from a CSV column: pick one from the list.']);
    expect(document.activeElement).toBe(within(form).getByLabelText('Field for column 3'));
    expect(within(form).getByLabelText('Field for column 3').getAttribute('aria-invalid')).toBe('true');
    expect(fake.callsTo('sources:save')).toHaveLength(0);
    // Every unknown field is named, not only the first.
    await user.click(within(form).getByRole('button', { name: 'Add column' }));
    await user.type(within(form).getByLabelText('CSV column 4'), 'Extra');
    await user.type(within(form).getByLabelText('Field for column 4'), 'unknownfield');
    expect(within(form).getByRole('alert').textContent).toBe('"actor.user.nmae", "unknownfield" are not fields Attest can fill from a CSV column: pick them from the list.');
    await user.click(within(form).getByRole('button', { name: 'Remove mapping 4' }));
    await user.clear(within(form).getByLabelText('Field for column 3'));
    await user.type(within(form).getByLabelText('Field for column 3'), 'time');
    expect(within(form).getByRole('alert').textContent).toBe('The field "time" is filled from two columns: keep one.');
  });

  it('opens an empty form on each "New source", however much of the last one was filled in', async () => {
    renderWithApi(<SettingsPage />, { 'sources:list': () => [hrExport] }, { status: unlocked });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New source' }));
    await user.type(screen.getByLabelText('Name'), 'half-done');
    await user.type(screen.getByLabelText('Issuer (for signed records)'), 'https://idp.example');
    // Unsaved input is not thrown away without asking: keep it first...
    await user.click(screen.getByRole('button', { name: 'New source' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByLabelText('Name')).toHaveProperty('value', 'half-done');
    // ...then discard it.
    await user.click(screen.getByRole('button', { name: 'New source' }));
    await user.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(screen.getByLabelText('Name')).toHaveProperty('value', '');
    expect(screen.getByLabelText('Issuer (for signed records)')).toHaveProperty('value', '');
  });

  it('opens another source at once when nothing was changed, and after a save', async () => {
    const other: Source = { ...hrExport, name: 'other' };
    renderWithApi(<SettingsPage />, { 'sources:list': () => [hrExport, other], 'sources:save': (req) => ({ ...hrExport, syslogZone: req.syslogZone ?? null }) }, { status: unlocked });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit source hr-export' }));
    await user.click(screen.getByRole('button', { name: 'Edit source other' }));
    expect(screen.getByRole('form', { name: 'Edit source other' })).toBeTruthy();
    await user.clear(screen.getByLabelText('Syslog time zone'));
    await user.type(screen.getByLabelText('Syslog time zone'), 'UTC');
    await user.click(screen.getByRole('button', { name: 'Save source' }));
    await screen.findByText(/saved\./);
    await user.click(screen.getByRole('button', { name: 'Edit source hr-export' }));
    expect(screen.queryByRole('button', { name: 'Discard changes' })).toBeNull();
    expect(screen.getByRole('form', { name: 'Edit source hr-export' })).toBeTruthy();
  });

  it('removes a source\'s signing keys when asked', async () => {
    const signed: Source = { ...hrExport, name: 'idp', hasJwks: true, jwksKeyIds: ['k1'], issuer: 'https://idp.example' };
    const { fake } = renderWithApi(
      <SettingsPage />,
      { 'sources:list': () => [signed], 'sources:save': (req) => ({ ...signed, hasJwks: req.jwksJson === '' ? false : signed.hasJwks, jwksKeyIds: req.jwksJson === '' ? [] : ['k1'] }) },
      { status: unlocked },
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit source idp' }));
    await user.click(screen.getByRole('checkbox', { name: /Remove the current keys/ }));
    await user.click(screen.getByRole('button', { name: 'Save source' }));
    await waitFor(() => expect(fake.callsTo('sources:save')).toHaveLength(1));
    expect(fake.callsTo('sources:save')[0]).toMatchObject({ name: 'idp', jwksJson: '' });
    await waitFor(() => expect(screen.queryByRole('checkbox', { name: /Remove the current keys/ })).toBeNull());
  });

  it('marks hidden characters in source names and key ids, so a direction override cannot reverse the text around it', async () => {
    const hostile: Source = { ...hrExport, name: 'evil\u202eprod', hasJwks: true, jwksKeyIds: ['<img src=x>\u202ek1'], issuer: 'https://idp.example' };
    const { container } = renderWithApi(<SettingsPage />, { 'sources:list': () => [hostile] }, { status: unlocked });
    expect(await screen.findByText('evil[U+202E]prod')).toBeTruthy();
    expect(screen.getByText('<img src=x>[U+202E]k1')).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Edit source evil\u202eprod' }));
    expect(screen.getByRole('heading', { name: 'Edit “evil[U+202E]prod”' })).toBeTruthy();
    expect(container.textContent).not.toContain('\u202e');
    expect(container.querySelector('img')).toBeNull();
  });

  it("offers no Edit for Attest's own audit source, whose name cannot be saved", async () => {
    renderWithApi(<SettingsPage />, { 'sources:list': () => [{ ...hrExport, name: 'attest', csvMapping: null }, hrExport] }, { status: unlocked });
    expect(await screen.findByText("Attest's own log")).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Edit source attest' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Edit source hr-export' })).toBeTruthy();
  });
});
