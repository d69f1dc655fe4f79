import { isIP } from 'node:net';
import { InputError } from '../errors/index.js';

/** `user`: the mail-port servlet `/service/soap/`; `admin`: `/service/admin/soap/`. */
export type SoapUrlKind = 'user' | 'admin';

export interface SoapUrl {
  /** Normalised form, always with the trailing slash, e.g. `https://mail.example.com/service/soap/`. */
  readonly url: string;
  readonly origin: string;
  readonly path: '/service/soap/' | '/service/admin/soap/';
  readonly kind: SoapUrlKind;
  /** Host name without IPv6 brackets, lower-case. */
  readonly hostname: string;
  readonly isLoopback: boolean;
}

export interface ParseSoapUrlOptions {
  /** Allow 127.0.0.0/8, ::1 and `localhost` (and then plain http); for tests and the simulator. */
  allowLoopback?: boolean;
}

const RIGHT_FORM =
  'use https://mail.example.com/service/soap/ or https://mail.example.com:7071/service/admin/soap/';

const PATHS: Record<string, { path: SoapUrl['path']; kind: SoapUrlKind }> = {
  '/service/soap': { path: '/service/soap/', kind: 'user' },
  '/service/soap/': { path: '/service/soap/', kind: 'user' },
  '/service/admin/soap': { path: '/service/admin/soap/', kind: 'admin' },
  '/service/admin/soap/': { path: '/service/admin/soap/', kind: 'admin' },
};

// Cloud metadata services that answer on names rather than on link-local literals.
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'instance-data']);

/**
 * Validates and normalises a domain's Zimbra SOAP URL.
 *
 * Accepts the two forms of reference §8.2, with or without the trailing slash.
 * Refuses other paths, non-https schemes, credentials, queries, fragments, and
 * literal link-local or metadata addresses; loopback only with `allowLoopback`
 * (and then plain http too).
 *
 * FIXME: only literal addresses are checked; a name that resolves to a
 * link-local or metadata address passes until the DNS check of DESIGN.md
 * ("the resolved address is checked") is built in the transport.
 *
 * @throws InputError `ZIMBRA_INVALID_SOAP_URL` with field `soapUrl`.
 */
export function parseSoapUrl(input: string, options: ParseSoapUrlOptions = {}): SoapUrl {
  const text = input.trim();
  if (text === '') refuse('it is empty');
  if (/[?#]/.test(text)) refuse('it must not have a query string or fragment');

  const parsed = parseUrl(text);
  if (parsed.username !== '' || parsed.password !== '') refuse('it must not contain credentials');
  const route = PATHS[parsed.pathname];
  if (route === undefined) refuse(`the path ${parsed.pathname} is not a Zimbra SOAP path`);

  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const isLoopback = checkHost(hostname, options.allowLoopback === true);
  checkScheme(parsed.protocol, isLoopback);

  const origin = `${parsed.protocol}//${parsed.host}`;
  return Object.freeze({ url: `${origin}${route.path}`, origin, ...route, hostname, isLoopback });
}

/** The two URL forms for the host of `soapUrl`, to suggest when the port refused the path. */
export function suggestSoapUrls(soapUrl: string): string[] {
  const hostname = new URL(soapUrl).hostname;
  return [`https://${hostname}/service/soap/`, `https://${hostname}:7071/service/admin/soap/`];
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    return refuse('it is not a URL');
  }
}

function checkScheme(protocol: string, isLoopback: boolean): void {
  if (protocol === 'https:') return;
  if (protocol === 'http:' && isLoopback) return;
  refuse(`the scheme ${protocol.replace(/:$/, '')} is not allowed, only https`);
}

/** Returns whether the host is loopback; refuses what must never be reached. */
function checkHost(hostname: string, allowLoopback: boolean): boolean {
  if (hostname === '') refuse('it has no host');
  const loopback = isLoopbackHost(hostname);
  if (loopback && !allowLoopback) refuse('loopback addresses are not allowed');
  if (!loopback && isForbiddenHost(hostname)) {
    refuse(`the host ${hostname} is a link-local, metadata or unspecified address`);
  }
  return loopback;
}

function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  const v4 = ipv4Of(hostname);
  if (v4 !== undefined) return v4[0] === 127;
  return isIP(hostname) === 6 && expandIpv6(hostname) === '0:0:0:0:0:0:0:1';
}

function isForbiddenHost(hostname: string): boolean {
  if (METADATA_NAMES.has(hostname)) return true;
  const v4 = ipv4Of(hostname);
  if (v4 !== undefined) return isForbiddenIpv4(v4);
  if (isIP(hostname) !== 6) return false;

  const groups = expandIpv6(hostname)
    .split(':')
    .map((g) => parseInt(g, 16));
  const first = groups[0] ?? 0;
  if (groups.every((g) => g === 0)) return true;
  if ((first & 0xffc0) === 0xfe80) return true;
  // fd00:ec2::254 is the EC2 instance metadata service over IPv6.
  return expandIpv6(hostname) === 'fd00:ec2:0:0:0:0:0:254';
}

function isForbiddenIpv4([a, b, c, d]: number[]): boolean {
  if (a === 169 && b === 254) return true;
  if (a === 0) return true;
  // 100.100.100.200 is Alibaba Cloud's metadata service.
  return a === 100 && b === 100 && c === 100 && d === 200;
}

/** The four octets of a dotted IPv4 literal, including one embedded as ::ffff:a.b.c.d. */
function ipv4Of(hostname: string): number[] | undefined {
  if (isIP(hostname) === 4) return hostname.split('.').map(Number);
  if (isIP(hostname) !== 6) return undefined;
  const groups = expandIpv6(hostname).split(':');
  if (groups.slice(0, 5).some((g) => g !== '0') || groups[5] !== 'ffff') return undefined;
  const high = parseInt(groups[6] ?? '0', 16);
  const low = parseInt(groups[7] ?? '0', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

/** Eight colon-separated lower-case groups without leading zeros. */
function expandIpv6(address: string): string {
  let text = address.toLowerCase();
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

function refuse(problem: string): never {
  throw new InputError(
    'ZIMBRA_INVALID_SOAP_URL',
    'soapUrl',
    `SOAP URL refused: ${problem}; ${RIGHT_FORM}`,
  );
}
