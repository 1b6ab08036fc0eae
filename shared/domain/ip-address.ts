/**
 * One spelling per IPv6 address (RFC 5952, as the WHATWG URL parser writes it: lower case, leading zeros
 * dropped, the longest run of zero groups as ::), so 2001:0DB8::0001 and 2001:db8::1 are found as one.
 * An IPv4-mapped address is written with its dotted tail, as RFC 5952 recommends (::ffff:192.0.2.1),
 * however it was spelled. Anything else (IPv4, a host name, an address with a zone id) is returned as is.
 */
export function canonicalIp(address: string): string {
  if (!address.includes(':') || address.includes('%') || address.length > 64) return address;
  let host: string;
  try {
    host = new URL(`http://[${address}]/`).hostname;
  } catch {
    return address;
  }
  if (!host.startsWith('[') || !host.endsWith(']')) return address;
  const v6 = host.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!mapped) return v6;
  const hi = parseInt(mapped[1] as string, 16);
  const lo = parseInt(mapped[2] as string, 16);
  return `::ffff:${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}
