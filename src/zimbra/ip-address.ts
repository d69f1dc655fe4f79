import { isIP } from 'node:net';

/**
 * What an IP address is, for deciding whether Retract may connect to it.
 * `public` covers everything that is none of the others, private ranges
 * included: a Zimbra server on 10.0.0.0/8 is normal.
 */
export type AddressKind =
  'loopback' | 'link-local' | 'metadata' | 'unspecified' | 'multicast' | 'public';

/** Kinds never reached, whatever the configuration: cloud metadata and what is not a host. */
const ALWAYS_REFUSED: ReadonlySet<AddressKind> = new Set([
  'link-local',
  'metadata',
  'unspecified',
  'multicast',
]);

/** The kind of an IPv4 or IPv6 literal (IPv4-mapped IPv6 counts as its IPv4); undefined for a name. */
export function classifyAddress(address: string): AddressKind | undefined {
  const v4 = ipv4Of(address);
  if (v4 !== undefined) return classifyIpv4(v4);
  if (isIP(address) !== 6) return undefined;
  return classifyIpv6(expandIpv6(address));
}

/** Whether an address of this kind may be connected to under the loopback policy. */
export function isAllowedKind(kind: AddressKind, allowLoopback: boolean): boolean {
  if (kind === 'loopback') return allowLoopback;
  return !ALWAYS_REFUSED.has(kind);
}

function classifyIpv4([a, b, c, d]: number[]): AddressKind {
  if (a === 127) return 'loopback';
  // 169.254.169.254 is the metadata service of AWS, GCP, Azure and others.
  if (a === 169 && b === 254) return c === 169 && d === 254 ? 'metadata' : 'link-local';
  // 100.100.100.200 is Alibaba Cloud's metadata service.
  if (a === 100 && b === 100 && c === 100 && d === 200) return 'metadata';
  if (a === 0) return 'unspecified';
  if (a !== undefined && a >= 224 && a <= 239) return 'multicast';
  return 'public';
}

function classifyIpv6(expanded: string): AddressKind {
  if (expanded === '0:0:0:0:0:0:0:1') return 'loopback';
  if (expanded === '0:0:0:0:0:0:0:0') return 'unspecified';
  // fd00:ec2::254 is the EC2 instance metadata service over IPv6.
  if (expanded === 'fd00:ec2:0:0:0:0:0:254') return 'metadata';
  const first = parseInt(expanded.split(':')[0] ?? '0', 16);
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** The four octets of a dotted IPv4 literal, including one embedded as ::ffff:a.b.c.d. */
function ipv4Of(address: string): number[] | undefined {
  if (isIP(address) === 4) return address.split('.').map(Number);
  if (isIP(address) !== 6) return undefined;
  const groups = expandIpv6(address).split(':');
  if (groups.slice(0, 5).some((g) => g !== '0') || groups[5] !== 'ffff') return undefined;
  const high = parseInt(groups[6] ?? '0', 16);
  const low = parseInt(groups[7] ?? '0', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

/** Eight colon-separated lower-case groups without leading zeros; a zone id is dropped. */
function expandIpv6(address: string): string {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    const tail = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    text = text.slice(0, dotted.index) + tail;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16).toString(16)).join(':');
}
