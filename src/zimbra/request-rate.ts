/** Requests per second, or no cap (Retract's address is on the host's safe list). */
export type RequestRate = number | 'unlimited';

/** What the throttle learned, for metrics. */
export interface RequestRateStats {
  /** The configured cap. */
  configured: RequestRate;
  /** The cap in force: the configured one, or lower after the host throttled. */
  current: RequestRate;
  /** Requests started in the last second. */
  lastSecond: number;
}

const WINDOW_MS = 1000;
/** Multiplicative decrease on a throttle; 0.7 as in TCP CUBIC, gentler than halving. */
const DECREASE = 0.7;
/** Above this share of the last throttled rate, the cap grows eight times slower. */
const NEAR_LIMIT = 0.9;

/**
 * The request-rate cap of one host: a GCRA token bucket (each start reserves
 * the next emission slot, so waiting callers are served in order and bursts
 * stay within `burst`), whose rate drops to 70% of what went through when the
 * host throttles anyway, and creeps back up by one request per second after
 * each clean stretch.
 * Zimbra's DoS filter counts requests per connection and second (reference
 * §9.1), so a cap somewhat under it keeps a run out of its HTTP 429s; the
 * learning covers a filter set lower than the configured cap.
 */
export class RequestRateCap {
  readonly #burst: number;
  #configured: RequestRate;
  /** Learned cap after a throttle; Infinity until then. */
  #learned = Number.POSITIVE_INFINITY;
  /** The rate that went through when the host last throttled. */
  #throttledAt = Number.POSITIVE_INFINITY;
  /** GCRA "theoretical arrival time" of the next request, ms. */
  #tat = Number.NEGATIVE_INFINITY;
  readonly #starts: number[] = [];

  constructor(configured: RequestRate, burst: number) {
    this.#configured = configured;
    this.#burst = Math.max(1, burst);
  }

  /** Replaces the configured cap and forgets what was learned. */
  configure(rate: RequestRate): void {
    this.#configured = rate;
    this.#learned = Number.POSITIVE_INFINITY;
    this.#throttledAt = Number.POSITIVE_INFINITY;
  }

  /** Ms to wait before a request may start at `nowMs`; 0 when it may start now. */
  waitMs(nowMs: number): number {
    const perSecond = this.#perSecond();
    if (perSecond === Number.POSITIVE_INFINITY) return 0;
    const interval = WINDOW_MS / perSecond;
    // Once the host has throttled, no bursts: a burst on top of the learned
    // rate is what a per-second filter counts against us.
    const burst = this.#learned === Number.POSITIVE_INFINITY ? this.#burst : 1;
    return Math.max(0, this.#tat - (burst - 1) * interval - nowMs);
  }

  /** Records a start at `nowMs`; call only when waitMs said 0. */
  take(nowMs: number): void {
    this.#starts.push(nowMs);
    this.#prune(nowMs);
    const perSecond = this.#perSecond();
    if (perSecond === Number.POSITIVE_INFINITY) return;
    this.#tat = Math.max(this.#tat, nowMs) + WINDOW_MS / perSecond;
  }

  /** The host throttled: cap at 70% of what actually went through in the last second. */
  throttled(nowMs: number): void {
    this.#prune(nowMs);
    const observed = Math.min(this.#perSecond(), Math.max(1, this.#starts.length));
    this.#throttledAt = observed;
    this.#learned = Math.max(1, Math.floor(observed * DECREASE));
  }

  /**
   * A clean stretch of answers: one more request per second, up to the
   * configured cap; near the rate that was throttled last, an eighth of that,
   * so the cap probes the host's limit slowly instead of hitting it every few seconds.
   */
  recovered(): void {
    if (this.#learned === Number.POSITIVE_INFINITY) return;
    this.#learned += this.#learned < this.#throttledAt * NEAR_LIMIT ? 1 : 1 / 8;
    const configured = this.#configured === 'unlimited' ? Infinity : this.#configured;
    // Back at the configured cap: nothing is left to learn.
    if (this.#learned >= configured) this.#learned = Number.POSITIVE_INFINITY;
  }

  stats(nowMs: number): RequestRateStats {
    this.#prune(nowMs);
    const perSecond = this.#perSecond();
    return {
      configured: this.#configured,
      current: perSecond === Number.POSITIVE_INFINITY ? 'unlimited' : Math.floor(perSecond),
      lastSecond: this.#starts.length,
    };
  }

  #perSecond(): number {
    const configured = this.#configured === 'unlimited' ? Infinity : this.#configured;
    return Math.min(configured, this.#learned);
  }

  #prune(nowMs: number): void {
    while (this.#starts.length > 0 && (this.#starts[0] ?? 0) <= nowMs - WINDOW_MS) {
      this.#starts.shift();
    }
  }
}
