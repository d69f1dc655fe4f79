import type { Logger } from 'pino';
import { RetractError, toRetractError } from '../errors/index.js';
import type { MailboxPort } from './mailbox-port.js';
import { TRASH_FOLDER_ID } from './mailbox-port.js';
import { mergeHits, recordAnswer, setOutcome, type Hit } from './receipt.js';
import type { MailboxTask, TaskRepo } from './task-repo.js';
import type { RetractionAction, TaskState } from './types.js';
import { isGone, isRetryable, isRetryLater } from './zimbra-failure.js';

/** What one retraction tells each of its mailbox tasks. */
export interface TaskContext {
  messageId: string;
  action: RetractionAction;
  dryRun: boolean;
  /** Logs into the mailbox (through the domain's login gate). */
  openMailbox(account: string): Promise<MailboxPort>;
  isCancelled(): boolean;
}

export interface TaskRunnerOptions {
  repo: TaskRepo;
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  quarantineFolder: string;
  /** Attempts of a task whose failure may pass (transient, maintenance). */
  attempts: number;
  retryDelayMs: number;
  /** First wait before retrying a mailbox Zimbra says is in maintenance. */
  laterRetryDelayMs: number;
}

/** Rounds of search-and-act when copies vanish or arrive during the action. */
const ACT_ROUNDS = 3;

/**
 * Drives one mailbox task through `authenticating → searching → acting →
 * verifying` to a done state, saving each state before the Zimbra call that
 * follows it. A task picked up in `acting` or `verifying` (its worker died)
 * searches again and acts only on copies not yet where they belong, so no
 * copy is acted on twice and none is skipped.
 */
export class MailboxTaskRunner {
  readonly #o: TaskRunnerOptions;

  constructor(options: TaskRunnerOptions) {
    this.#o = options;
  }

  async run(task: MailboxTask, ctx: TaskContext): Promise<void> {
    for (;;) {
      try {
        await this.#advance(task, ctx);
        return;
      } catch (thrown) {
        const err = toRetractError(thrown);
        if (!isRetryable(err) || task.attempt >= this.#o.attempts) {
          return this.#fail(task, err);
        }
        task.attempt += 1;
        this.#log(task).warn({ err, attempt: task.attempt }, 'mailbox task retrying');
        await this.#o.repo.save(task);
        await this.#o.sleep(this.#retryDelayMs(err, task.attempt));
      }
    }
  }

  /**
   * A mailbox in maintenance is being moved or repaired: minutes, not
   * seconds, so those retries wait the longer delay (the message may also
   * still be waiting at the mail server).
   */
  #retryDelayMs(err: RetractError, attempt: number): number {
    if (isRetryLater(err)) return this.#o.laterRetryDelayMs * (attempt - 1);
    return this.#o.retryDelayMs * 2 ** (attempt - 1);
  }

  async #advance(task: MailboxTask, ctx: TaskContext): Promise<void> {
    if (ctx.isCancelled()) return this.#finish(task, 'cancelled');
    const resumingAction = task.state === 'acting' || task.state === 'verifying';

    if (!resumingAction) await this.#enter(task, 'authenticating');
    const mailbox = await this.#call(task, 'AuthRequest', () => ctx.openMailbox(task.account));

    if (!resumingAction) await this.#enter(task, 'searching');
    const hits = await this.#search(task, mailbox, ctx.messageId);
    if (task.receipt.items.length === 0) return this.#finish(task, 'not_found');
    if (ctx.dryRun) return this.#finish(task, 'found');

    const target = await this.#targetFolder(task, mailbox, ctx.action);
    await this.#enter(task, 'acting');
    await this.#act(task, mailbox, ctx, hits, target);

    await this.#enter(task, 'verifying');
    await this.#verify(task, mailbox, ctx, target);
    await this.#finish(task, 'retracted');
  }

  async #search(task: MailboxTask, mailbox: MailboxPort, messageId: string): Promise<Hit[]> {
    const hits = await this.#call(task, 'SearchRequest', () => mailbox.findMessages(messageId));
    mergeHits(task.receipt, hits);
    task.receipt.searchedAtMs = this.#o.now();
    return [...hits];
  }

  async #targetFolder(
    task: MailboxTask,
    mailbox: MailboxPort,
    action: RetractionAction,
  ): Promise<string | null> {
    if (action === 'trash') return TRASH_FOLDER_ID;
    if (action === 'delete') return null;

    if (task.receipt.targetFolderId === undefined) {
      const folder = await this.#call(task, 'CreateFolderRequest', () =>
        mailbox.ensureFolder(this.#o.quarantineFolder),
      );
      task.receipt.targetFolderId = folder.id;
    }
    return task.receipt.targetFolderId;
  }

  /**
   * Acts on every copy not yet where it belongs. A copy that vanished between
   * search and action fails the whole request (reference §4.3: nothing in the
   * batch moves), so search again and act on what is left.
   */
  async #act(
    task: MailboxTask,
    mailbox: MailboxPort,
    ctx: TaskContext,
    firstHits: Hit[],
    target: string | null,
  ): Promise<void> {
    let hits = firstHits;
    for (let round = 1; ; round += 1) {
      this.#markSettled(task, hits, target);
      const todo = target === null ? hits : hits.filter((h) => h.folderId !== target);
      if (todo.length === 0) break;

      try {
        await this.#apply(
          task,
          mailbox,
          ctx.action,
          todo.map((h) => h.id),
          target,
        );
        break;
      } catch (thrown) {
        const err = toRetractError(thrown);
        if (!isGone(err) || round >= ACT_ROUNDS) throw err;
        hits = await this.#search(task, mailbox, ctx.messageId);
      }
    }
    task.receipt.actedAtMs = this.#o.now();
  }

  async #apply(
    task: MailboxTask,
    mailbox: MailboxPort,
    action: RetractionAction,
    ids: string[],
    target: string | null,
  ): Promise<void> {
    if (action === 'delete') {
      await this.#call(task, 'MsgActionRequest', () => mailbox.deleteMessages(ids));
      return setOutcome(task.receipt, ids, 'deleted', null);
    }
    if (action === 'trash') {
      await this.#call(task, 'MsgActionRequest', () => mailbox.trashMessages(ids));
      return setOutcome(task.receipt, ids, 'trashed', TRASH_FOLDER_ID);
    }
    await this.#call(task, 'MsgActionRequest', () => mailbox.moveMessages(ids, target!));
    setOutcome(task.receipt, ids, 'moved', target);
  }

  /**
   * Sets the outcome of copies that need no action now: those already at the
   * target, and those the receipt knows but the search no longer finds.
   */
  #markSettled(task: MailboxTask, hits: Hit[], target: string | null): void {
    const found = new Map(hits.map((h) => [h.id, h.folderId]));
    const moved = target === TRASH_FOLDER_ID ? 'trashed' : 'moved';
    for (const item of task.receipt.items) {
      const folder = found.get(item.id);
      if (folder === undefined) {
        // Gone from every folder. After a delete that was in flight when a
        // worker died, that is our own delete; otherwise the user removed it.
        if (item.outcome !== 'pending') continue;
        item.outcome = target === null ? 'deleted' : 'vanished';
        item.folderAfter = null;
      } else if (target !== null && folder === target) {
        item.outcome = item.folderBefore === target ? 'already_there' : moved;
        item.folderAfter = target;
      }
    }
  }

  /**
   * Searches once more and checks that no copy is left outside the target.
   * Copies delivered after the first search are acted on too (counted in
   * `lateCopies`); any still out of place fail the task.
   */
  async #verify(
    task: MailboxTask,
    mailbox: MailboxPort,
    ctx: TaskContext,
    target: string | null,
  ): Promise<void> {
    const known = new Set(task.receipt.items.map((i) => i.id));
    let hits = await this.#search(task, mailbox, ctx.messageId);
    let stray = hits.filter((h) => target === null || h.folderId !== target);

    if (stray.length > 0) {
      task.receipt.lateCopies = stray.filter((h) => !known.has(h.id)).length;
      await this.#act(task, mailbox, ctx, hits, target);
      hits = await this.#search(task, mailbox, ctx.messageId);
      stray = hits.filter((h) => target === null || h.folderId !== target);
    }
    if (stray.length > 0) {
      throw new RetractError(
        'RETRACTION_VERIFY_FAILED',
        `${stray.length} copies are still outside the target after acting on them`,
        {
          failureClass: 'internal',
          context: { account: task.account, items: stray.map((h) => h.id) },
        },
      );
    }
    task.receipt.verifiedAtMs = this.#o.now();
  }

  /** Runs one Zimbra call and keeps its answer in the receipt. */
  async #call<T>(task: MailboxTask, request: string, call: () => Promise<T>): Promise<T> {
    const atMs = this.#o.now();
    try {
      const result = await call();
      recordAnswer(task.receipt, { request, atMs, ok: true });
      return result;
    } catch (thrown) {
      const err = toRetractError(thrown);
      const faultCode = (err as { faultCode?: string }).faultCode ?? err.code;
      recordAnswer(task.receipt, { request, atMs, ok: false, faultCode, detail: err.message });
      throw err;
    }
  }

  async #enter(task: MailboxTask, state: TaskState): Promise<void> {
    task.state = state;
    await this.#o.repo.save(task);
    this.#log(task).debug({ state }, 'mailbox task state');
  }

  async #finish(task: MailboxTask, state: TaskState): Promise<void> {
    task.error = null;
    await this.#enter(task, state);
    this.#log(task).info({ state, items: task.receipt.items.length }, 'mailbox task done');
  }

  async #fail(task: MailboxTask, err: RetractError): Promise<void> {
    task.error = { class: err.failureClass, code: err.code, message: err.message };
    task.state = 'failed';
    await this.#o.repo.save(task);
    this.#log(task).warn(
      { err, state: 'failed', errorClass: err.failureClass },
      'mailbox task failed',
    );
  }

  #log(task: MailboxTask): Logger {
    return this.#o.logger.child({ taskId: task.id, account: task.account });
  }
}
