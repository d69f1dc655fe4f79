import { InputError } from '../errors/index.js';
import { classifyAddress, isAllowedKind } from './ip-address.js';

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
 * literal link-local, metadata, unspecified or multicast addresses; loopback
 * only with `allowLoopback` (and then plain http too).
 *
 * Only the literal text is checked here; the addresses a name resolves to
 * are checked at every connection (address-guard.ts), so DNS cannot route
 * around this.
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

/**
 * The other of the two forms for the same host (reference §8.2): the user URL
 * on the default https port for an admin URL, the admin URL on 7071 for a user URL.
 */
export function otherSoapUrlForm(soapUrl: SoapUrl): string {
  const hostname = new URL(soapUrl.url).hostname;
  return soapUrl.kind === 'admin'
    ? `https://${hostname}/service/soap/`
    : `https://${hostname}:7071/service/admin/soap/`;
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
  const kind =
    hostname === 'localhost' || hostname.endsWith('.localhost')
      ? 'loopback'
      : classifyAddress(hostname);
  if (kind === 'loopback' && !allowLoopback) refuse('loopback addresses are not allowed');
  if (METADATA_NAMES.has(hostname) || (kind !== undefined && !isAllowedKind(kind, true))) {
    refuse(`the host ${hostname} is a link-local, metadata, unspecified or multicast address`);
  }
  return kind === 'loopback';
}

function refuse(problem: string): never {
  throw new InputError(
    'ZIMBRA_INVALID_SOAP_URL',
    'soapUrl',
    `SOAP URL refused: ${problem}; ${RIGHT_FORM}`,
  );
}
