import { RequestRateCap, type RequestRate, type RequestRateStats } from './request-rate.js';

/** How one Zimbra host is paced. Defaults: ZIMBRA_DEFAULTS.hostLimiter. */
export interface HostLimiterSettings {
  /** Most requests in flight at once; reference §9.2 advises at most 4. */
  maxConcurrency: number;
  /** Requests in flight allowed before any answer was seen. */
  initialConcurrency: number;
  /** Request starts per second, or `unlimited` when Retract's address is on zimbraHttpThrottleSafeIPs. */
  requestsPerSecond: RequestRate;
  /** Requests that may start back to back after a quiet spell. */
  burst: number;
  /** Clean, fast answers in a row before one more request may be in flight. */
  growAfter: number;
  /** How long the host is left alone after a 429/503 without Retry-After, ms. */
  throttlePauseMs: number;
  /** A longer Retry-After is cut to this, ms. */
  maxPauseMs: number;
  /** An answer slower than baseline × this factor (and by at least latencyMarginMs) is congestion. */
  latencyFactor: number;
  latencyMarginMs: number;
}

/** How one request through the limiter ended. */
export interface LimiterOutcome {
  /** `throttled`: HTTP 429/503 without SOAP; `timeout`: no answer in time; `failed`: any other non-answer. */
  kind: 'ok' | 'throttled' | 'timeout' | 'failed';
  /** From a Retry-After header, ms. */
  retryAfterMs?: number;
}

/** One admitted request; release it exactly once, with how it ended. */
export interface LimiterPermit {
  release(outcome: LimiterOutcome): void;
}

/** A limiter's state, for metrics. */
export interface HostLimiterStats {
  origin: string;
  /** Requests allowed in flight now. */
  limit: number;
  inFlight: number;
  /** Requests waiting for a place. */
  waiting: number;
  /** 429/503 answers seen. */
  throttled: number;
  timeouts: number;
  /** Times the limit was cut (throttle, timeout or slow answers). */
  slowdowns: number;
  /** Ms until the host may be called again after a throttle; 0 when it may. */
  pausedForMs: number;
  rate: RequestRateStats;
}

export interface LimiterClock {
  /** Monotonic ms. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Weight of each new answer in the latency baseline (exponential moving average). */
const BASELINE_WEIGHT = 0.2;
/** Answers needed before the baseline is trusted. */
const BASELINE_SAMPLES = 5;

/**
 * Paces every request to one Zimbra origin (DESIGN "Talking to Zimbra at
 * speed"): an AIMD concurrency limit that grows by one after `growAfter`
 * clean, fast answers and halves on a throttle, a timeout or latency well above
 * its moving baseline; a request-rate cap (request-rate.ts); and a pause of
 * the whole host after HTTP 429/503, honouring Retry-After. A cut reacts once
 * per congestion episode: answers to requests sent before the cut do not cut again.
 */
export class HostLimiter {
  readonly origin: string;
  readonly #settings: HostLimiterSettings;
  readonly #clock: LimiterClock;
  readonly #rate: RequestRateCap;
  readonly #waiters: (() => void)[] = [];
  #limit: number;
  #active = 0;
  #cleanStreak = 0;
  #epoch = 0;
  #baselineMs: number | undefined;
  #samples = 0;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #throttled = 0;
  #timeouts = 0;
  #slowdowns = 0;

  constructor(origin: string, settings: HostLimiterSettings, clock: LimiterClock) {
    this.origin = origin;
    this.#settings = settings;
    this.#clock = clock;
    this.#limit = clamp(settings.initialConcurrency, 1, settings.maxConcurrency);
    this.#rate = new RequestRateCap(settings.requestsPerSecond, settings.burst);
  }

  /** Changes the rate cap, e.g. to `unlimited` once the host lists Retract as safe. */
  setRequestsPerSecond(rate: RequestRate): void {
    this.#rate.configure(rate);
  }

  /** Waits for a place, the end of any pause, and the rate cap; then the request may go. */
  async acquire(): Promise<LimiterPermit> {
    await this.#takePlace();
    try {
      await this.#waitForStart();
    } catch (error) {
      this.#leavePlace();
      throw error;
    }

    const epoch = this.#epoch;
    const startedMs = this.#clock.now();
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.#leavePlace();
        this.#record(outcome, epoch, this.#clock.now() - startedMs);
      },
    };
  }

  stats(): HostLimiterStats {
    const now = this.#clock.now();
    return {
      origin: this.origin,
      limit: this.#limit,
      inFlight: this.#active,
      waiting: this.#waiters.length,
      throttled: this.#throttled,
      timeouts: this.#timeouts,
      slowdowns: this.#slowdowns,
      pausedForMs: Math.max(0, Math.ceil(this.#pausedUntil - now)),
      rate: this.#rate.stats(now),
    };
  }

  async #takePlace(): Promise<void> {
    if (this.#active < this.#limit && this.#waiters.length === 0) {
      this.#active += 1;
      return;
    }
    // #wake counts the place for us before it resolves, so none is lost in between.
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  #leavePlace(): void {
    this.#active -= 1;
    this.#wake();
  }

  #wake(): void {
    while (this.#waiters.length > 0 && this.#active < this.#limit) {
      this.#active += 1;
      this.#waiters.shift()?.();
    }
  }

  async #waitForStart(): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      const waitMs = Math.max(this.#pausedUntil - now, this.#rate.waitMs(now));
      if (waitMs <= 0) {
        this.#rate.take(now);
        return;
      }
      await this.#clock.sleep(Math.ceil(waitMs));
    }
  }

  #record(outcome: LimiterOutcome, epoch: number, latencyMs: number): void {
    switch (outcome.kind) {
      case 'throttled':
        this.#throttled += 1;
        this.#pause(outcome.retryAfterMs ?? this.#settings.throttlePauseMs);
        this.#rate.throttled(this.#clock.now());
        return this.#cut(epoch);
      case 'timeout':
        this.#timeouts += 1;
        return this.#cut(epoch);
      case 'failed':
        this.#cleanStreak = 0;
        return;
      case 'ok':
        return this.#answered(epoch, latencyMs);
    }
  }

  #answered(epoch: number, latencyMs: number): void {
    const slow = this.#isSlow(latencyMs);
    this.#noteLatency(latencyMs, slow);
    if (slow) return this.#cut(epoch);

    this.#cleanStreak += 1;
    if (this.#cleanStreak < this.#settings.growAfter) return;
    this.#cleanStreak = 0;
    this.#rate.recovered();
    if (this.#limit < this.#settings.maxConcurrency) {
      this.#limit += 1;
      this.#wake();
    }
  }

  #isSlow(latencyMs: number): boolean {
    const baseline = this.#baselineMs;
    if (baseline === undefined || this.#samples < BASELINE_SAMPLES) return false;
    const { latencyFactor, latencyMarginMs } = this.#settings;
    return latencyMs > baseline * latencyFactor && latencyMs - baseline > latencyMarginMs;
  }

  #noteLatency(latencyMs: number, slow: boolean): void {
    this.#samples += 1;
    // Slow answers move the baseline too, only slower: a host that stays slow
    // becomes the new normal instead of cutting the limit forever.
    const weight = slow ? BASELINE_WEIGHT / 4 : BASELINE_WEIGHT;
    this.#baselineMs =
      this.#baselineMs === undefined
        ? latencyMs
        : this.#baselineMs + weight * (latencyMs - this.#baselineMs);
  }

  #cut(epoch: number): void {
    this.#cleanStreak = 0;
    if (epoch !== this.#epoch) return;
    this.#epoch += 1;
    this.#slowdowns += 1;
    this.#limit = Math.max(1, Math.floor(this.#limit / 2));
  }

  #pause(ms: number): void {
    const until = this.#clock.now() + clamp(ms, 0, this.#settings.maxPauseMs);
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
