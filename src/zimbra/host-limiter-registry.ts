import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { ZIMBRA_DEFAULTS } from './defaults.js';
import {
  HostLimiter,
  type HostLimiterSettings,
  type HostLimiterStats,
  type LimiterClock,
} from './host-limiter.js';
import type { RequestRate } from './request-rate.js';

export interface HostLimiterRegistryOptions {
  /** Overrides of ZIMBRA_DEFAULTS.hostLimiter for every host. */
  defaults?: Partial<HostLimiterSettings>;
  /** Monotonic ms; default performance.now. */
  now?: () => number;
  /** Default a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * One HostLimiter per Zimbra origin, shared by every client of the process,
 * so two retractions against one host share its budget.
 */
export class HostLimiterRegistry {
  readonly #limiters = new Map<string, HostLimiter>();
  readonly #defaults: Partial<HostLimiterSettings>;
  readonly #clock: LimiterClock;

  constructor(options: HostLimiterRegistryOptions = {}) {
    this.#defaults = { ...options.defaults };
    this.#clock = {
      now: options.now ?? (() => performance.now()),
      sleep: options.sleep ?? ((ms) => delay(ms)),
    };
  }

  /**
   * The limiter of `origin` (`https://host[:port]`), made on first use. A
   * loopback origin gets no rate cap unless the registry's defaults set one:
   * Zimbra never throttles loopback (reference §9.1).
   */
  limiterFor(origin: string, where: { isLoopback: boolean }): HostLimiter {
    let limiter = this.#limiters.get(origin);
    if (limiter === undefined) {
      limiter = new HostLimiter(origin, this.#settingsFor(where.isLoopback), this.#clock);
      this.#limiters.set(origin, limiter);
    }
    return limiter;
  }

  /** Sets the rate cap of one origin, made now if it was not. */
  setRequestsPerSecond(origin: string, rate: RequestRate, where: { isLoopback: boolean }): void {
    this.limiterFor(origin, where).setRequestsPerSecond(rate);
  }

  /** Every limiter's state, for metrics. */
  stats(): HostLimiterStats[] {
    return [...this.#limiters.values()].map((l) => l.stats());
  }

  #settingsFor(isLoopback: boolean): HostLimiterSettings {
    const settings = { ...ZIMBRA_DEFAULTS.hostLimiter, ...this.#defaults };
    if (isLoopback && this.#defaults.requestsPerSecond === undefined) {
      settings.requestsPerSecond = 'unlimited';
    }
    return settings;
  }
}
