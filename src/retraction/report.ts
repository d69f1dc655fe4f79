import type { MailboxTask, Retraction } from './task-repo.js';
import { isDoneState, type ReceiptItem, type TaskState } from './types.js';

/** Mailboxes per done state, and those not done yet. */
export interface RetractionCounts {
  mailboxes: number;
  retracted: number;
  not_found: number;
  failed: number;
  found: number;
  cancelled: number;
  restored: number;
  pending: number;
  /** Copies of the message found over all mailboxes. */
  copies: number;
}

export interface MailboxReport {
  account: string;
  status: TaskState;
  items: ReceiptItem[];
  error?: { class: string; code: string; message: string };
}

/** What `status`, `run` and the API report about one retraction. */
export interface RetractionReport {
  id: string;
  messageId: string;
  action: string;
  dryRun: boolean;
  status: string;
  restoreStatus: string | null;
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
  restoredAt: string | null;
  counts: RetractionCounts;
  mailboxes: MailboxReport[];
}

export function countTasks(tasks: readonly MailboxTask[]): RetractionCounts {
  const counts: RetractionCounts = {
    mailboxes: tasks.length,
    retracted: 0,
    not_found: 0,
    failed: 0,
    found: 0,
    cancelled: 0,
    restored: 0,
    pending: 0,
    copies: 0,
  };
  for (const task of tasks) {
    counts.copies += task.receipt.items.length;
    if (isDoneState(task.state)) counts[task.state] += 1;
    else counts.pending += 1;
  }
  return counts;
}

export function buildReport(r: Retraction, tasks: readonly MailboxTask[]): RetractionReport {
  return {
    id: r.id,
    messageId: r.messageId,
    action: r.action,
    dryRun: r.dryRun,
    status: r.status,
    restoreStatus: r.restoreStatus,
    requestedBy: r.requestedBy,
    createdAt: new Date(r.createdAtMs).toISOString(),
    finishedAt: r.finishedAtMs === null ? null : new Date(r.finishedAtMs).toISOString(),
    restoredAt: r.restoredAtMs === null ? null : new Date(r.restoredAtMs).toISOString(),
    counts: countTasks(tasks),
    mailboxes: tasks.map(toMailboxReport),
  };
}

export function toMailboxReport(t: MailboxTask): MailboxReport {
  return {
    account: t.account,
    status: t.state,
    items: t.receipt.items,
    ...(t.error ? { error: t.error } : {}),
  };
}
