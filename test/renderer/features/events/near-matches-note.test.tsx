import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { isWholeIp, NearMatchesNote } from '../../../../renderer/src/features/events/NearMatchesNote';
import { eventsLink, readFilterParams } from '../../../../renderer/src/features/events/filter-link';
import { describeFilter } from '../../../../renderer/src/features/events/filter-summary';
import { draftToFilter, EventFilters } from '../../../../renderer/src/features/events/EventFilters';

afterEach(cleanup);

describe('a filter that found nothing (outside probe: "user1581" and "10.0.0" found nothing without a word)', () => {
  it('says how actor, IP and source match, and links the stored values close to what was typed', () => {
    render(<NearMatchesNote filter={{ actor: 'user1581', ip: '10.0.0', statusId: 2 }} near={{ actor: ['user1581@example.com', 'User\u202E1581'], ip: ['10.0.0.7'] }} />);
    const note = screen.getByRole('note');
    expect(note.textContent).toContain('find the whole value exactly as stored, letter case included');
    expect(note.textContent).toContain('“10.0.0” is not a whole IP address');
    expect(screen.getByRole('link', { name: 'user1581@example.com' }).getAttribute('href')).toBe(eventsLink({ actor: 'user1581@example.com', ip: '10.0.0', statusId: 2 }));
    // A stored value is log data: its hidden characters are shown as markers.
    expect(screen.getByRole('link', { name: 'User[U+202E]1581' })).toBeTruthy();
    expect(screen.getByRole('link', { name: '10.0.0.7' }).getAttribute('href')).toBe(eventsLink({ actor: 'user1581', ip: '10.0.0.7', statusId: 2 }));
  });

  it('says nothing when no actor, IP or source was named', () => {
    const { container } = render(<NearMatchesNote filter={{ statusId: 2 }} near={null} />);
    expect(container.textContent).toBe('');
  });

  it('tells a whole IP address from a part of one', () => {
    for (const ip of ['192.0.2.7', '2001:db8::1', '::ffff:192.0.2.1', 'fe80::1%eth0']) expect(isWholeIp(ip), ip).toBe(true);
    for (const ip of ['10.0.0', '256.1.1.1', '10.0.0.01', 'db8::g', 'host.example', '']) expect(isWholeIp(ip), ip).toBe(false);
  });
});

describe("hiding Attest's own events", () => {
  it('round-trips through the address, shows in the folded summary, and is a checkbox of the filter bar', () => {
    const link = eventsLink({ statusId: 2, hideOwn: true });
    expect(link).toBe('#/events?statusId=2&hideOwn=1');
    expect(readFilterParams(link.split('?')[1]!).filter).toEqual({ statusId: 2, hideOwn: true });
    expect(readFilterParams('hideOwn=0').filter).toEqual({});
    expect(readFilterParams('hideOwn=yes').ignored).toEqual(['hideOwn']);
    expect(describeFilter({ hideOwn: true })).toEqual(["Attest's own events hidden"]);
    render(<EventFilters value={{ hideOwn: true }} onApply={() => undefined} />);
    expect((screen.getByRole('checkbox', { name: "Hide Attest's own events" }) as HTMLInputElement).checked).toBe(true);
    expect(draftToFilter({ since: '', until: '', classUid: '', statusId: '', actor: '', ip: '', source: '', batchId: '', hideOwn: true })).toEqual({ hideOwn: true });
  });

  it('offers class 0 ("Base Event") in the class list', () => {
    render(<EventFilters value={{ classUid: 0 }} onApply={() => undefined} />);
    expect((screen.getByRole('combobox', { name: 'Class' }) as HTMLSelectElement).value).toBe('0');
    expect(screen.getByRole('option', { name: 'Base Event' })).toBeTruthy();
  });
});
