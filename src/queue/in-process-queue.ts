import { KeyedLimiter } from './keyed-limiter.js';

/** A job of the queue: one mailbox task, keyed by the Zimbra domain it talks to. */
export interface QueueJob {
  id: string;
  key: string;
}

export interface QueueEvents<J extends QueueJob> {
  /** After a job settled, whether it threw or not. */
  onSettled?: (job: J, error: unknown) => void;
}

/**
 * Runs mailbox tasks inside this process with a concurrency limit per key.
 * `runAll` resolves when every job has settled; a job's throw is reported to
 * `onSettled` and never stops the others.
 */
export class InProcessQueue {
  readonly #limiter: KeyedLimiter;

  constructor(limitOf: (key: string) => number) {
    this.#limiter = new KeyedLimiter(limitOf);
  }

  async runAll<J extends QueueJob>(
    jobs: readonly J[],
    work: (job: J) => Promise<void>,
    events: QueueEvents<J> = {},
  ): Promise<void> {
    await Promise.all(
      jobs.map((job) =>
        this.#limiter
          .run(job.key, () => work(job))
          .then(
            () => events.onSettled?.(job, undefined),
            (err: unknown) => events.onSettled?.(job, err),
          ),
      ),
    );
  }
}
