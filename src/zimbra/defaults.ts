/**
 * Every default of the Zimbra client, in one place. Figures follow the
 * reference's advice (§9: at most 4 concurrent requests per server, back off on
 * 429/503/Receiver faults).
 */
export const ZIMBRA_DEFAULTS = Object.freeze({
  userAgentName: 'Retract',
  /** Kept equal to package.json's version; the client takes an override. */
  userAgentVersion: '0.1.0',
  connectTimeoutMs: 10_000,
  /** Headers and body, each; a SearchRequest on a big mailbox can take seconds. */
  requestTimeoutMs: 60_000,
  /**
   * Idle keep-alive sockets are dropped before the server is likely to close
   * them (Node's default is 5 s; proxies vary): a request written onto a socket
   * the server is closing fails as a reset, and a delete is never resent.
   */
  keepAliveTimeoutMs: 4_000,
  connectionsPerOrigin: 4,
  maxResponseBytes: 16 * 1024 * 1024,
  retry: Object.freeze({ attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000 }),
  /** A Retry-After longer than this is cut to it: the caller reschedules instead. */
  maxRetryAfterMs: 60_000,
  searchPageSize: 100,
  /** 1,000 pages of 100 hits: far beyond any real flood of copies in one mailbox. */
  maxSearchPages: 1_000,
  /** List members and GAL entries per page. */
  directoryPageSize: 100,
  /** 1,000 pages of 100: a list of 100,000 members. */
  maxDirectoryPages: 1_000,
  /** A cached token is renewed when it has less than this left. */
  tokenRenewMarginMs: 5 * 60_000,
  /**
   * Pacing per Zimbra host (host-limiter.ts). Reference §9.2: at most 10
   * requests per second and 4 at once per server; Zimbra's DoS filter answers
   * 429 from the 31st request within a second per connection (§9.1).
   */
  hostLimiter: Object.freeze({
    maxConcurrency: 4,
    initialConcurrency: 2,
    requestsPerSecond: 10 as number | 'unlimited',
    burst: 5,
    growAfter: 8,
    throttlePauseMs: 1_000,
    maxPauseMs: 60_000,
    latencyFactor: 3,
    latencyMarginMs: 250,
  }),
});
