import type { Logger } from 'pino';
import type { MailboxReport, RetractionReport } from './report.js';

/**
 * Lifecycle events, for live progress (Server-Sent Events) and metrics. They
 * are emitted after the state they announce is saved.
 */
export type RetractionEvent =
  | { type: 'task.settled'; retractionId: string; mailbox: MailboxReport }
  | { type: 'retraction.finished'; retractionId: string; report: RetractionReport }
  | { type: 'restore.finished'; retractionId: string; report: RetractionReport };

export type RetractionEventListener = (event: RetractionEvent) => void;

/** The listeners of one service; a listener that throws never stops the others. */
export class RetractionEvents {
  readonly #listeners = new Set<RetractionEventListener>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  subscribe(listener: RetractionEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: RetractionEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#logger.warn({ err }, 'retraction event listener failed');
      }
    }
  }
}

/** Work started in the background, one piece per retraction at a time. */
export class BackgroundWork {
  readonly #running = new Map<string, Promise<unknown>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Starts `work` unless this retraction already has some under way. */
  start(id: string, work: () => Promise<unknown>): void {
    if (this.#running.has(id)) return;
    const running = work()
      .catch((err: unknown) => {
        this.#logger.error({ err, retractionId: id }, 'background retraction work failed');
      })
      .finally(() => this.#running.delete(id));
    this.#running.set(id, running);
  }

  has(id: string): boolean {
    return this.#running.has(id);
  }

  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }
}
