import { isIP } from 'node:net';

const IPV6_TAG = /^ipv6:/i;
const MAPPED_IPV4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/** `c000`, `201` (the last 32 bits of an IPv4-mapped address) as `192.0.2.1`. */
function toDottedQuad(high: string, low: string): string {
  const h = parseInt(high, 16);
  const l = parseInt(low, 16);
  return [h >> 8, h & 0xff, l >> 8, l & 0xff].join('.');
}

/**
 * An SMTP client address as the trace stores and searches it, so that one
 * address written two ways is found either way. IPv4 stays as it is. IPv6
 * takes its RFC 5952 form: lower case, leading zeros dropped, the longest
 * run of zero groups as `::` (`2001:DB8:0::25` is `2001:db8::25`), without
 * the `ipv6:` tag some logs put in front. An IPv4-mapped address keeps its
 * dotted quad (`::ffff:192.0.2.1`, RFC 5952 section 5), whichever way it
 * was written. Text that is no IP address, or an IPv6 address with a zone
 * (`fe80::1%eth0`), is returned as given.
 */
export function canonicalClientAddress(address: string): string {
  if (!address.includes(':')) return address;
  const bare = IPV6_TAG.test(address) ? address.slice(5) : address;
  if (isIP(bare) !== 6 || bare.includes('%')) return address;
  let host: string;
  try {
    // The WHATWG URL parser serialises an IPv6 host in RFC 5952 form, brackets included.
    host = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
  const mapped = MAPPED_IPV4.exec(host);
  return mapped === null ? host : `::ffff:${toDottedQuad(mapped[1]!, mapped[2]!)}`;
}

/**
 * A client address typed into a search, as the trace stores it: surrounding
 * space, square brackets (`[2001:db8::25]`, as Postfix writes a client) and an
 * `ipv6:` tag are dropped. Null when what is left is no IP address.
 */
export function readClientAddressInput(text: string): string | null {
  const trimmed = text.trim();
  const bracketed = trimmed.startsWith('[') && trimmed.endsWith(']');
  const address = canonicalClientAddress(bracketed ? trimmed.slice(1, -1) : trimmed);
  return isIP(address) === 0 ? null : address;
}
