import { describe, expect, it } from 'vitest';
import { serialiseEvent } from '../../../../electron/core/chain/event-json';
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
