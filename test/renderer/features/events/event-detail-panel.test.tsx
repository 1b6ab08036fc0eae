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
});
