import type { DomainCredentials, DomainService } from '../domains/index.js';
import { RetractError } from '../errors/index.js';
import { InProcessQueue } from '../queue/index.js';
import { DomainGate, type LoginFailureKind } from './domain-gate.js';
import type { MailboxGateway, MailboxPort } from './mailbox-port.js';
import type { MailboxTask, TaskRepo } from './task-repo.js';
import { isAuthFailure } from './zimbra-failure.js';

/** One domain's side of a run: its gateway, login gate and concurrency. */
export interface DomainContext {
  gateway: MailboxGateway;
  gate: DomainGate;
  concurrency: number;
  /** Logs into a mailbox through the domain's login gate. */
  openMailbox(account: string): Promise<MailboxPort>;
}

export interface DomainFanOutOptions {
  domains: DomainService;
  repo: TaskRepo;
  openGateway: (domain: DomainCredentials) => MailboxGateway;
  authFailureLimit: number;
  loginFailureBudget: number;
}

/**
 * Spreads the mailbox tasks of one run or restore over their domains: opens
 * each domain's gateway once, runs the tasks with the domain's concurrency,
 * closes the gateways, and files login failures where they belong.
 */
export class DomainFanOut {
  readonly #o: DomainFanOutOptions;

  constructor(options: DomainFanOutOptions) {
    this.#o = options;
  }

  /**
   * Runs `work` for each task with its domain's context. Tasks whose domain
   * is not configured fail as `config` without a Zimbra call, and go to
   * `unreachable` so progress listeners hear of them too. A throw out of a
   * task means the store failed: the tasks stay where they were saved, and
   * the first such error is rethrown once every task settled.
   */
  async run(
    tasks: readonly MailboxTask[],
    work: (task: MailboxTask, ctx: DomainContext) => Promise<void>,
    unreachable?: (task: MailboxTask) => void,
  ): Promise<void> {
    const contexts = new Map<string, DomainContext | RetractError>();
    for (const name of new Set(tasks.map((t) => t.domain))) {
      contexts.set(name, await this.#open(name));
    }

    const queue = new InProcessQueue((key) => {
      const ctx = contexts.get(key);
      return ctx instanceof RetractError || !ctx ? 1 : ctx.concurrency;
    });
    const jobs = tasks.map((task) => ({ id: task.id, key: task.domain, task }));
    let crash: unknown;
    try {
      await queue.runAll(
        jobs,
        async ({ task }) => {
          const ctx = contexts.get(task.domain)!;
          if (!(ctx instanceof RetractError)) return work(task, ctx);
          await this.#fail(task, ctx);
          unreachable?.(task);
        },
        { onSettled: (_job, err) => (crash ??= err) },
      );
    } finally {
      await Promise.all(
        [...contexts.values()].map((c) => (c instanceof RetractError ? null : c.gateway.close())),
      );
    }
    await this.#reclassifyEarlyLoginFailures(tasks, contexts);
    if (crash !== undefined) throw crash;
  }

  async #open(name: string): Promise<DomainContext | RetractError> {
    let gateway: MailboxGateway;
    let credentials: DomainCredentials;
    try {
      credentials = await this.#o.domains.openCredentials(name);
      // A SOAP URL the current policy refuses (a loopback URL without the
      // loopback switch) fails here: the domain's tasks fail, the run goes on.
      gateway = this.#o.openGateway(credentials);
    } catch (err) {
      if (err instanceof RetractError) return err;
      throw err;
    }
    const gate = new DomainGate({
      domain: name,
      failureLimit: this.#o.authFailureLimit,
      failureBudget: this.#o.loginFailureBudget,
      classify: classifyLoginFailure,
    });
    return {
      gateway,
      gate,
      concurrency: credentials.maxConcurrency,
      openMailbox: async (account) => {
        try {
          const mailbox = await gate.login(account, () => gateway.openMailbox(account));
          if (mailbox.lookupAddress) gate.useDirectory((a) => mailbox.lookupAddress!(a));
          return mailbox;
        } catch (err) {
          throw isAuthError(err) && gate.hasWorked ? mailboxLoginFailed(account, err) : err;
        }
      },
    };
  }

  /**
   * A login that failed before any other of its domain worked was filed as a
   * possible key problem. If later logins worked, the key was fine and that
   * account is unknown, locked or closed: say so.
   */
  async #reclassifyEarlyLoginFailures(
    tasks: readonly MailboxTask[],
    contexts: Map<string, DomainContext | RetractError>,
  ): Promise<void> {
    for (const task of tasks) {
      const ctx = contexts.get(task.domain);
      if (ctx instanceof RetractError || !ctx?.gate.hasWorked) continue;
      if (task.state !== 'failed' || task.error?.code !== 'ZIMBRA_AUTH_FAILED') continue;
      await this.#fail(task, mailboxLoginFailed(task.account, undefined));
    }
  }

  async #fail(task: MailboxTask, err: RetractError): Promise<void> {
    task.state = 'failed';
    task.error = { class: err.failureClass, code: err.code, message: err.message };
    await this.#o.repo.save(task);
  }
}

function isAuthError(err: unknown): boolean {
  return err instanceof RetractError && isAuthFailure(err);
}

/** Codes of a server that cannot be reached at all; a blip clears, so a few are allowed. */
const UNREACHABLE = new Set([
  'ZIMBRA_CONNECTION_REFUSED',
  'ZIMBRA_CONNECT_TIMEOUT',
  'ZIMBRA_HOST_NOT_FOUND',
]);

function classifyLoginFailure(err: unknown): LoginFailureKind {
  if (!(err instanceof RetractError)) return 'other';
  if (isAuthFailure(err)) return 'auth';
  if (err.code === 'ZIMBRA_SERVICE_UNAVAILABLE') return 'suspended';
  if (UNREACHABLE.has(err.code)) return 'unreachable';
  if (err.failureClass === 'config') return 'broken';
  return 'other';
}

/**
 * Other logins of the domain worked, so the key and clock are fine: Zimbra
 * answers an unknown, locked or closed account this way (reference §1.7).
 */
function mailboxLoginFailed(account: string, cause: unknown): RetractError {
  return new RetractError(
    'RETRACTION_MAILBOX_LOGIN_FAILED',
    `Zimbra refused the login to ${account} while other mailboxes of the domain worked: the account is unknown, locked or closed`,
    { failureClass: 'mailbox', cause, context: { account } },
  );
}
