/**
 * Limits how many jobs run at once per key (a Zimbra domain), in-process.
 * Waiters are served first come, first served.
 */
export class KeyedLimiter {
  readonly #limits: (key: string) => number;
  readonly #running = new Map<string, number>();
  readonly #waiting = new Map<string, (() => void)[]>();

  constructor(limitOf: (key: string) => number) {
    this.#limits = limitOf;
  }

  /** Runs `job` once a slot for `key` is free. */
  async run<T>(key: string, job: () => Promise<T>): Promise<T> {
    await this.#acquire(key);
    try {
      return await job();
    } finally {
      this.#release(key);
    }
  }

  async #acquire(key: string): Promise<void> {
    const running = this.#running.get(key) ?? 0;
    if (running < Math.max(1, this.#limits(key))) {
      this.#running.set(key, running + 1);
      return;
    }
    await new Promise<void>((resolve) => {
      const queue = this.#waiting.get(key) ?? [];
      queue.push(resolve);
      this.#waiting.set(key, queue);
    });
  }

  #release(key: string): void {
    const next = this.#waiting.get(key)?.shift();
    // The slot passes straight to the next waiter, so the count stays put.
    if (next) return next();
    this.#running.set(key, (this.#running.get(key) ?? 1) - 1);
  }
}
