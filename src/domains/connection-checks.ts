import type { RetractError } from '../errors/index.js';
import type { ConnectionProbeReport, ProbeError, TlsReport } from '../zimbra/index.js';
import type { DomainCredentials } from './domain-service.js';

export type ConnectionCheckName = 'dns' | 'tls' | 'clock' | 'endpoint' | 'preauth';

/** One step of a connection test, in plain words; `advice` says what to do when there is something to do. */
export interface ConnectionCheck {
  name: ConnectionCheckName;
  ok: boolean;
  summary: string;
  advice?: string;
  details: Record<string, unknown>;
}

/** One PreAuth login of the test. */
export interface LoginResult {
  ok: boolean;
  soapUrl: string;
  lifetimeMs?: number;
  error?: RetractError;
}

/** The login at the configured URL and, after a wrong-port answer, at the other form. */
export interface PreAuthAttempt {
  configured: LoginResult;
  alternative?: LoginResult;
}

/** Zimbra's PreAuth window (reference §1.3). */
const PREAUTH_WINDOW_MS = 5 * 60_000;
const NOTABLE_SKEW_MS = 60_000;

export function dnsCheck(probe: ConnectionProbeReport): ConnectionCheck {
  const { hostname, addresses } = probe.dns;
  if (probe.dns.ok) {
    return check('dns', true, `${hostname} resolves to ${addresses.join(', ')}`, {}, probe.dns);
  }
  const error = probe.dns.error;
  const advice =
    error?.code === 'ZIMBRA_ADDRESS_REFUSED'
      ? "Retract never connects to link-local, cloud-metadata, unspecified or multicast addresses (nor to loopback unless allowed); fix the DNS record or use the Zimbra server's real host name in the SOAP URL."
      : "Check the host name in the domain's SOAP URL and this machine's DNS resolver.";
  return check(
    'dns',
    false,
    `${hostname} cannot be used: ${error?.message ?? 'no address'}`,
    { advice },
    probe.dns,
  );
}

export function tlsCheck(probe: ConnectionProbeReport): ConnectionCheck {
  if (!probe.dns.ok) return notTried('tls', probe);
  const tls = probe.tls;
  if (tls === undefined) {
    if (probe.error !== undefined) return connectionFailed(probe.error, probe);
    return check(
      'tls',
      true,
      'plain HTTP to a loopback address (the simulator or a test): no TLS',
      {},
      {},
    );
  }
  if (tls.ok) {
    return check(
      'tls',
      true,
      `${tls.protocol ?? 'TLS'}; certificate for ${tls.subject ?? '?'} issued by ${tls.issuer ?? '?'}, valid until ${tls.validTo ?? '?'}, trusted and naming the host`,
      {},
      tlsDetails(tls),
    );
  }
  const { summary, advice } = tlsProblem(tls, probe.dns.hostname);
  return check('tls', false, summary, { advice }, tlsDetails(tls));
}

export function clockCheck(probe: ConnectionProbeReport): ConnectionCheck {
  const skew = probe.clockSkewMs;
  if (skew === undefined) {
    if (probe.error !== undefined) return notTried('clock', probe);
    return check(
      'clock',
      true,
      'the server sent no Date header, so its clock could not be compared',
      {
        advice:
          "Keep this machine's clock synchronised (NTP): Zimbra refuses a PreAuth more than 5 minutes off.",
      },
      {},
    );
  }
  const details = {
    clockSkewMs: skew,
    serverDate: new Date(probe.serverDateMs ?? 0).toISOString(),
  };
  const off = `${describeMs(Math.abs(skew))} ${skew > 0 ? 'behind' : 'ahead of'} the Zimbra server`;
  if (Math.abs(skew) > PREAUTH_WINDOW_MS) {
    return check(
      'clock',
      true,
      `This machine's clock is ${off}: more than the 5 minutes Zimbra allows, so a PreAuth login would fail without correction. Retract corrects its timestamps from the server's clock.`,
      {
        advice:
          'Fix the clock (NTP) on this machine or on the Zimbra server anyway: other PreAuth clients of the domain fail, and a correction read from a proxy in front of Zimbra may be wrong.',
      },
      { ...details, withinZimbraWindow: false },
    );
  }
  const summary =
    Math.abs(skew) > NOTABLE_SKEW_MS
      ? `This machine's clock is ${off}; within Zimbra's 5 minutes, and Retract corrects for it`
      : `within ${describeMs(Math.max(Math.abs(skew), 1000))} of the Zimbra server`;
  return check('clock', true, summary, {}, { ...details, withinZimbraWindow: true });
}

export function endpointCheck(
  attempt: PreAuthAttempt,
  credentials: DomainCredentials,
): ConnectionCheck {
  const { configured, alternative } = attempt;
  const details = { soapUrl: configured.soapUrl, code: configured.error?.code };
  if (alternative === undefined) {
    if (answeredSoap(configured))
      return check('endpoint', true, `${configured.soapUrl} answers SOAP`, {}, details);
    return check(
      'endpoint',
      false,
      `${configured.soapUrl} did not answer SOAP: ${configured.error?.message ?? ''}`,
      {
        advice: 'Check the SOAP URL and any proxy or firewall between Retract and Zimbra.',
      },
      details,
    );
  }

  const refused = `${configured.soapUrl} is not served on its port (Zimbra answered "Request not allowed on port")`;
  const withAlt = {
    ...details,
    alternativeUrl: alternative.soapUrl,
    alternativeCode: alternative.error?.code,
  };
  if (alternative.ok) {
    return check(
      'endpoint',
      false,
      `${refused}; ${alternative.soapUrl} accepts the account's PreAuth login`,
      {
        advice: `Use ${alternative.soapUrl} as the domain's SOAP URL: retract domain set ${credentials.name} --soap-url ${alternative.soapUrl}`,
      },
      withAlt,
    );
  }
  return check(
    'endpoint',
    false,
    `${refused}, and ${alternative.soapUrl} did not accept the login either: ${alternative.error?.message ?? ''}`,
    {
      advice:
        'Use https://<public host>/service/soap/ (the proxy on 443) or https://<mailbox server>:7071/service/admin/soap/ (the admin port, usually reachable only inside the network).',
    },
    withAlt,
  );
}

export function preauthCheck(
  attempt: PreAuthAttempt,
  credentials: DomainCredentials,
): ConnectionCheck {
  const login = attempt.alternative?.ok === true ? attempt.alternative : attempt.configured;
  const details = {
    soapUrl: login.soapUrl,
    code: login.error?.code,
    faultCode: faultCodeOf(login.error),
  };
  if (login.ok) {
    const hours = Math.round((login.lifetimeMs ?? 0) / 3_600_000);
    return check(
      'preauth',
      true,
      `Zimbra accepted a PreAuth login at ${login.soapUrl} (token valid about ${hours} h)`,
      {},
      details,
    );
  }
  if (attempt.alternative !== undefined) {
    return check(
      'preauth',
      false,
      'not tried on a URL that serves SOAP',
      { advice: 'Fix the SOAP URL first (see the endpoint check).' },
      details,
    );
  }
  const { summary, advice } = loginProblem(login.error, credentials.name);
  return check('preauth', false, summary, { advice }, details);
}

/** A check that could not run because an earlier step failed. */
export function notTried(name: ConnectionCheckName, probe: ConnectionProbeReport): ConnectionCheck {
  const why = probe.error?.message ?? 'an earlier check failed';
  return check(name, false, `not tried: ${why}`, {}, {});
}

function connectionFailed(error: ProbeError, probe: ConnectionProbeReport): ConnectionCheck {
  const port = new URL(probe.soapUrl).port;
  const admin = port === '7071';
  const advice =
    error.code === 'ZIMBRA_CONNECTION_REFUSED' || error.code === 'ZIMBRA_CONNECT_TIMEOUT'
      ? admin
        ? 'The admin port 7071 talks to one mailbox server directly and is usually firewalled; use https://<public host>/service/soap/ unless the network lets Retract reach 7071.'
        : 'Check the host and port of the SOAP URL and the firewall between this machine and Zimbra.'
      : 'Check the network path to Zimbra and try again.';
  return check(
    'tls',
    false,
    `could not connect to ${probe.soapUrl}: ${error.message}`,
    { advice },
    { code: error.code },
  );
}

function tlsProblem(tls: TlsReport, hostname: string): { summary: string; advice: string } {
  const cert = `the certificate for ${tls.subject ?? '?'} issued by ${tls.issuer ?? '?'}`;
  switch (tls.error?.code) {
    case 'ZIMBRA_TLS_EXPIRED': {
      const expired = Date.parse(tls.validTo ?? '') < Date.now();
      return {
        summary: expired
          ? `${cert} expired on ${tls.validTo}`
          : `${cert} is not valid before ${tls.validFrom}`,
        advice: expired
          ? 'Renew the certificate on the Zimbra server (zmcertmgr) and restart its proxy; Retract will not use an expired certificate.'
          : "Check the clocks: the certificate's start date is in this machine's future.",
      };
    }
    case 'ZIMBRA_TLS_HOST_MISMATCH':
      return {
        summary: `${cert} names ${(tls.subjectAltNames ?? []).join(', ') || 'no host'}, not ${hostname}`,
        advice: `Use a SOAP URL whose host name the certificate carries, or have the certificate reissued with ${hostname} in its subjectAltName.`,
      };
    default:
      if (tls.selfSigned === true) {
        return {
          summary: `${cert} is self-signed: nobody Retract trusts vouches for it`,
          advice:
            "Replace it with a certificate from your CA, or give this certificate as the domain's CA with --ca-file. Retract never turns certificate checks off.",
        };
      }
      return {
        summary: `${cert} is not signed by a CA Retract trusts (${tls.verifyCode ?? tls.error?.code ?? 'unknown reason'})`,
        advice:
          "Give the CA that signed Zimbra's certificate as the domain's CA with --ca-file (PEM). Retract never turns certificate checks off.",
      };
  }
}

function loginProblem(
  error: RetractError | undefined,
  domain: string,
): { summary: string; advice: string } {
  switch (error?.code) {
    case 'ZIMBRA_AUTH_FAILED':
      return {
        summary: 'Zimbra refused the PreAuth login (account.AUTH_FAILED)',
        advice: `Zimbra gives one answer for several causes. Check that the key is the one "zmprov generateDomainPreAuthKey ${domain}" printed (replace it with retract domain set-key ${domain}), and that the test account exists and is active. Each failed PreAuth counts toward Zimbra's suspension of this address after 10 failures: fix the cause before testing again.`,
      };
    case 'ZIMBRA_PREAUTH_NOT_CONFIGURED':
      return {
        summary: 'Zimbra says the domain has no PreAuth key',
        advice: `Run "zmprov generateDomainPreAuthKey ${domain}" on the Zimbra server and give the key to retract domain set-key ${domain}.`,
      };
    case 'ZIMBRA_ACCOUNT_MAINTENANCE':
      return {
        summary: 'the test account is in maintenance mode',
        advice: 'Test with another account of the domain.',
      };
    case 'ZIMBRA_SERVICE_UNAVAILABLE':
      return {
        summary:
          "Zimbra answered a bare HTTP 503: it may have suspended this machine's address after failed logins",
        advice:
          "Wait at least 15 minutes before testing again, or have the Zimbra admin put this machine's address (see egressAddress) in zimbraHttpThrottleSafeIPs.",
      };
    case 'ZIMBRA_THROTTLED':
      return {
        summary: "Zimbra's DoS filter throttled the test (HTTP 429)",
        advice:
          "Test again in a minute; for large runs, have the Zimbra admin put this machine's address in zimbraHttpThrottleSafeIPs.",
      };
    default:
      return {
        summary: `the PreAuth login failed: ${error?.message ?? 'no answer'}`,
        advice: 'See docs/errors.md for the code in details.',
      };
  }
}

function answeredSoap(login: LoginResult): boolean {
  return login.ok || faultCodeOf(login.error) !== undefined;
}

function faultCodeOf(error: RetractError | undefined): string | undefined {
  const code = error?.context['faultCode'];
  return typeof code === 'string' ? code : undefined;
}

function tlsDetails(tls: TlsReport): Record<string, unknown> {
  const { error, ...rest } = tls;
  return error === undefined ? rest : { ...rest, code: error.code };
}

function check(
  name: ConnectionCheckName,
  ok: boolean,
  summary: string,
  extra: { advice?: string },
  details: object,
): ConnectionCheck {
  const result: ConnectionCheck = { name, ok, summary, details: { ...details } };
  if (extra.advice !== undefined) result.advice = extra.advice;
  return result;
}

function describeMs(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
