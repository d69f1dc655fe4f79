import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/index.js';
import { DEFAULTS } from '../config/index.js';
import type { DomainCredentials, DomainService } from '../domains/index.js';
import { InputError, RetractError } from '../errors/index.js';
import type { Store } from '../store/index.js';
import { DomainFanOut } from './domain-fan-out.js';
import type { MailboxGateway } from './mailbox-port.js';
import { MailboxTaskRunner, type TaskContext } from './mailbox-task-runner.js';
import { parseRetractionRequest, type RetractionRequest } from './retraction-request.js';
import {
  buildReport,
  toMailboxReport,
  type MailboxReport,
  type RetractionReport,
} from './report.js';
import { LeaseRepo, leaseOwnerId } from './lease-repo.js';
import { RestoreRunner } from './restore-runner.js';
import {
  BackgroundWork,
  RetractionEvents,
  type RetractionEvent,
  type RetractionEventListener,
} from './retraction-events.js';
import { TaskRepo, type MailboxTask, type Retraction } from './task-repo.js';
import { emptyReceipt, isDoneState, type RetractionAction } from './types.js';

export type { RetractionEvent, RetractionEventListener };

export interface RetractionSettings {
  quarantineFolder: string;
  attempts: number;
  retryDelayMs: number;
  laterRetryDelayMs: number;
  authFailureLimit: number;
  /** Failed logins per domain and run, once others worked, before addresses are checked first. */
  loginFailureBudget: number;
  /** How long a process's claim on a retraction lasts unless renewed. */
  leaseTtlMs: number;
}

export interface RetractionServiceOptions {
  store: Store;
  tenantId: string;
  domains: DomainService;
  audit: AuditLog;
  /** The trace's recipients of a message (bracket-less Message-ID). */
  recipientsOf: (messageId: string) => Promise<string[]>;
  /** Opens a domain's mailboxes; the engine closes it when a run ends. */
  openGateway: (domain: DomainCredentials) => MailboxGateway;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  settings?: Partial<RetractionSettings>;
}

/** A checked request with its mailboxes. */
export interface RetractionPlan {
  messageId: string;
  action: RetractionAction;
  dryRun: boolean;
  recipients: string[];
}

/** Called as each mailbox task settles, for progress displays. */
export type ProgressListener = (task: MailboxTask) => void;

/** What `resumeAll` did: retractions finished here, and those another process holds. */
export interface ResumeResult {
  resumed: RetractionReport[];
  busy: string[];
}

/**
 * Plans, runs, reports and restores retractions. The CLI and the HTTP API
 * call this and nothing below it.
 */
export class RetractionService {
  readonly #o: RetractionServiceOptions;
  readonly #repo: TaskRepo;
  readonly #settings: RetractionSettings;
  readonly #now: () => number;
  readonly #events: RetractionEvents;
  readonly #background: BackgroundWork;
  readonly #fanOut: DomainFanOut;
  readonly #leases: LeaseRepo;
  readonly #leaseOwner = leaseOwnerId();
  /** Retractions asked to stop while running here; their tasks' `isCancelled` says so. */
  readonly #cancelled = new Set<string>();

  constructor(options: RetractionServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#repo = new TaskRepo(options.store, options.tenantId, this.#now);
    this.#settings = {
      quarantineFolder: DEFAULTS.quarantineFolder,
      attempts: DEFAULTS.taskAttempts,
      retryDelayMs: DEFAULTS.taskRetryDelayMs,
      laterRetryDelayMs: DEFAULTS.maintenanceRetryDelayMs,
      authFailureLimit: DEFAULTS.domainAuthFailureLimit,
      loginFailureBudget: DEFAULTS.domainLoginFailureBudget,
      leaseTtlMs: DEFAULTS.retractionLeaseMs,
      ...options.settings,
    };
    this.#leases = new LeaseRepo(options.store, options.tenantId, this.#now);
    this.#events = new RetractionEvents(options.logger);
    this.#background = new BackgroundWork(options.logger);
    this.#fanOut = new DomainFanOut({
      domains: options.domains,
      repo: this.#repo,
      openGateway: options.openGateway,
      authFailureLimit: this.#settings.authFailureLimit,
      loginFailureBudget: this.#settings.loginFailureBudget,
    });
  }

  /**
   * Validates a request and finds its mailboxes, without storing anything:
   * what a confirmation prompt or a preview shows.
   */
  async plan(input: RetractionRequest): Promise<RetractionPlan> {
    const request = parseRetractionRequest(input);
    const recipients = request.recipients ?? (await this.#o.recipientsOf(request.messageId));
    if (recipients.length === 0) {
      throw new InputError(
        'RETRACTION_NO_RECIPIENTS',
        'recipients',
        `recipients: the trace has no delivery of <${request.messageId}>; import the mail server's log first or name the recipients`,
      );
    }
    return { ...request, recipients };
  }

  /**
   * Validates a request and stores the retraction with one queued task per
   * mailbox. Recipients come from the request or, if it names none, from
   * the trace. Nothing touches a mailbox yet.
   *
   * @throws InputError for a bad Message-ID, action or recipient, or when the
   *   trace knows no recipient of the message.
   */
  async create(input: RetractionRequest, actor: string): Promise<Retraction> {
    const { recipients, ...request } = await this.plan(input);

    const retraction: Retraction = {
      id: randomUUID(),
      messageId: request.messageId,
      action: request.action,
      dryRun: request.dryRun,
      status: 'running',
      requestedBy: actor,
      createdAtMs: this.#now(),
      finishedAtMs: null,
      restoreStatus: null,
      restoredAtMs: null,
    };
    const tasks = await Promise.all(
      recipients.map((account) => this.#newTask(retraction.id, account)),
    );
    await this.#repo.insertRetraction(retraction, tasks);
    await this.#o.audit.append({
      actor,
      action: request.dryRun ? 'retraction.dry_run' : 'retraction.create',
      target: retraction.id,
      details: { messageId: request.messageId, action: request.action, mailboxes: tasks.length },
    });
    return retraction;
  }

  /**
   * Runs every task of the retraction that is not done, then marks the
   * retraction completed. Also the way to resume after a crash.
   */
  async run(id: string, onProgress?: ProgressListener): Promise<RetractionReport> {
    return this.#withLease(id, () => this.#run(id, onProgress));
  }

  async #run(id: string, onProgress?: ProgressListener): Promise<RetractionReport> {
    const retraction = await this.#require(id);
    const tasks = (await this.#repo.listTasks(id)).filter((t) => !isDoneState(t.state));
    const log = this.#o.logger.child({ retractionId: id, messageId: retraction.messageId });
    log.info({ mailboxes: tasks.length }, 'retraction running');

    await this.#runTasks(retraction, tasks, log, this.#announcing(id, onProgress));

    const after = await this.#repo.listTasks(id);
    if (after.every((t) => isDoneState(t.state))) {
      const cancelled = this.#cancelled.has(id) || after.some((t) => t.state === 'cancelled');
      const status = cancelled ? 'cancelled' : 'completed';
      await this.#repo.setStatus(id, status);
      log.info({ state: status }, 'retraction done');
    }
    this.#cancelled.delete(id);
    const report = await this.report(id);
    this.#events.emit({ type: 'retraction.finished', retractionId: id, report });
    return report;
  }

  /**
   * Starts `run` in the background and returns at once; for the API. A
   * retraction already running here is not started twice. Failures are
   * logged; the tasks stay where they were saved, for `resumeAll`.
   */
  start(id: string): void {
    this.#background.start(id, () => this.run(id));
  }

  /**
   * Stops a running retraction: its queued tasks become `cancelled` and a
   * task already at work finishes its mailbox, so no mailbox is left half
   * done. When nothing of it runs in this process, it is marked cancelled
   * as soon as every task is done.
   *
   * @throws RetractError `RETRACTION_NOT_CANCELLABLE` when it is not running.
   */
  async cancel(id: string, actor: string): Promise<RetractionReport> {
    const retraction = await this.#require(id);
    if (retraction.status !== 'running') {
      throw new RetractError(
        'RETRACTION_NOT_CANCELLABLE',
        `retraction ${id} is ${retraction.status}; only a running retraction can be cancelled`,
        { failureClass: 'config', context: { retractionId: id } },
      );
    }
    this.#cancelled.add(id);
    const queued = await this.#repo.cancelQueued(id);
    await this.#o.audit.append({
      actor,
      action: 'retraction.cancel',
      target: id,
      details: { queued },
    });

    if (!this.isBusy(id)) await this.#settleIdleCancel(id);
    return this.report(id);
  }

  async #settleIdleCancel(id: string): Promise<void> {
    const tasks = await this.#repo.listTasks(id);
    if (!tasks.every((t) => isDoneState(t.state))) return;
    this.#cancelled.delete(id);
    await this.#repo.setStatus(id, 'cancelled');
    this.#events.emit({
      type: 'retraction.finished',
      retractionId: id,
      report: await this.report(id),
    });
  }

  /**
   * Checks that the retraction can be restored, then runs `restore` in the
   * background, like `start`.
   *
   * @throws RetractError `RETRACTION_NOT_FOUND` or `RETRACTION_NOT_RESTORABLE`.
   */
  async startRestore(id: string, actor: string): Promise<void> {
    const retraction = await this.#require(id);
    this.#checkRestorable(retraction);
    this.#checkMovedSomething(retraction, await this.#repo.listTasks(id));
    this.#background.start(id, () => this.restore(id, actor));
  }

  /** Whether a run or restore of this retraction is going on in this process. */
  isBusy(id: string): boolean {
    return this.#background.has(id);
  }

  /** Waits for every background run; for shutdown and tests. */
  async drain(): Promise<void> {
    await this.#background.drain();
  }

  /** Listens to lifecycle events; returns the function that stops listening. */
  subscribe(listener: RetractionEventListener): () => void {
    return this.#events.subscribe(listener);
  }

  #announcing(id: string, onProgress?: ProgressListener): ProgressListener {
    return (task) => {
      onProgress?.(task);
      this.#events.emit({ type: 'task.settled', retractionId: id, mailbox: toMailboxReport(task) });
    };
  }

  /**
   * Resumes every retraction, and every restore, a stopped worker left
   * running (a restore is safe to run again). Those another
   * live process is working on are left to it and listed in `busy`.
   */
  async resumeAll(onProgress?: ProgressListener): Promise<ResumeResult> {
    const result: ResumeResult = { resumed: [], busy: [] };
    const work = [
      ...(await this.#repo.listUnfinished()).map((r) => ({ id: r.id, restore: false })),
      ...(await this.#repo.listRestoring()).map((r) => ({ id: r.id, restore: true })),
    ];
    for (const { id, restore } of work) {
      try {
        result.resumed.push(
          await (restore ? this.restore(id, 'resume', onProgress) : this.run(id, onProgress)),
        );
      } catch (err) {
        if (!(err instanceof RetractError) || err.code !== 'RETRACTION_BUSY') throw err;
        result.busy.push(id);
      }
    }
    return result;
  }

  /**
   * Runs `work` holding the retraction's lease, renewed while it runs, so no
   * other process works on the same retraction at the same time.
   *
   * @throws RetractError `RETRACTION_BUSY` while another live process holds it.
   */
  async #withLease<T>(id: string, work: () => Promise<T>): Promise<T> {
    const ttlMs = this.#settings.leaseTtlMs;
    const holder = await this.#leases.acquire(id, this.#leaseOwner, ttlMs);
    if (holder !== null) {
      throw new RetractError(
        'RETRACTION_BUSY',
        `retraction ${id} is being worked on by another process (${holder.split(':').slice(0, 2).join(' pid ')}); wait for it to finish, or cancel it there`,
        { failureClass: 'config', context: { retractionId: id } },
      );
    }
    const renew = setInterval(() => {
      this.#leases.acquire(id, this.#leaseOwner, ttlMs).catch((err: unknown) => {
        this.#o.logger.warn({ err, retractionId: id }, 'retraction lease renewal failed');
      });
    }, ttlMs / 3);
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.#leases.release(id, this.#leaseOwner).catch((err: unknown) => {
        this.#o.logger.warn({ err, retractionId: id }, 'retraction lease release failed');
      });
    }
  }

  /**
   * Puts back every copy the retraction moved. Refused for dry runs and for
   * deletes, which leave nothing to put back.
   */
  async restore(id: string, actor: string, onProgress?: ProgressListener) {
    return this.#withLease(id, () => this.#restore(id, actor, onProgress));
  }

  async #restore(id: string, actor: string, onProgress?: ProgressListener) {
    const retraction = await this.#require(id);
    this.#checkRestorable(retraction);
    const tasks = await this.#repo.listTasks(id);
    this.#checkMovedSomething(retraction, tasks);
    await this.#o.audit.append({ actor, action: 'retraction.restore', target: id });
    await this.#repo.setRestoreStatus(id, 'running');

    const runner = new RestoreRunner({ repo: this.#repo, logger: this.#o.logger, now: this.#now });
    const announce = this.#announcing(id, onProgress);
    let failures = 0;
    const settle = (task: MailboxTask, ok: boolean) => {
      if (!ok) failures += 1;
      announce(task);
    };
    await this.#fanOut.run(
      tasks,
      async (task, ctx) => {
        settle(
          task,
          await runner.run(task, retraction.messageId, () => ctx.openMailbox(task.account)),
        );
      },
      (task) => settle(task, false),
    );

    await this.#repo.setRestoreStatus(id, failures === 0 ? 'completed' : 'partial');
    const report = await this.report(id);
    this.#events.emit({ type: 'restore.finished', retractionId: id, report });
    return report;
  }

  async report(id: string): Promise<RetractionReport> {
    const retraction = await this.#require(id);
    return buildReport(retraction, await this.#repo.listTasks(id));
  }

  /**
   * Per-mailbox receipts a page at a time, in account order: pass the last
   * account of a page as `after` for the next one.
   */
  async mailboxes(
    id: string,
    page: { status?: string; after?: string; limit: number },
  ): Promise<MailboxReport[]> {
    await this.#require(id);
    const tasks = await this.#repo.listTasksPage(id, {
      ...(page.status ? { state: page.status } : {}),
      ...(page.after !== undefined ? { afterAccount: page.after } : {}),
      limit: page.limit,
    });
    return tasks.map(toMailboxReport);
  }

  /** Starts, in the background, every retraction a stopped process left running. */
  async startUnfinished(): Promise<number> {
    const unfinished = await this.#repo.listUnfinished();
    for (const r of unfinished) this.start(r.id);
    return unfinished.length;
  }

  /** Retractions, newest first. */
  async list(limit = 50): Promise<Retraction[]> {
    return this.#repo.listRetractions(limit);
  }

  async #runTasks(
    retraction: Retraction,
    tasks: MailboxTask[],
    log: Logger,
    onProgress?: ProgressListener,
  ) {
    const runner = new MailboxTaskRunner({
      repo: this.#repo,
      logger: log,
      now: this.#now,
      sleep: this.#o.sleep ?? sleep,
      quarantineFolder: this.#settings.quarantineFolder,
      attempts: this.#settings.attempts,
      retryDelayMs: this.#settings.retryDelayMs,
      laterRetryDelayMs: this.#settings.laterRetryDelayMs,
    });
    await this.#fanOut.run(
      tasks,
      async (task, domainCtx) => {
        const ctx: TaskContext = {
          messageId: retraction.messageId,
          action: retraction.action as RetractionAction,
          dryRun: retraction.dryRun,
          openMailbox: domainCtx.openMailbox,
          isCancelled: () => this.#cancelled.has(retraction.id),
        };
        await runner.run(task, ctx);
        onProgress?.(task);
      },
      onProgress,
    );
  }

  async #newTask(retractionId: string, account: string): Promise<MailboxTask> {
    const domain = (await this.#o.domains.findForAddress(account)) ?? account.split('@')[1]!;
    return {
      id: randomUUID(),
      retractionId,
      account,
      domain,
      state: 'queued',
      attempt: 1,
      error: null,
      receipt: emptyReceipt(),
      updatedAtMs: this.#now(),
    };
  }

  #checkRestorable(r: Retraction): void {
    const why = r.dryRun
      ? 'it was a dry run and moved nothing'
      : r.action === 'delete'
        ? 'its action was delete, which leaves nothing to put back'
        : r.status === 'running'
          ? 'it is still running; wait for it to finish'
          : null;
    if (why === null) return;
    throw new RetractError(
      'RETRACTION_NOT_RESTORABLE',
      `retraction ${r.id} cannot be restored: ${why}`,
      {
        failureClass: 'config',
        context: { retractionId: r.id },
      },
    );
  }

  /**
   * A retraction that moved no copy has nothing to put back: run again on
   * mail an earlier retraction had quarantined, it found every copy already
   * there. Saying "restored" would leave the analyst believing the mail is back.
   */
  #checkMovedSomething(r: Retraction, tasks: readonly MailboxTask[]): void {
    // `pending` too: an interrupted run may have moved it before saving so.
    const moved = tasks.some((t) =>
      t.receipt.items.some((item) => ['moved', 'trashed', 'pending'].includes(item.outcome)),
    );
    if (moved) return;
    const alreadyThere = tasks.some((t) =>
      t.receipt.items.some((item) => item.outcome === 'already_there'),
    );
    const why = alreadyThere
      ? 'it moved no copies: each one it found was already where it would put it, moved there ' +
        'earlier; restore the retraction that moved them (retract list shows it)'
      : 'it moved no copies, so there is nothing to put back';
    throw new RetractError(
      'RETRACTION_NOT_RESTORABLE',
      `retraction ${r.id} cannot be restored: ${why}`,
      { failureClass: 'config', context: { retractionId: r.id } },
    );
  }

  async #require(id: string): Promise<Retraction> {
    const retraction = await this.#repo.getRetraction(id);
    if (retraction) return retraction;
    throw new RetractError('RETRACTION_NOT_FOUND', `no retraction with id ${id}`, {
      failureClass: 'config',
      context: { retractionId: id, field: 'id' },
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
