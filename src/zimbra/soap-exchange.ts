import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { buildEnvelope, readSoapResponse } from './envelope.js';
import type { HostLimiter, LimiterOutcome } from './host-limiter.js';
import { retryAfterMsOf } from './retry-after.js';
import type { SoapCall } from './soap-call.js';
import type { SoapUrl } from './soap-url.js';
import type { SoapTransport, TimedAnswer } from './transport.js';
import { isZimbraError } from './zimbra-error.js';

/** One finished SOAP call, for metrics: never a token, key or envelope. */
export interface SoapCallRecord {
  /** `https://host:port` of the SOAP URL. */
  origin: string;
  soapRequest: string;
  durationMs: number;
  ok: boolean;
  httpStatus?: number;
  /** Zimbra's fault code, when the server answered with a fault. */
  faultCode?: string;
  /** Retract's error code, when the call failed. */
  code?: string;
}

export interface ExchangeOptions {
  transport: SoapTransport;
  /** Told of every finished call (after its debug line). */
  onCall?: (record: SoapCallRecord) => void;
  /** Every request, the clock probe included, waits its turn here. */
  limiter: HostLimiter;
  soapUrl: SoapUrl;
  userAgentVersion: string;
  logger: Logger;
  now: () => number;
}

export interface ExchangeSite {
  authToken?: string;
  /** For the log line only. */
  account?: string;
  attempt: number;
}

/**
 * One SOAP round trip: envelope out, response element in, one debug line per
 * call (request name, account, attempt, status, duration, codes; never the
 * envelope, which holds the token). It also keeps the server's clock offset,
 * read from each answer's `Date` header.
 */
export class SoapExchange {
  readonly #options: ExchangeOptions;
  #clockSkewMs: number | undefined;

  constructor(options: ExchangeOptions) {
    this.#options = options;
  }

  /** Server time minus local time, in ms, from the latest `Date` header; undefined until one is seen. */
  get clockSkewMs(): number | undefined {
    return this.#clockSkewMs;
  }

  async send<T>(call: SoapCall<T>, site: ExchangeSite): Promise<T> {
    const { transport, soapUrl, userAgentVersion } = this.#options;
    const envelope = buildEnvelope(call.body, { authToken: site.authToken, userAgentVersion });
    const started = performance.now();
    let httpStatus: number | undefined;

    try {
      const answer = await this.#paced(() =>
        transport.postJson(soapUrl.path, JSON.stringify(envelope), call.soapRequest),
      );
      httpStatus = answer.status;
      this.#noteServerDate(answer);
      const value = call.read(
        readSoapResponse(answer, { soapRequest: call.soapRequest, soapUrl: soapUrl.url }),
      );
      const durationMs = elapsedMs(started);
      this.#log(call.soapRequest, site, { httpStatus, durationMs });
      this.#record({ soapRequest: call.soapRequest, durationMs, ok: true, httpStatus });
      return value;
    } catch (error) {
      const durationMs = elapsedMs(started);
      this.#log(call.soapRequest, site, { httpStatus, durationMs, ...codesOf(error) });
      this.#record({
        soapRequest: call.soapRequest,
        durationMs,
        ok: false,
        ...(httpStatus === undefined ? {} : { httpStatus }),
        ...(isZimbraError(error)
          ? { code: error.code, ...(error.faultCode ? { faultCode: error.faultCode } : {}) }
          : { code: 'UNEXPECTED' }),
      });
      throw error;
    }
  }

  #record(fields: Omit<SoapCallRecord, 'origin'>): void {
    const onCall = this.#options.onCall;
    if (!onCall) return;
    try {
      onCall({ origin: this.#options.soapUrl.origin, ...fields });
    } catch (err) {
      this.#options.logger.warn({ err }, 'soap call observer failed');
    }
  }

  /**
   * Reads the server's clock from any answer to a GET of the SOAP URL, before
   * the first login: a PreAuth timestamp more than 5 minutes off fails as
   * AUTH_FAILED and counts toward Zimbra's lockout and IP suspension (§1.3, §1.7).
   */
  async probeClock(): Promise<void> {
    const { transport, soapUrl } = this.#options;
    const answer = await this.#paced(() => transport.get(soapUrl.path, 'ClockProbe'));
    this.#noteServerDate(answer);
    this.#options.logger.debug(
      { soapRequest: 'ClockProbe', httpStatus: answer.status, clockSkewMs: this.#clockSkewMs },
      'zimbra clock probed',
    );
  }

  /** Runs one HTTP exchange under the host limiter and tells it how the exchange went. */
  async #paced(exchange: () => Promise<TimedAnswer>): Promise<TimedAnswer> {
    const permit = await this.#options.limiter.acquire();
    try {
      const answer = await exchange();
      permit.release(outcomeOfAnswer(answer));
      return answer;
    } catch (error) {
      permit.release(outcomeOfError(error));
      throw error;
    }
  }

  #noteServerDate(answer: TimedAnswer): void {
    if (answer.serverDateMs === undefined) return;
    // The Date header has one-second resolution, truncated: the middle of the
    // second is the best estimate of the server's clock.
    this.#clockSkewMs = answer.serverDateMs + 500 - this.#options.now();
  }

  #log(soapRequest: string, site: ExchangeSite, fields: Record<string, unknown>): void {
    this.#options.logger.debug(
      { soapRequest, account: site.account, attempt: site.attempt, ...fields },
      'soap call',
    );
  }
}

/** 429 (DoS filter) and a bare 503 (suspension) are throttling (reference §9); a gateway error is no clean answer. */
function outcomeOfAnswer(answer: TimedAnswer): LimiterOutcome {
  if (answer.status === 429 || answer.status === 503) {
    const retryAfterMs = retryAfterMsOf(answer);
    return retryAfterMs === undefined ? { kind: 'throttled' } : { kind: 'throttled', retryAfterMs };
  }
  if (answer.status === 502 || answer.status === 504) return { kind: 'failed' };
  return { kind: 'ok' };
}

function outcomeOfError(error: unknown): LimiterOutcome {
  if (!isZimbraError(error)) return { kind: 'failed' };
  const timedOut = error.code === 'ZIMBRA_TIMEOUT' || error.code === 'ZIMBRA_CONNECT_TIMEOUT';
  return { kind: timedOut ? 'timeout' : 'failed' };
}

function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}

function codesOf(error: unknown): Record<string, unknown> {
  if (!isZimbraError(error)) return { errCode: 'UNEXPECTED' };
  return { errCode: error.code, faultCode: error.faultCode };
}
