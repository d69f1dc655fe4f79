import { setTimeout as delay } from 'node:timers/promises';
import { pino, type Logger } from 'pino';
import { InputError } from '../errors/index.js';
import { AccountToken } from './account-token.js';
import type { HostLookup } from './address-guard.js';
import { authRequest, type AuthResult } from './auth-request.js';
import { ZIMBRA_DEFAULTS } from './defaults.js';
import { transportError } from './faults.js';
import { isZimbraError, type ZimbraError } from './zimbra-error.js';
import { HostLimiterRegistry } from './host-limiter-registry.js';
import { ZimbraMailboxSession, type MailboxSession } from './mailbox-session.js';
import { computePreAuth, isValidPreAuthKey } from './preauth.js';
import type { RequestRate } from './request-rate.js';
import { withRetry, type RetryOptions, type RetryRunner } from './retry.js';
import { SoapExchange, type SoapCallRecord } from './soap-exchange.js';
import { parseSoapUrl, type SoapUrl } from './soap-url.js';
import { SoapTransport } from './transport.js';

export interface ZimbraClientOptions {
  /** Already validated by parseSoapUrl under the caller's loopback policy. */
  soapUrl: string;
  /** The domain's 64-hex-digit PreAuth key; kept private, never logged. */
  preauthKey: string;
  /** PEM CA trusted in addition to the system CAs. */
  caPem?: string;
  /** Per answer: headers, and body, each; default 60 s. */
  timeoutMs?: number;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** debug: one summary line per SOAP call. */
  logger?: Logger;
  /** Told of every finished SOAP call (request, duration, codes), for metrics. */
  onCall?: (record: SoapCallRecord) => void;
  /** Epoch ms; default Date.now. */
  now?: () => number;
  /** Default { attempts: 4, baseDelayMs: 500, maxDelayMs: 10000 }. */
  retry?: RetryOptions;
  /** Waits between retries; default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
  /** Sent in the SOAP userAgent and the HTTP User-Agent. */
  userAgentVersion?: string;
  /** Concurrent connections to the server; default 4. */
  connections?: number;
  /**
   * The process's host limiters; every call waits its turn in the one for
   * this SOAP URL's origin. Default: a registry of this client's own.
   */
  limiters?: HostLimiterRegistry;
  /**
   * Request-rate cap for this origin; `unlimited` once the Zimbra admin put
   * Retract's egress address on zimbraHttpThrottleSafeIPs. Default 10/s,
   * none for loopback (see HostLimiterRegistry.limiterFor).
   */
  requestsPerSecond?: RequestRate;
  /**
   * Whether the SOAP URL may name, or its host resolve to, a loopback address.
   * Default: whether the URL itself names loopback (the caller allowed that
   * when it parsed it). `false` refuses a loopback URL with InputError
   * `ZIMBRA_INVALID_SOAP_URL`.
   */
  allowLoopback?: boolean;
  /** Source address for every connection (egress); default the system's choice. */
  localAddress?: string;
  /** Host name resolver (all addresses); default the system's. For tests. */
  lookup?: HostLookup;
}

/** What one PreAuth login attempt of a connection test showed. */
export interface PreAuthProbe {
  ok: boolean;
  /** The address as sent and signed (lower case). */
  account: string;
  soapUrl: string;
  /** Server clock minus local clock before the login, ms; PreAuth timestamps were corrected by it. */
  clockSkewMs?: number;
  /** Token lifetime Zimbra granted, ms; only when ok. */
  lifetimeMs?: number;
  /** Why the login failed; `code` says how (ZIMBRA_AUTH_FAILED, ZIMBRA_WRONG_SOAP_URL, TLS…). */
  error?: ZimbraError;
  /** Always set: what a failed PreAuth costs on the Zimbra side. */
  warning: string;
}

const PREAUTH_PROBE_WARNING =
  "Each failed PreAuth login counts toward Zimbra's suspension of the client address after 10 failed logins (every request from it then gets HTTP 503 for 15 minutes or more), and toward the account's lockout where lockout is enabled; repeat this test only after fixing what it reported.";

/**
 * A client for one Zimbra installation (one SOAP URL, one domain PreAuth key).
 * It logs in to mailboxes with PreAuth and hands out MailboxSessions; tokens
 * live in memory only.
 */
export class ZimbraClient {
  readonly #preauthKey: string;
  readonly #soapUrl: string;
  readonly #transport: SoapTransport;
  readonly #exchange: SoapExchange;
  readonly #retry: RetryRunner;
  readonly #now: () => number;
  readonly #tokens = new Map<string, AccountToken>();
  #clockProbe: Promise<void> | undefined;
  #closed = false;
  /** Total of injected sleeps, the clock of a private limiter in tests. */
  #sleptMs = 0;

  constructor(options: ZimbraClientOptions) {
    // Loopback was the caller's decision in its own parseSoapUrl unless it says
    // otherwise here; this second parse guards against an unvalidated string.
    const soapUrl: SoapUrl = parseSoapUrl(options.soapUrl, {
      allowLoopback: options.allowLoopback ?? true,
    });
    if (!isValidPreAuthKey(options.preauthKey)) {
      throw new InputError(
        'ZIMBRA_INVALID_PREAUTH_KEY',
        'preauthKey',
        'PreAuth key must be the 64 hexadecimal digits printed by zmprov generateDomainPreAuthKey',
      );
    }
    this.#preauthKey = options.preauthKey.trim();
    this.#soapUrl = soapUrl.url;
    this.#now = options.now ?? Date.now;
    const userAgentVersion = options.userAgentVersion ?? ZIMBRA_DEFAULTS.userAgentVersion;
    const logger = (options.logger ?? pino({ enabled: false })).child({ component: 'zimbra' });
    const injectedSleep = options.sleep;
    const sleep =
      injectedSleep === undefined
        ? (ms: number) => delay(ms)
        : (ms: number) => {
            this.#sleptMs += ms;
            return injectedSleep(ms);
          };

    this.#transport = new SoapTransport({
      origin: soapUrl.origin,
      userAgent: `${ZIMBRA_DEFAULTS.userAgentName}/${userAgentVersion}`,
      caPem: options.caPem,
      requestTimeoutMs: options.timeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      connections: options.connections,
      allowLoopback: options.allowLoopback ?? soapUrl.isLoopback,
      lookup: options.lookup,
      localAddress: options.localAddress,
    });
    this.#exchange = new SoapExchange({
      transport: this.#transport,
      limiter: limiterOf(soapUrl, options, sleep, () => this.#sleptMs),
      soapUrl,
      userAgentVersion,
      logger,
      now: this.#now,
      ...(options.onCall ? { onCall: options.onCall } : {}),
    });
    this.#retry = {
      options: options.retry ?? ZIMBRA_DEFAULTS.retry,
      sleep,
      random: options.random ?? Math.random,
      onRetry: (error, attempt, delayMs) =>
        logger.debug(
          { attempt, delayMs, errCode: (error as { code?: unknown }).code },
          'soap call retrying',
        ),
    };
  }

  /**
   * Server clock minus local clock in ms, from the HTTP `Date` header of the
   * latest answer; undefined before the first answer. PreAuth timestamps are
   * corrected by it.
   */
  get clockSkewMs(): number | undefined {
    return this.#exchange.clockSkewMs;
  }

  /**
   * Logs in to `account` (a full address; sent and signed in lower case) and
   * returns its session. A cached token is reused until shortly before expiry.
   *
   * @throws InputError `ZIMBRA_INVALID_ACCOUNT` for something that is not an address.
   * @throws ZimbraError `ZIMBRA_AUTH_FAILED` (config) for a refused login: bad key,
   *   clock, or an unknown, locked or closed account; `ZIMBRA_ACCOUNT_MAINTENANCE`;
   *   transport errors after retries.
   */
  async openMailbox(account: string): Promise<MailboxSession> {
    this.#assertOpen();
    const address = normaliseAccount(account);
    await this.#ensureClock();

    let token = this.#tokens.get(address);
    if (token === undefined) {
      token = new AccountToken(
        () => this.#login(address),
        this.#now,
        ZIMBRA_DEFAULTS.tokenRenewMarginMs,
      );
      this.#tokens.set(address, token);
    }
    await token.get();
    return new ZimbraMailboxSession({
      exchange: this.#exchange,
      retry: this.#retry,
      account: address,
      token,
    });
  }

  /**
   * Tries one PreAuth login for `account`, for a connection test: the clock
   * is read first (a GET, no login), then exactly one AuthRequest is sent,
   * never retried and never cached. A refusal is returned, not thrown.
   *
   * @throws InputError `ZIMBRA_INVALID_ACCOUNT`; ZimbraError only when the
   *   clock probe cannot reach the server (then no AuthRequest was sent).
   */
  async probePreAuth(account: string): Promise<PreAuthProbe> {
    this.#assertOpen();
    const address = normaliseAccount(account);
    await this.#ensureClock();

    const probe: PreAuthProbe = {
      ok: false,
      account: address,
      soapUrl: this.#soapUrl,
      warning: PREAUTH_PROBE_WARNING,
    };
    if (this.#exchange.clockSkewMs !== undefined) probe.clockSkewMs = this.#exchange.clockSkewMs;
    try {
      const auth = await this.#signedLogin(address, 1);
      return { ...probe, ok: true, lifetimeMs: auth.lifetimeMs };
    } catch (error) {
      if (!isZimbraError(error)) throw error;
      return { ...probe, error };
    }
  }

  /** Drops every cached token and closes the connections; calls under way finish first. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const token of this.#tokens.values()) token.forget();
    this.#tokens.clear();
    await this.#transport.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw transportError('ZIMBRA_CLIENT_CLOSED', {});
  }

  async #ensureClock(): Promise<void> {
    this.#clockProbe ??= withRetry('transport-only', this.#retry, () =>
      this.#exchange.probeClock(),
    ).catch((error: unknown) => {
      this.#clockProbe = undefined;
      throw error;
    });
    await this.#clockProbe;
  }

  /** One PreAuth login; each attempt signs a fresh, skew-corrected timestamp. */
  #login(account: string): Promise<AuthResult> {
    return withRetry('transport-only', this.#retry, (attempt) =>
      this.#signedLogin(account, attempt),
    );
  }

  #signedLogin(account: string, attempt: number): Promise<AuthResult> {
    this.#assertOpen();
    const timestampMs = Math.round(this.#now() + (this.#exchange.clockSkewMs ?? 0));
    const preauth = computePreAuth({ account, timestampMs, key: this.#preauthKey });
    return this.#exchange.send(authRequest({ account, preauth, timestampMs }), {
      account,
      attempt,
    });
  }
}

function limiterOf(
  soapUrl: SoapUrl,
  options: ZimbraClientOptions,
  sleep: (ms: number) => Promise<void>,
  sleptMs: () => number,
) {
  // An injected sleep (tests) is a private limiter's whole clock, so a pause
  // after a 429 passes with the sleeps, never in real time.
  const registry =
    options.limiters ??
    (options.sleep === undefined
      ? new HostLimiterRegistry()
      : new HostLimiterRegistry({ now: sleptMs, sleep }));
  const where = { isLoopback: soapUrl.isLoopback };
  if (options.requestsPerSecond !== undefined) {
    registry.setRequestsPerSecond(soapUrl.origin, options.requestsPerSecond, where);
  }
  return registry.limiterFor(soapUrl.origin, where);
}

function normaliseAccount(account: string): string {
  const address = account.trim().toLowerCase();
  if (!/^[^\s@"]+@[^\s@"]+\.[^\s@"]+$/.test(address) || /\p{Cc}/u.test(address)) {
    throw new InputError(
      'ZIMBRA_INVALID_ACCOUNT',
      'account',
      `Not a mailbox address: ${JSON.stringify(account)}; give the full address, e.g. alice@example.com`,
    );
  }
  return address;
}
