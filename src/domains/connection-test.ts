import { isRetractError } from '../errors/index.js';
import {
  otherSoapUrlForm,
  parseSoapUrl,
  probeConnection,
  ZimbraClient,
  type ConnectionProbeReport,
  type HostLookup,
} from '../zimbra/index.js';
import {
  clockCheck,
  dnsCheck,
  endpointCheck,
  notTried,
  preauthCheck,
  tlsCheck,
  type ConnectionCheck,
  type LoginResult,
  type PreAuthAttempt,
} from './connection-checks.js';
import type { DomainCredentials, DomainService } from './domain-service.js';

export type { ConnectionCheck, ConnectionCheckName } from './connection-checks.js';

export interface ConnectionTestOptions {
  /** A mailbox of the domain to try one PreAuth login with. */
  account: string;
  /** Whether loopback targets are allowed (the simulator, tests). */
  allowLoopback: boolean;
  /** Tried when the configured URL's port refuses its servlet; default the other form on the same host. */
  alternativeSoapUrl?: string;
  localAddress?: string;
  lookup?: HostLookup;
  timeoutMs?: number;
  /** Epoch ms; default Date.now. */
  now?: () => number;
}

/** What `retract domain test` prints: one check per step, in plain words. */
export interface ConnectionTestReport {
  domain: string;
  /** Every check passed. */
  ok: boolean;
  checks: ConnectionCheck[];
  /** The configured SOAP URL. */
  soapUrl: string;
  /** The URL that accepted the account's PreAuth login; null when none did. */
  soapUrlAnswered: string | null;
  /** The other URL form, when it is the one that accepted the login. */
  alternativeUrl?: string;
  /** The local address Zimbra sees: for firewalls and zimbraHttpThrottleSafeIPs. */
  egressAddress: string | null;
  rttMs: number | null;
  /** Zimbra's clock minus this machine's, ms. */
  clockSkewMs: number | null;
  /** What a failed PreAuth costs: Zimbra suspends an address after 10 of them. */
  warning: string;
}

const PREAUTH_WARNING =
  "Each failed PreAuth login counts toward Zimbra's suspension of this machine's address after 10 failed logins (every request then gets HTTP 503 for 15 minutes or more); run this test again only after fixing what it reported.";

/**
 * Tests the way to a domain's Zimbra step by step: DNS, TLS, the clock, the
 * SOAP endpoint and one PreAuth login for `account` (never retried). When the
 * configured URL's port refuses its servlet, the other URL form is tried and
 * the report says which one accepts the login. Every failed check says what
 * to do. Nothing is thrown for what the test finds.
 *
 * @throws RetractError `DOMAIN_NOT_FOUND` for an unknown domain; InputError
 *   `ZIMBRA_INVALID_ACCOUNT` for an account that is not an address.
 */
export async function testDomainConnection(
  domains: DomainService,
  name: string,
  options: ConnectionTestOptions,
): Promise<ConnectionTestReport> {
  const credentials = await domains.openCredentials(name);
  const probe = await probeConnection({
    soapUrl: credentials.soapUrl,
    ...(credentials.caPem === null ? {} : { caPem: credentials.caPem }),
    allowLoopback: options.allowLoopback,
    ...pick(options),
  });

  const checks = [dnsCheck(probe), tlsCheck(probe)];
  const reachable = probe.error === undefined;
  const report = baseReport(credentials, probe);
  if (!reachable) {
    checks.push(clockCheck(probe), notTried('endpoint', probe), notTried('preauth', probe));
    return finish(report, checks);
  }

  checks.push(clockCheck(probe));
  const attempt = await attemptPreAuth(credentials, options);
  checks.push(endpointCheck(attempt, credentials), preauthCheck(attempt, credentials));
  const accepted = attempt.alternative?.ok === true ? attempt.alternative : attempt.configured;
  if (accepted.ok) report.soapUrlAnswered = accepted.soapUrl;
  if (attempt.alternative?.ok === true) report.alternativeUrl = attempt.alternative.soapUrl;
  return finish(report, checks);
}

/** One login at the configured URL; on a wrong-port answer, one at the other form. */
async function attemptPreAuth(
  credentials: DomainCredentials,
  options: ConnectionTestOptions,
): Promise<PreAuthAttempt> {
  const configured = await preAuthAt(credentials.soapUrl, credentials, options);
  if (configured.error?.code !== 'ZIMBRA_WRONG_SOAP_URL') return { configured };

  const other =
    options.alternativeSoapUrl ??
    otherSoapUrlForm(parseSoapUrl(credentials.soapUrl, { allowLoopback: true }));
  return { configured, alternative: await preAuthAt(other, credentials, options) };
}

async function preAuthAt(
  soapUrl: string,
  credentials: DomainCredentials,
  options: ConnectionTestOptions,
): Promise<LoginResult> {
  let client: ZimbraClient | undefined;
  try {
    client = new ZimbraClient({
      soapUrl: parseSoapUrl(soapUrl, { allowLoopback: options.allowLoopback }).url,
      preauthKey: credentials.preauthKey,
      ...(credentials.caPem === null ? {} : { caPem: credentials.caPem }),
      allowLoopback: options.allowLoopback,
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      ...pick(options),
    });
    const probe = await client.probePreAuth(options.account);
    const result: LoginResult = { ok: probe.ok, soapUrl: probe.soapUrl };
    if (probe.lifetimeMs !== undefined) result.lifetimeMs = probe.lifetimeMs;
    if (probe.error !== undefined) result.error = probe.error;
    return result;
  } catch (error) {
    // A bad account is the caller's mistake; anything else (the clock GET
    // failed, the other URL form is not allowed here) means no login was sent.
    if (!isRetractError(error) || error.code === 'ZIMBRA_INVALID_ACCOUNT') throw error;
    return { ok: false, soapUrl, error };
  } finally {
    await client?.close();
  }
}

function baseReport(
  credentials: DomainCredentials,
  probe: ConnectionProbeReport,
): ConnectionTestReport {
  return {
    domain: credentials.name,
    ok: false,
    checks: [],
    soapUrl: credentials.soapUrl,
    soapUrlAnswered: null,
    egressAddress: probe.egress?.address ?? null,
    rttMs: probe.rttMs ?? null,
    clockSkewMs: probe.clockSkewMs ?? null,
    warning: PREAUTH_WARNING,
  };
}

function finish(report: ConnectionTestReport, checks: ConnectionCheck[]): ConnectionTestReport {
  return { ...report, checks, ok: checks.every((c) => c.ok) };
}

function pick(options: ConnectionTestOptions) {
  return {
    ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
}
