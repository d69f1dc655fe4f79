import { rootCertificates } from 'node:tls';
import { Pool, type Dispatcher } from 'undici';
import { createGuardedLookup, type HostLookup } from './address-guard.js';
import { ZIMBRA_DEFAULTS } from './defaults.js';
import type { HttpAnswer } from './envelope.js';
import { transportError } from './faults.js';
import { networkError } from './network-errors.js';
import { isZimbraError } from './zimbra-error.js';

export interface TransportOptions {
  /** `https://host[:port]`; http only for loopback, as parseSoapUrl allows. */
  origin: string;
  /** Sent as the HTTP User-Agent. */
  userAgent: string;
  /** A PEM CA (or bundle) trusted IN ADDITION to the system CAs, for a private Zimbra CA. */
  caPem?: string;
  connectTimeoutMs?: number;
  /** Limit for the headers and, separately, for the body of each answer. */
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  connections?: number;
  maxResponseBytes?: number;
  /** Whether a host name may resolve to a loopback address. */
  allowLoopback: boolean;
  /** Resolver for the host name; default the system's (tests inject one). */
  lookup?: HostLookup;
  /** Source address of every connection (egress), for firewalls and Zimbra's safe-IP list. */
  localAddress?: string;
}

/** An answer plus the server's clock, read from the HTTP `Date` header. */
export interface TimedAnswer extends HttpAnswer {
  /** Epoch ms of the `Date` header, when the server sent a readable one. */
  serverDateMs?: number;
}

/**
 * HTTP to one Zimbra origin over a keep-alive undici Pool. It posts JSON
 * envelopes and returns the status, headers and body text; it never reads
 * SOAP. Network and TLS failures become ZimbraErrors (network-errors.ts).
 * Certificate verification is always on, and every connection goes to an
 * address checked by address-guard.ts.
 */
export class SoapTransport {
  readonly #pool: Pool;
  readonly #userAgent: string;
  readonly #requestTimeoutMs: number;
  readonly #maxResponseBytes: number;

  constructor(options: TransportOptions) {
    this.#userAgent = options.userAgent;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? ZIMBRA_DEFAULTS.requestTimeoutMs;
    this.#maxResponseBytes = options.maxResponseBytes ?? ZIMBRA_DEFAULTS.maxResponseBytes;
    const connect: Record<string, unknown> = {
      timeout: options.connectTimeoutMs ?? ZIMBRA_DEFAULTS.connectTimeoutMs,
      lookup: createGuardedLookup({ allowLoopback: options.allowLoopback, lookup: options.lookup }),
    };
    if (options.caPem !== undefined) connect['ca'] = [...rootCertificates, options.caPem];

    this.#pool = new Pool(options.origin, {
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      connections: options.connections ?? ZIMBRA_DEFAULTS.connectionsPerOrigin,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? ZIMBRA_DEFAULTS.keepAliveTimeoutMs,
      headersTimeout: this.#requestTimeoutMs,
      bodyTimeout: this.#requestTimeoutMs,
      connect,
    });
  }

  /** POSTs a JSON envelope to `path`; `soapRequest` only labels errors. */
  async postJson(path: string, bodyText: string, soapRequest: string): Promise<TimedAnswer> {
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json, text/javascript, */*',
      'user-agent': this.#userAgent,
    };
    return this.#send({ path, method: 'POST', headers, body: bodyText }, soapRequest);
  }

  /** A GET whose answer only matters for its `Date` header (the clock probe). */
  async get(path: string, label: string): Promise<TimedAnswer> {
    return this.#send({ path, method: 'GET', headers: { 'user-agent': this.#userAgent } }, label);
  }

  /** Closes idle connections and waits for calls under way. */
  async close(): Promise<void> {
    if (!this.#pool.closed) await this.#pool.close();
  }

  async #send(request: Dispatcher.RequestOptions, label: string): Promise<TimedAnswer> {
    try {
      const response = await this.#pool.request(request);
      const bodyText = await this.#readBody(response.body, label);
      const headers = flattenHeaders(response.headers);
      const answer: TimedAnswer = { status: response.statusCode, headers, bodyText };
      const serverDateMs = headers['date'] === undefined ? NaN : Date.parse(headers['date']);
      if (Number.isFinite(serverDateMs)) answer.serverDateMs = serverDateMs;
      return answer;
    } catch (error) {
      if (isZimbraError(error)) throw error;
      throw networkError(error, label);
    }
  }

  async #readBody(
    body: AsyncIterable<Buffer> & { destroy(): void },
    label: string,
  ): Promise<string> {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body) {
      total += chunk.length;
      if (total > this.#maxResponseBytes) {
        body.destroy();
        throw transportError('ZIMBRA_RESPONSE_TOO_LARGE', {
          soapRequest: label,
          detail: `more than ${this.#maxResponseBytes} bytes`,
        });
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

function flattenHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
