import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { App } from '../app/index.js';
import type { RetractionEvent } from '../retraction/index.js';
import type { HostLimiterStats as HostStats, SoapCallRecord } from '../zimbra/index.js';

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
  readonly #importLines: Counter;
  readonly #importDeliveries: Counter;
  readonly #importSeconds: Counter;
  readonly #ingested: Counter<'outcome'>;
  readonly #zimbraSeconds: Histogram<'host' | 'request'>;
  readonly #zimbraFaults: Counter<'host' | 'request' | 'code'>;
  readonly #unsubscribe: (() => void)[];

  constructor(app: App) {
    const registers = [this.registry];
    this.#importLines = new Counter({
      name: 'retract_trace_import_lines_total',
      help: 'MTA log lines read by trace imports through the API',
      registers,
    });
    this.#importDeliveries = new Counter({
      name: 'retract_trace_import_deliveries_total',
      help: 'Deliveries stored by trace imports through the API',
      registers,
    });
    this.#importSeconds = new Counter({
      name: 'retract_trace_import_seconds_total',
      help: 'Time spent importing; lines_total / seconds_total is the import rate',
      registers,
    });
    this.#ingested = new Counter({
      name: 'retract_trace_ingested_deliveries_total',
      help: 'Deliveries other gateways reported through the ingest API, by outcome (added, updated, duplicate)',
      labelNames: ['outcome'],
      registers,
    });
    registerZimbraHostGauges(app, registers);
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
    this.#zimbraSeconds = new Histogram({
      name: 'retract_zimbra_request_seconds',
      help: 'Zimbra SOAP call latency by host and request, retries counted one by one',
      labelNames: ['host', 'request'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#zimbraFaults = new Counter({
      name: 'retract_zimbra_faults_total',
      help: "Failed Zimbra calls by host, request and code: Zimbra's fault code (mail.NO_SUCH_MSG) or Retract's (ZIMBRA_THROTTLED)",
      labelNames: ['host', 'request', 'code'],
      registers,
    });
    this.#unsubscribe = [
      app.retractions.subscribe((e) => this.#observe(e)),
      app.zimbraCalls.subscribe((call) => this.#observeCall(call)),
    ];
  }

  /** Counts one finished trace import. */
  recordImport(report: { lines: number; deliveries: number; seconds: number }): void {
    this.#importLines.inc(report.lines);
    this.#importDeliveries.inc(report.deliveries);
    this.#importSeconds.inc(report.seconds);
  }

  recordIngest(report: { added: number; updated: number; duplicates: number }): void {
    this.#ingested.inc({ outcome: 'added' }, report.added);
    this.#ingested.inc({ outcome: 'updated' }, report.updated);
    this.#ingested.inc({ outcome: 'duplicate' }, report.duplicates);
  }

  /** The text exposition format, for `GET /metrics`. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }

  #observeCall(call: SoapCallRecord): void {
    const labels = { host: call.origin, request: call.soapRequest };
    this.#zimbraSeconds.observe(labels, call.durationMs / 1000);
    if (!call.ok)
      this.#zimbraFaults.inc({ ...labels, code: call.faultCode ?? call.code ?? 'unknown' });
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

/**
 * Per Zimbra host, read from the app's host limiters at scrape time: how
 * hard Retract may push, what is in flight, and the throttles (429/503) and
 * timeouts seen.
 */
function registerZimbraHostGauges(app: App, registers: Registry[]): void {
  const gauge = (name: string, help: string, read: (s: HostStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['host'],
      registers,
      collect() {
        this.reset();
        for (const s of app.zimbraLimiters.stats()) this.set({ host: s.origin }, read(s));
      },
    });
  gauge(
    'retract_zimbra_concurrency_limit',
    'Requests allowed in flight to the host now',
    (s) => s.limit,
  );
  gauge('retract_zimbra_in_flight', 'Requests in flight to the host', (s) => s.inFlight);
  gauge('retract_zimbra_waiting', 'Requests waiting for a place', (s) => s.waiting);
  gauge('retract_zimbra_throttled', 'HTTP 429/503 answers from the host', (s) => s.throttled);
  gauge('retract_zimbra_timeouts', 'Requests to the host that timed out', (s) => s.timeouts);
  gauge('retract_zimbra_slowdowns', 'Times the concurrency limit was cut', (s) => s.slowdowns);
  gauge(
    'retract_zimbra_requests_last_second',
    'Requests started in the last second',
    (s) => s.rate.lastSecond,
  );
}
