import type { FailureClass } from '../errors/index.js';
import type { MailboxTaskRow, RetractionRow, Store } from '../store/index.js';
import type { Receipt, RestoreStatus, RetractionStatus, TaskState } from './types.js';

export interface MailboxTask {
  id: string;
  retractionId: string;
  account: string;
  domain: string;
  state: TaskState;
  attempt: number;
  error: { class: FailureClass; code: string; message: string } | null;
  receipt: Receipt;
  updatedAtMs: number;
}

export interface Retraction {
  id: string;
  messageId: string;
  action: string;
  dryRun: boolean;
  status: RetractionStatus;
  requestedBy: string;
  createdAtMs: number;
  finishedAtMs: number | null;
  restoreStatus: RestoreStatus | null;
  restoredAtMs: number | null;
}

/**
 * Reads and writes retractions and their mailbox tasks. Every state change
 * of a task goes through `save`, which the engine awaits before its next
 * Zimbra call: that ordering is what makes a killed worker resumable.
 */
export class TaskRepo {
  readonly #store: Store;
  readonly #tenantId: string;
  readonly #now: () => number;

  constructor(store: Store, tenantId: string, now: () => number) {
    this.#store = store;
    this.#tenantId = tenantId;
    this.#now = now;
  }

  async insertRetraction(r: Retraction, tasks: MailboxTask[]): Promise<void> {
    const nowMs = this.#now();
    await this.#store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('retractions')
        .values({
          id: r.id,
          tenant_id: this.#tenantId,
          message_id: r.messageId,
          action: r.action,
          dry_run: r.dryRun ? 1 : 0,
          status: r.status,
          requested_by: r.requestedBy,
          created_at: r.createdAtMs,
          updated_at: nowMs,
          finished_at: null,
          restore_status: null,
          restored_at: null,
        })
        .execute();
      // Chunked so a retraction to tens of thousands of mailboxes stays
      // under SQLite's bound-parameter limit.
      for (let i = 0; i < tasks.length; i += 500) {
        const values = tasks.slice(i, i + 500).map((t) => this.#taskValues(t, nowMs));
        await trx.insertInto('mailbox_tasks').values(values).execute();
      }
    });
  }

  /** Persists a task's state, attempt, error and receipt. */
  async save(task: MailboxTask): Promise<void> {
    task.updatedAtMs = this.#now();
    await this.#store.db
      .updateTable('mailbox_tasks')
      .set({
        state: task.state,
        attempt: task.attempt,
        error_class: task.error?.class ?? null,
        error_code: task.error?.code ?? null,
        error_message: task.error?.message ?? null,
        receipt: JSON.stringify(task.receipt),
        updated_at: task.updatedAtMs,
      })
      .where('id', '=', task.id)
      .where('tenant_id', '=', this.#tenantId)
      .execute();
  }

  async setStatus(id: string, status: RetractionStatus): Promise<void> {
    const nowMs = this.#now();
    await this.#store.db
      .updateTable('retractions')
      .set({ status, updated_at: nowMs, finished_at: status === 'running' ? null : nowMs })
      .where('id', '=', id)
      .where('tenant_id', '=', this.#tenantId)
      .execute();
  }

  async setRestoreStatus(id: string, status: RestoreStatus): Promise<void> {
    const nowMs = this.#now();
    await this.#store.db
      .updateTable('retractions')
      .set({
        restore_status: status,
        updated_at: nowMs,
        restored_at: status === 'running' ? null : nowMs,
      })
      .where('id', '=', id)
      .where('tenant_id', '=', this.#tenantId)
      .execute();
  }

  /** Marks the retraction's still-queued tasks cancelled; returns how many. */
  async cancelQueued(retractionId: string): Promise<number> {
    const result = await this.#store.db
      .updateTable('mailbox_tasks')
      .set({ state: 'cancelled', updated_at: this.#now() })
      .where('retraction_id', '=', retractionId)
      .where('tenant_id', '=', this.#tenantId)
      .where('state', '=', 'queued')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async getRetraction(id: string): Promise<Retraction | undefined> {
    const row = await this.#store.db
      .selectFrom('retractions')
      .selectAll()
      .where('id', '=', id)
      .where('tenant_id', '=', this.#tenantId)
      .executeTakeFirst();
    return row && toRetraction(row);
  }

  /** Retractions newest first. */
  async listRetractions(limit: number): Promise<Retraction[]> {
    const rows = await this.#store.db
      .selectFrom('retractions')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRetraction);
  }

  async listTasks(retractionId: string): Promise<MailboxTask[]> {
    const rows = await this.#store.db
      .selectFrom('mailbox_tasks')
      .selectAll()
      .where('retraction_id', '=', retractionId)
      .where('tenant_id', '=', this.#tenantId)
      .orderBy('account')
      .execute();
    return rows.map(toTask);
  }

  /**
   * One page of a retraction's tasks in account order: those after
   * `afterAccount`, optionally in one state. Reads only the page.
   */
  async listTasksPage(
    retractionId: string,
    page: { state?: string; afterAccount?: string; limit: number },
  ): Promise<MailboxTask[]> {
    let query = this.#store.db
      .selectFrom('mailbox_tasks')
      .selectAll()
      .where('retraction_id', '=', retractionId)
      .where('tenant_id', '=', this.#tenantId);
    if (page.state) query = query.where('state', '=', page.state);
    if (page.afterAccount !== undefined) query = query.where('account', '>', page.afterAccount);
    const rows = await query.orderBy('account').limit(page.limit).execute();
    return rows.map(toTask);
  }

  /** Retractions whose restore a stopped process left `running`. */
  async listRestoring(): Promise<Retraction[]> {
    const rows = await this.#store.db
      .selectFrom('retractions')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId)
      .where('restore_status', '=', 'running')
      .orderBy('created_at')
      .execute();
    return rows.map(toRetraction);
  }

  /** Retractions left `running` by a worker that stopped. */
  async listUnfinished(): Promise<Retraction[]> {
    const rows = await this.#store.db
      .selectFrom('retractions')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId)
      .where('status', '=', 'running')
      .orderBy('created_at')
      .execute();
    return rows.map(toRetraction);
  }

  #taskValues(t: MailboxTask, nowMs: number) {
    return {
      id: t.id,
      tenant_id: this.#tenantId,
      retraction_id: t.retractionId,
      account: t.account,
      domain: t.domain,
      state: t.state,
      attempt: t.attempt,
      error_class: t.error?.class ?? null,
      error_code: t.error?.code ?? null,
      error_message: t.error?.message ?? null,
      receipt: JSON.stringify(t.receipt),
      created_at: nowMs,
      updated_at: nowMs,
    };
  }
}

function toRetraction(row: RetractionRow): Retraction {
  return {
    id: row.id,
    messageId: row.message_id,
    action: row.action,
    dryRun: row.dry_run === 1,
    status: row.status as RetractionStatus,
    requestedBy: row.requested_by,
    createdAtMs: Number(row.created_at),
    finishedAtMs: row.finished_at === null ? null : Number(row.finished_at),
    restoreStatus: row.restore_status as RestoreStatus | null,
    restoredAtMs: row.restored_at === null ? null : Number(row.restored_at),
  };
}

function toTask(row: MailboxTaskRow): MailboxTask {
  return {
    id: row.id,
    retractionId: row.retraction_id,
    account: row.account,
    domain: row.domain,
    state: row.state as TaskState,
    attempt: row.attempt,
    error:
      row.error_code === null
        ? null
        : {
            class: (row.error_class ?? 'internal') as FailureClass,
            code: row.error_code,
            message: row.error_message ?? '',
          },
    receipt: JSON.parse(row.receipt) as Receipt,
    updatedAtMs: Number(row.updated_at),
  };
}
