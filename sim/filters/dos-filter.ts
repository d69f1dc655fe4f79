import type { ClientAddress } from './client-address.js';
import { IpAllowlist } from './ip-allowlist.js';

/** Jetty's DoSFilter as Zimbra configures it (reference §9.1). */
export interface DosFilterOptions {
  /** zimbraHttpDosFilterMaxRequestsPerSec; Zimbra's default is 30. A positive integer. */
  maxRequestsPerSec: number;
  /**
   * zimbraHttpThrottleSafeIPs: addresses or CIDR ranges never throttled. Unlike Zimbra,
   * which always exempts loopback and its own servers, the simulator exempts only these,
   * so tests on 127.0.0.1 can be throttled.
   */
  safeIps?: readonly string[];
}

/** The window Jetty's RateTracker measures, in ms. */
const WINDOW_MS = 1000;

/**
 * Jetty's RateTracker: a ring of the last N request times per client; a request is over
 * the limit when the one N requests before it came less than a second earlier, i.e. it
 * is at least the (N+1)th within one second. Rejected requests are recorded too.
 * The client key is remote IP + remote port because Zimbra sets `remotePort=true` and a
 * header-token client sends no cookie, so each keep-alive connection has its own budget.
 */
export class DosFilter {
  readonly #max: number;
  readonly #safe: IpAllowlist;
  readonly #rings = new Map<string, { times: number[]; next: number }>();

  constructor(options: DosFilterOptions) {
    if (!Number.isInteger(options.maxRequestsPerSec) || options.maxRequestsPerSec < 1) {
      throw new TypeError('dosFilter.maxRequestsPerSec must be a positive integer');
    }
    this.#max = options.maxRequestsPerSec;
    this.#safe = new IpAllowlist(options.safeIps);
  }

  /** Records a request at `nowMs` (simulator clock) and says whether to reject it. */
  isOverLimit(client: ClientAddress, nowMs: number): boolean {
    if (this.#safe.has(client.ip)) return false;
    const key = `${client.ip}|${client.port}`;
    let ring = this.#rings.get(key);
    if (ring === undefined) {
      ring = { times: [], next: 0 };
      this.#rings.set(key, ring);
    }
    const last = ring.times[ring.next];
    ring.times[ring.next] = nowMs;
    ring.next = (ring.next + 1) % this.#max;
    return last !== undefined && nowMs - last < WINDOW_MS;
  }

  /** Drops a closed connection's tracker, as Jetty's idle trackers expire. */
  forget(client: ClientAddress): void {
    this.#rings.delete(`${client.ip}|${client.port}`);
  }
}
