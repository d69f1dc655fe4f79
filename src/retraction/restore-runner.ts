import type { Logger } from 'pino';
import { RetractError, toRetractError } from '../errors/index.js';
import { INBOX_FOLDER_ID, type MailboxPort } from './mailbox-port.js';
import { recordAnswer, restorableItems } from './receipt.js';
import type { MailboxTask, TaskRepo } from './task-repo.js';
import type { ReceiptItem } from './types.js';
import { isNoSuchFolder } from './zimbra-failure.js';

export interface RestoreRunnerOptions {
  repo: TaskRepo;
  logger: Logger;
  now: () => number;
}

/**
 * Puts the copies a mailbox task moved back into the folders they were found
 * in. Safe to run again: a copy already home is left alone. A folder the user
 * deleted meanwhile sends the copy to Inbox (reference §4.4), and the receipt
 * says so.
 */
export class RestoreRunner {
  readonly #o: RestoreRunnerOptions;

  constructor(options: RestoreRunnerOptions) {
    this.#o = options;
  }

  /** Restores one task; returns false (with the error in the task) if it failed. */
  async run(task: MailboxTask, messageId: string, open: () => Promise<MailboxPort>) {
    const items = restorableItems(task.receipt);
    if (items.length === 0) return true;

    try {
      const mailbox = await open();
      const current = await this.#locate(task, mailbox, messageId);
      for (const [folder, group] of groupByHome(items, current)) {
        await this.#moveHome(task, mailbox, group, folder);
      }
      await this.#verify(task, mailbox, messageId, items);

      task.state = 'restored';
      task.error = null;
      task.receipt.restoredAtMs = this.#o.now();
      await this.#o.repo.save(task);
      return true;
    } catch (thrown) {
      const err = toRetractError(thrown);
      task.error = { class: err.failureClass, code: err.code, message: err.message };
      await this.#o.repo.save(task);
      this.#o.logger.warn({ err, taskId: task.id, account: task.account }, 'restore failed');
      return false;
    }
  }

  /** Where each copy is now; copies no longer found are marked vanished. */
  async #locate(task: MailboxTask, mailbox: MailboxPort, messageId: string) {
    const hits = await mailbox.findMessages(messageId);
    recordAnswer(task.receipt, { request: 'SearchRequest', atMs: this.#o.now(), ok: true });
    const current = new Map(hits.map((h) => [h.id, h.folderId]));
    for (const item of restorableItems(task.receipt)) {
      if (!current.has(item.id)) item.restoreOutcome = 'vanished';
    }
    return current;
  }

  async #moveHome(task: MailboxTask, mailbox: MailboxPort, items: ReceiptItem[], folder: string) {
    const ids = items.map((i) => i.id);
    try {
      await mailbox.moveMessages(ids, folder);
      settle(items, folder, 'restored');
    } catch (thrown) {
      const err = toRetractError(thrown);
      if (!isNoSuchFolder(err)) throw err;
      await mailbox.moveMessages(ids, INBOX_FOLDER_ID);
      settle(items, INBOX_FOLDER_ID, 'restored_to_inbox');
    }
    recordAnswer(task.receipt, { request: 'MsgActionRequest', atMs: this.#o.now(), ok: true });
  }

  async #verify(task: MailboxTask, mailbox: MailboxPort, messageId: string, items: ReceiptItem[]) {
    const hits = await mailbox.findMessages(messageId);
    const current = new Map(hits.map((h) => [h.id, h.folderId]));
    const astray = items.filter(
      (i) =>
        i.restoreOutcome !== 'vanished' &&
        i.restoreOutcome !== 'moved_since' &&
        current.get(i.id) !== i.restoredTo,
    );
    if (astray.length > 0) {
      throw new RetractError(
        'RETRACTION_RESTORE_VERIFY_FAILED',
        `${astray.length} copies are not back in their folders after the restore`,
        { failureClass: 'internal', context: { account: task.account } },
      );
    }
  }
}

/**
 * Copies still to move, grouped by the folder they go back to. A copy is
 * moved only from where the retraction put it: one the user (or another
 * retraction) has moved since is left where it is, and the receipt says so.
 */
function groupByHome(items: ReceiptItem[], current: Map<string, string>) {
  const groups = new Map<string, ReceiptItem[]>();
  for (const item of items) {
    const now = current.get(item.id);
    if (now === undefined) continue;
    if (now === item.folderBefore) {
      settle([item], now, 'restored');
    } else if (now !== item.folderAfter) {
      settle([item], now, 'moved_since');
    } else {
      groups.set(item.folderBefore, [...(groups.get(item.folderBefore) ?? []), item]);
    }
  }
  return groups;
}

/** Records where a copy ended; `folderAfter` keeps where the retraction put it. */
function settle(items: ReceiptItem[], folder: string, outcome: ReceiptItem['restoreOutcome']) {
  for (const item of items) {
    item.restoredTo = folder;
    item.restoreOutcome = outcome;
  }
}
