import { Counter, Registry } from 'prom-client';
import type { App } from '../app/index.js';
import type { RetractionEvent } from '../retraction/index.js';

/**
 * Prometheus metrics of one server, in its own registry (so two servers in
 * one test process do not share counters). Fed by the retraction service's
 * lifecycle events, not by logs.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly #retractions: Counter<'outcome' | 'dry_run'>;
  readonly #restores: Counter<'outcome'>;
  readonly #tasks: Counter<'outcome'>;
  readonly #taskFailures: Counter<'code' | 'domain'>;
  readonly #unsubscribe: () => void;

  constructor(app: App) {
    const registers = [this.registry];
    this.#retractions = new Counter({
      name: 'retract_retractions_total',
      help: 'Retractions that finished, by outcome (completed, completed_with_failures, cancelled)',
      labelNames: ['outcome', 'dry_run'],
      registers,
    });
    this.#restores = new Counter({
      name: 'retract_restores_total',
      help: 'Restores that finished, by outcome (completed, partial)',
      labelNames: ['outcome'],
      registers,
    });
    this.#tasks = new Counter({
      name: 'retract_mailbox_tasks_total',
      help: 'Mailbox tasks that settled, by outcome (retracted, not_found, found, failed, cancelled, restored)',
      labelNames: ['outcome'],
      registers,
    });
    this.#taskFailures = new Counter({
      name: 'retract_mailbox_task_failures_total',
      help: 'Failed mailbox tasks by error code (ZIMBRA_* codes carry the Zimbra fault) and domain',
      labelNames: ['code', 'domain'],
      registers,
    });
    this.#unsubscribe = app.retractions.subscribe((e) => this.#observe(e));
  }

  /** The text exposition format, for `GET /metrics`. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    this.#unsubscribe();
  }

  #observe(e: RetractionEvent): void {
    if (e.type === 'task.settled') {
      this.#tasks.inc({ outcome: e.mailbox.status });
      if (e.mailbox.error) {
        const domain = e.mailbox.account.split('@')[1] ?? '';
        this.#taskFailures.inc({ code: e.mailbox.error.code, domain });
      }
    } else if (e.type === 'retraction.finished') {
      const failed = e.report.counts.failed > 0 && e.report.status === 'completed';
      const outcome = failed ? 'completed_with_failures' : e.report.status;
      this.#retractions.inc({ outcome, dry_run: String(e.report.dryRun) });
    } else {
      this.#restores.inc({ outcome: e.report.restoreStatus ?? 'unknown' });
    }
  }
}
