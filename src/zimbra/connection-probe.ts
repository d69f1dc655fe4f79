import type { X509Certificate } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import type { FailureClass } from '../errors/index.js';
import { resolveCheckedAddresses, type HostLookup } from './address-guard.js';
import { summariseCertificate, type CertificateSummary } from './certificate-summary.js';
import { ZIMBRA_DEFAULTS } from './defaults.js';
import { transportError } from './faults.js';
import { classifyAddress, isAllowedKind } from './ip-address.js';
import { networkError } from './network-errors.js';
import { parseSoapUrl, type SoapUrl } from './soap-url.js';
import { isZimbraError, type ZimbraError } from './zimbra-error.js';

export interface ConnectionProbeOptions {
  /** A SOAP URL already accepted by parseSoapUrl. */
  soapUrl: string;
  /** The domain's PEM CA, trusted in addition to the system CAs. */
  caPem?: string;
  /** Default: whether the URL itself names loopback. */
  allowLoopback?: boolean;
  localAddress?: string;
  lookup?: HostLookup;
  /** For the connection and for the answer, each; default ZIMBRA_DEFAULTS.connectTimeoutMs. */
  timeoutMs?: number;
  /** Epoch ms, for the clock difference; default Date.now. */
  now?: () => number;
  userAgentVersion?: string;
}

/** A failure the probe met, as plain data. */
export interface ProbeError {
  code: string;
  failureClass: FailureClass;
  message: string;
}

export interface TlsReport extends Partial<CertificateSummary> {
  /** The chain is trusted and the certificate names the host. */
  ok: boolean;
  /** e.g. `TLSv1.3`. */
  protocol?: string;
  /** OpenSSL's verification code, e.g. `CERT_HAS_EXPIRED`. */
  verifyCode?: string;
  error?: ProbeError;
}

/** What one connection to a SOAP URL showed; nothing secret is ever sent. */
export interface ConnectionProbeReport {
  soapUrl: string;
  dns: { ok: boolean; hostname: string; addresses: string[]; error?: ProbeError };
  /** Absent for plain http (loopback only). */
  tls?: TlsReport;
  /** The local end of the connection: the address Zimbra sees, for firewalls and its safe-IP list. */
  egress?: { address: string; port: number };
  /** The GET of the SOAP URL, request sent to headers read, ms. */
  rttMs?: number;
  httpStatus?: number;
  /** Epoch ms of the server's `Date` header. */
  serverDateMs?: number;
  /** Server clock minus local clock, ms (the middle of the Date header's second). */
  clockSkewMs?: number;
  /** The failure that ended the probe, if one did. */
  error?: ProbeError;
}

const MAX_HEAD_BYTES = 64 * 1024;

/**
 * Looks at the way to a Zimbra SOAP URL one step at a time, the way the
 * connection test reports it: DNS (every address checked as the client checks
 * it), the TCP or TLS connection (protocol, certificate, trust, host name),
 * the local address, and one plain GET of the URL for the round trip and the
 * server's clock. The TLS handshake runs without rejecting a bad certificate
 * so it can be described; nothing is written on such a connection, and the
 * GET is only sent over a verified one. No key or token is involved.
 */
export async function probeConnection(
  options: ConnectionProbeOptions,
): Promise<ConnectionProbeReport> {
  const url = parseSoapUrl(options.soapUrl, { allowLoopback: true });
  const report: ConnectionProbeReport = {
    soapUrl: url.url,
    dns: { ok: false, hostname: url.hostname, addresses: [] },
  };

  const address = await resolve(url, options, report);
  if (address === undefined) return report;

  let socket: Socket | undefined;
  try {
    socket = await open(url, address, options, report);
    if (report.tls !== undefined && !report.tls.ok) return withError(report, report.tls.error);
    await getRoot(url, socket, options, report);
  } catch (error) {
    withError(report, probeError(error));
  } finally {
    socket?.destroy();
  }
  return report;
}

async function resolve(
  url: SoapUrl,
  options: ConnectionProbeOptions,
  report: ConnectionProbeReport,
): Promise<string | undefined> {
  const allowLoopback = options.allowLoopback ?? url.isLoopback;
  try {
    const literal = classifyAddress(url.hostname);
    if (literal !== undefined && !isAllowedKind(literal, allowLoopback)) {
      throw transportError('ZIMBRA_ADDRESS_REFUSED', {
        detail: `${url.hostname} is ${literal}`,
        context: { hostname: url.hostname, addressKind: literal },
      });
    }
    const addresses =
      literal !== undefined
        ? [url.hostname]
        : (
            await resolveCheckedAddresses(url.hostname, { allowLoopback, lookup: options.lookup })
          ).map((a) => a.address);
    report.dns = { ok: true, hostname: url.hostname, addresses };
    return addresses[0];
  } catch (error) {
    const failure = probeError(error);
    report.dns = { ok: false, hostname: url.hostname, addresses: [], error: failure };
    withError(report, failure);
    return undefined;
  }
}

/** Connects to the checked address; for https, fills `report.tls` without trusting anything yet. */
async function open(
  url: SoapUrl,
  address: string,
  options: ConnectionProbeOptions,
  report: ConnectionProbeReport,
): Promise<Socket> {
  const port = Number(new URL(url.origin).port) || (url.origin.startsWith('https:') ? 443 : 80);
  const timeoutMs = options.timeoutMs ?? ZIMBRA_DEFAULTS.connectTimeoutMs;
  const base = { host: address, port, timeout: timeoutMs, localAddress: options.localAddress };

  if (!url.origin.startsWith('https:')) {
    const socket = await connected(netConnect(base), 'connect', timeoutMs);
    report.egress = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };
    return socket;
  }

  const socket = (await connected(
    tlsConnect({
      ...base,
      servername: classifyAddress(url.hostname) === undefined ? url.hostname : undefined,
      ca: options.caPem === undefined ? undefined : [...rootCertificates, options.caPem],
      // Only to describe a certificate that fails; checked right below, and
      // a connection that fails the check carries nothing.
      rejectUnauthorized: false,
    }),
    'secureConnect',
    timeoutMs,
  )) as TLSSocket;
  report.egress = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };
  report.tls = inspectTls(socket, url.hostname);
  return socket;
}

function inspectTls(socket: TLSSocket, hostname: string): TlsReport {
  const peer = socket.getPeerX509Certificate();
  const tls: TlsReport = { ok: false, ...(peer ? summariseCertificate(peer) : {}) };
  const protocol = socket.getProtocol();
  if (protocol !== null) tls.protocol = protocol;

  // authorizationError is OpenSSL's code as a string, though typed as an Error.
  const failure: unknown = socket.authorized
    ? identityError(peer, hostname)
    : socket.authorizationError;
  if (failure === undefined || failure === null) return { ...tls, ok: true };

  tls.verifyCode = typeof failure === 'string' ? failure : String((failure as Error).message);
  tls.error = probeError(networkError({ code: tls.verifyCode }, 'ConnectionProbe'));
  return tls;
}

/** The code Node gives a certificate that does not name the host, or undefined when it does. */
function identityError(peer: X509Certificate | undefined, hostname: string): string | undefined {
  const named =
    classifyAddress(hostname) === undefined
      ? peer?.checkHost(hostname) !== undefined
      : peer?.checkIP(hostname) !== undefined;
  return named ? undefined : 'ERR_TLS_CERT_ALTNAME_INVALID';
}

/** One GET of the SOAP path on the verified socket: status, Date, round trip. */
async function getRoot(
  url: SoapUrl,
  socket: Socket,
  options: ConnectionProbeOptions,
  report: ConnectionProbeReport,
): Promise<void> {
  const version = options.userAgentVersion ?? ZIMBRA_DEFAULTS.userAgentVersion;
  const host = new URL(url.origin).host;
  const started = performance.now();
  socket.write(
    `GET ${url.path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${ZIMBRA_DEFAULTS.userAgentName}/${version}\r\n` +
      'Accept: */*\r\nConnection: close\r\n\r\n',
  );
  const head = await readHead(socket, options.timeoutMs ?? ZIMBRA_DEFAULTS.connectTimeoutMs);
  report.rttMs = Math.round(performance.now() - started);

  const status = /^HTTP\/\d\.\d (\d{3})/.exec(head)?.[1];
  if (status !== undefined) report.httpStatus = Number(status);
  const date = /\r\ndate:\s*([^\r\n]+)/i.exec(head)?.[1];
  const serverDateMs = date === undefined ? NaN : Date.parse(date);
  if (Number.isFinite(serverDateMs)) {
    report.serverDateMs = serverDateMs;
    // The Date header has one-second resolution, truncated: take the middle of the second.
    report.clockSkewMs = Math.round(serverDateMs + 500 - (options.now ?? Date.now)());
  }
}

function connected(socket: Socket, event: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(
        Object.assign(new Error('connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
      ),
    );
    socket.once(event, () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function readHead(socket: Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error('no answer'), { code: 'UND_ERR_HEADERS_TIMEOUT' })),
    );
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0) resolve(text.slice(0, end + 2));
      else if (text.length > MAX_HEAD_BYTES) reject(new Error('answer head too large'));
    });
    socket.once('error', reject);
    socket.once('end', () => reject(Object.assign(new Error('closed'), { code: 'ECONNRESET' })));
  });
}

function withError(
  report: ConnectionProbeReport,
  error: ProbeError | undefined,
): ConnectionProbeReport {
  if (error !== undefined && report.error === undefined) report.error = error;
  return report;
}

function probeError(error: unknown): ProbeError {
  const zimbra: ZimbraError = isZimbraError(error) ? error : networkError(error, 'ConnectionProbe');
  return { code: zimbra.code, failureClass: zimbra.failureClass, message: zimbra.message };
}
