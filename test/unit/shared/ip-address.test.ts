import { describe, expect, it } from 'vitest';
import { canonicalIp } from '../../../shared/domain/ip-address';

describe('canonicalIp', () => {
  it('writes each IPv6 address one way and leaves everything else as it is', () => {
    expect(canonicalIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIp('2001:db8::1')).toBe('2001:db8::1');
    expect(canonicalIp('::FFFF:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(canonicalIp('::FFFF:C000:0201')).toBe('::ffff:192.0.2.1');
    expect(canonicalIp('0:0:0:0:0:ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(canonicalIp('10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1%eth0');
    expect(canonicalIp('host.example.com')).toBe('host.example.com');
    expect(canonicalIp('not:an]address')).toBe('not:an]address');
  });
});
