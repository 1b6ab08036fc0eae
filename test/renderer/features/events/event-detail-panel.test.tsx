import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EventDetailPanel } from '../../../../renderer/src/features/events/EventDetailPanel';
import { renderWithApi } from '../../helpers/render';
import { eventDetail, eventRow } from '../../helpers/events';

afterEach(cleanup);

describe('EventDetailPanel', () => {
  it('leaves out sections with nothing to show, and marks hidden characters in the other fields', async () => {
    const row = eventRow(5, { actor: null, ip: null, operation: null });
    const detail = eventDetail(row, '{}');
    detail.event.unmapped = { note: 'pay\u202Eevil' };
    renderWithApi(<EventDetailPanel seq={5} onClose={() => undefined} />, { 'events:get': () => detail });
    const panel = await screen.findByRole('complementary', { name: 'Event details' });
    await within(panel).findByText('Integrity');
    for (const empty of ['Actor', 'Network', 'Action']) expect(within(panel).queryByRole('heading', { name: empty })).toBeNull();
    expect(within(panel).getByRole('heading', { name: 'Event' })).toBeTruthy();
    expect(within(panel).getByText(/"note": "pay\[U\+202E\]evil"/)).toBeTruthy();
  });

  it('shows every id of the actor: e-mail, other id and credential (OCSF email_addr, uid_alt, credential_uid)', async () => {
    const row = eventRow(6, { actor: 'anaya' });
    const detail = eventDetail(row, '{}');
    detail.event.actor = { user: { name: 'anaya', uid: 'arn:aws:iam::111122223333:user/anaya', email_addr: 'anaya@example.com', uid_alt: 'AIDACKCEVSQ6C2EXAMPLE', credential_uid: 'AKIAI44QH8DHBEXAMPLE' } };
    renderWithApi(<EventDetailPanel seq={6} onClose={() => undefined} />, { 'events:get': () => detail });
    const panel = await screen.findByRole('complementary', { name: 'Event details' });
    await within(panel).findByRole('heading', { name: 'Actor' });
    const fact = (label: string) => within(panel).getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(fact('E-mail')).toBe('anaya@example.com');
    expect(fact('Other user id')).toBe('AIDACKCEVSQ6C2EXAMPLE');
    expect(fact('Credential')).toBe('AKIAI44QH8DHBEXAMPLE');
  });

  it('says a signed event was verified at import, with its algorithm, key and issuer', async () => {
    const row = eventRow(7, { actor: 'anaya' });
    const detail = { ...eventDetail(row, 'eyJ...'), signature: { alg: 'EdDSA', kid: 'k1', issuer: 'https://idp.example' } };
    renderWithApi(<EventDetailPanel seq={7} onClose={() => undefined} />, { 'events:get': () => detail });
    const panel = await screen.findByRole('complementary', { name: 'Event details' });
    await within(panel).findByText('Integrity');
    expect(within(panel).getByText('Signature', { selector: 'dt' }).nextElementSibling?.textContent).toBe(
      "Verified at import against the source's JWKS: algorithm EdDSA, key “k1”, issuer “https://idp.example”",
    );
  });
});
