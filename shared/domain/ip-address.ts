/**
 * One spelling per IPv6 address (RFC 5952, as the WHATWG URL parser writes it: lower case, leading zeros
 * dropped, the longest run of zero groups as ::), so 2001:0DB8::0001 and 2001:db8::1 are found as one.
 * An IPv4-mapped address keeps its dotted tail (::ffff:192.0.2.1, as RFC 5952 recommends), in lower case.
 * Anything else (IPv4, a host name, an address with a zone id) is returned as it is.
 */
export function canonicalIp(address: string): string {
  if (!address.includes(':') || address.includes('%') || address.length > 64) return address;
  if (address.includes('.')) return address.toLowerCase();
  try {
    const host = new URL(`http://[${address}]/`).hostname;
    return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : address;
  } catch {
    return address;
  }
}
