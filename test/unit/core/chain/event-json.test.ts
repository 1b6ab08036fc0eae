import { describe, expect, it } from 'vitest';
import { serialiseEvent, serialisesTo } from '../../../../electron/core/chain/event-json';
import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';

const full: CanonicalEvent = {
  class_uid: 3002, class_name: 'Authentication', activity_id: 1, activity_name: 'Logon', time: 1_759_276_800_123,
  status_id: 2, status: 'Failure', status_detail: 'bad "password"\n\u0001', severity_id: 3, message: 'lone \ud800 half',
  actor: { user: { name: 'alice', uid: 'u-1', type: 'User' } },
  src_endpoint: { ip: '192.0.2.1', port: 4242 }, dst_endpoint: { hostname: 'vpn.example' },
  api: { operation: 'Login', service: { name: 'sso' } }, resources: [{ name: 'r', type: 't', uid: 'x' }, {}],
  metadata: { product: { name: 'IdP', vendor_name: 'Ex' }, version: '1.1.0', uid: 'evt-1' },
  cloud: { account: { uid: '1', name: 'acct' }, region: 'eu', provider: 'aws' },
  unmapped: { nested: [1, 'two', { three: null }] },
};

describe('serialiseEvent', () => {
  it('writes JSON that parses back to the same event, in the schema order, escaping as JSON.stringify does', () => {
    const json = serialiseEvent(full);
    expect(JSON.parse(json)).toEqual(full);
    expect(json).toBe(JSON.stringify(full));
    const minimal: CanonicalEvent = { class_uid: 0, activity_id: 0, time: -0, status_id: 0, severity_id: 0, metadata: { product: {} } };
    expect(serialiseEvent(minimal)).toBe('{"class_uid":0,"activity_id":0,"time":0,"status_id":0,"severity_id":0,"metadata":{"product":{}}}');
  });

  it('is independent of the order members were added in', () => {
    const reordered = { metadata: full.metadata, time: full.time, class_uid: full.class_uid, activity_id: 1, status_id: 2, severity_id: 3 } as CanonicalEvent;
    expect(serialiseEvent(reordered)).toBe('{"class_uid":3002,"activity_id":1,"time":1759276800123,"status_id":2,"severity_id":3,"metadata":{"product":{"name":"IdP","vendor_name":"Ex"},"version":"1.1.0","uid":"evt-1"}}');
  });

  it('keeps members outside the schema and omits undefined ones', () => {
    const extra = { ...full, surprise: { a: 1 }, message: undefined } as unknown as CanonicalEvent;
    const parsed = JSON.parse(serialiseEvent(extra)) as Record<string, unknown>;
    expect(parsed.surprise).toEqual({ a: 1 });
    expect('message' in parsed).toBe(false);
  });

  it('refuses values JSON would silently alter', () => {
    expect(() => serialiseEvent({ ...full, time: Number.NaN })).toThrow(/non-finite/);
    expect(() => serialiseEvent({ ...full, unmapped: { x: Infinity } })).toThrow(/non-finite/);
    expect(() => serialiseEvent({ ...full, unmapped: { x: 1n } as unknown as Record<string, unknown> })).toThrow(/bigint/);
  });
});

describe('serialisesTo', () => {
  const bench: CanonicalEvent = {
    class_uid: 3002, class_name: 'Authentication', activity_id: 1, activity_name: 'Logon', time: 1_790_812_800_026, status_id: 1, status: 'Success', severity_id: 1,
    message: 'Successful logon to mail', actor: { user: { name: 'user43@example.com', uid: 'u-43', type: 'User' } },
    src_endpoint: { ip: '10.1.1.7', port: 17417 }, dst_endpoint: { hostname: 'mail.corp.example.com' },
    metadata: { product: { name: 'Example IdP', vendor_name: 'Example' }, version: '1.1.0', uid: 'evt-0' },
  };
  const events: CanonicalEvent[] = [
    full,
    bench,
    { class_uid: 0, activity_id: 0, time: -0, status_id: 0, severity_id: 0, metadata: { product: {} } },
    { ...bench, time: -1_234, severity_id: -7, src_endpoint: { port: 0 }, actor: {}, cloud: { region: 'eu' }, api: { service: {} }, resources: [] },
    { ...bench, time: Number.MAX_SAFE_INTEGER, src_endpoint: { ip: '::1', port: 1.5, hostname: 'h' }, actor: { user: { uid: 'only-uid', email_addr: 'a@b', uid_alt: 'x', credential_uid: 'c' } } },
    { ...bench, time: 1e21, class_uid: 2 ** 60, message: 'tab\there, quote " and 😀 pair' },
    { ...bench, cloud: { account: { name: 'n' }, provider: 'aws' }, resources: [{ uid: 'u' }, { type: 't' }, {}] },
    { ...bench, surprise: [1, 2] } as unknown as CanonicalEvent,
  ];

  it('says true exactly for the text serialiseEvent writes', () => {
    for (const e of events) expect(serialisesTo(e, serialiseEvent(e))).toBe(true);
  });

  it('says false for any other text: each character dropped, changed, doubled, or text added at the end', () => {
    for (const e of events) {
      const text = serialiseEvent(e);
      const others = new Set<string>([text + ' ', text + '}', text.slice(0, -1), ' ' + text, '']);
      for (let i = 0; i < text.length; i++) {
        others.add(text.slice(0, i) + text.slice(i + 1));
        others.add(text.slice(0, i) + text[i] + text.slice(i));
        const c = text.charCodeAt(i);
        // A digit becomes another digit (or a leading zero), anything else its neighbour in the table.
        const swapped = c >= 0x30 && c <= 0x39 ? String.fromCharCode(c === 0x30 ? 0x31 : c - 1) : String.fromCharCode(c + 1);
        others.add(text.slice(0, i) + swapped + text.slice(i + 1));
        if (c >= 0x31 && c <= 0x39) others.add(text.slice(0, i) + '0' + text.slice(i));
      }
      others.delete(text);
      for (const other of others) {
        if (serialisesTo(e, other)) throw new Error(`serialisesTo said true for ${JSON.stringify(other)} (serialiseEvent: ${JSON.stringify(text)})`);
      }
    }
  });

  it('does not take a number written another way for the same number', () => {
    const line = serialiseEvent(bench);
    for (const written of ['1790812800026.0', '1.790812800026e12', '01790812800026', '+1790812800026']) {
      expect(serialisesTo(bench, line.replace('1790812800026', written))).toBe(false);
    }
    expect(serialisesTo({ ...bench, time: 17 }, line.replace('1790812800026', '17179'))).toBe(false);
  });

  it('refuses what serialiseEvent refuses, when the text matches up to it', () => {
    const bad = { ...bench, time: Number.NaN };
    expect(() => serialisesTo(bad, serialiseEvent(bench))).toThrow(/non-finite/);
    expect(() => serialisesTo({ ...bench, unmapped: { x: Infinity } }, serialiseEvent(bench).slice(0, -1) + ',"unmapped":{"x":null}}')).toThrow(/non-finite/);
  });
});
