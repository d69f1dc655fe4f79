import { sql, type ExpressionBuilder } from 'kysely';
import type { Database, DeliveryWriteCounts, DeliveryWriter, Store } from '../store/index.js';
import { isBefore, planSearch, selectMatching, type QueryScope } from './delivery-query.js';
import { toDelivery, toWriteRow } from './delivery-rows.js';
import { FollowStateStore } from './follow-state.js';
import {
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryCursor,
  type DeliveryFilter,
  type DeliveryPage,
  type DeliveryRecord,
  type MessageReach,
} from './delivery-types.js';

/** Writes deliveries of one import in batches; see `DeliveryStore.openWriter`. */
export interface DeliveryBatchWriter {
  /**
   * Settles once the batch is committed. May be called again before the last
   * one settled: batches are written in order, and batches that queue up
   * behind a transaction may be committed together in the next one.
   */
  write(records: readonly DeliveryRecord[], source: string): Promise<DeliveryWriteCounts>;
  close(): Promise<void>;
}

/**
 * The deliveries of one tenant. A delivery is keyed by queue id and
 * recipient, so importing the same log twice changes nothing, and a
 * deferred attempt followed by a successful one ends as delivered.
 */
export class DeliveryStore {
  readonly #store: Store;
  readonly #tenantId: string;
  readonly #scope: QueryScope;
  readonly #now: () => number;

  constructor(store: Store, tenantId: string, now: () => number = Date.now) {
    this.#store = store;
    this.#tenantId = tenantId;
    this.#now = now;
    this.#scope = { db: store.db, tenantId, subjects: store.subjectSearch };
  }

  /**
   * A writer for an import: by default its SQL runs on a thread of its own
   * while the caller parses. Close it when done.
   */
  openWriter(options: { threaded?: boolean } = {}): DeliveryBatchWriter {
    const writer: DeliveryWriter = this.#store.openDeliveryWriter(this.#tenantId, {
      now: this.#now,
      ...options,
    });
    return {
      write: (records, source) => writer.write(records.map((r) => toWriteRow(r, source))),
      close: () => writer.close(),
    };
  }

  /** Where `trace follow` stopped in each file this tenant follows. */
  followStates(): FollowStateStore {
    return new FollowStateStore(this.#store, this.#tenantId, this.#now);
  }

  /** Inserts or merges a few records in one transaction, on this thread; says what changed. */
  async upsert(records: readonly DeliveryRecord[], source: string): Promise<DeliveryWriteCounts> {
    const writer = this.openWriter({ threaded: false });
    try {
      return await writer.write(records, source);
    } finally {
      await writer.close();
    }
  }

  /** Distinct mailboxes the message was delivered to, sorted. */
  async recipientsOf(messageId: string): Promise<string[]> {
    const filter = { messageId, status: 'delivered' };
    const plan = await planSearch(this.#scope, filter);
    if (plan.days?.length === 0) return [];
    const rows = await selectMatching(this.#scope, filter, plan)
      .select('recipient')
      .distinct()
      .orderBy('recipient')
      .execute();
    return rows.map((r) => r.recipient);
  }

  /**
   * Messages with the most delivered recipients, most first: what an analyst
   * looks at first when a campaign lands.
   */
  async widestMessages(
    limit: number,
    minRecipients = 1,
  ): Promise<(MessageReach & { messageId: string })[]> {
    const rows = await this.#store.db
      .selectFrom('deliveries')
      .select(reachColumns)
      .where('tenant_id', '=', this.#tenantId)
      .where('status', '=', 'delivered')
      .where('message_id', 'is not', null)
      .groupBy(['message_id', QUEUE_OF_UNNAMED])
      .having(recipientsWith('delivered'), '>=', minRecipients)
      .orderBy('recipients', 'desc')
      .orderBy('message_id')
      .limit(limit)
      .execute();
    // Rows without a Message-ID were left out above.
    return rows.map(toMessageReach) as (MessageReach & { messageId: string })[];
  }

  /** Deliveries matching every given filter, newest first. */
  async search(filter: DeliveryFilter): Promise<Delivery[]> {
    return (await this.searchPage(filter)).deliveries;
  }

  /** How the store would run `search(filter)`, one step a line: for tests and the benchmark. */
  async explainSearch(filter: DeliveryFilter): Promise<string[]> {
    const plan = await planSearch(this.#scope, filter);
    const query = selectMatching(this.#scope, filter, plan)
      .selectAll()
      .orderBy('time_ms', 'desc')
      .orderBy('id', 'desc')
      .limit((filter.limit ?? 100) + 1);
    return this.#store.explain(query.compile());
  }

  /**
   * One page of `search`, with the cursor of the next page (null on the last).
   * Keyset pagination on (time, id): rows imported while someone pages
   * neither shift nor repeat the pages already read.
   */
  async searchPage(filter: DeliveryFilter, after?: DeliveryCursor): Promise<DeliveryPage> {
    const limit = filter.limit ?? 100;
    const plan = await planSearch(this.#scope, filter);
    if (plan.days?.length === 0) return { deliveries: [], next: null };

    let q = selectMatching(this.#scope, filter, plan).selectAll();
    if (after) q = q.where(isBefore(after));
    const rows = await q
      .orderBy('time_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();

    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? { timeMs: Number(last.time_ms), id: last.id } : null;
    return { deliveries: page.map(toDelivery), next };
  }

  /**
   * Messages among the deliveries matching the filter, with how many distinct
   * recipients each was delivered to and how many it had in each status;
   * most delivered recipients first, like `widestMessages`, then messages
   * that reached nobody, widest first.
   */
  async messages(filter: DeliveryFilter): Promise<MessageReach[]> {
    const plan = await planSearch(this.#scope, filter);
    if (plan.days?.length === 0) return [];
    const rows = await selectMatching(this.#scope, filter, plan)
      .select(reachColumns)
      .groupBy(['message_id', QUEUE_OF_UNNAMED])
      .orderBy('recipients', 'desc')
      .orderBy('all_recipients', 'desc')
      .orderBy('first_ms', 'desc')
      .orderBy('message_id')
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map(toMessageReach);
  }
}

/** Mail without a Message-ID is grouped by queue id: one message each. */
const QUEUE_OF_UNNAMED = sql<string | null>`CASE WHEN message_id IS NULL THEN queue_id END`;

/** Distinct recipients of the group whose delivery has `status`. */
function recipientsWith(status: string) {
  return sql<number>`count(DISTINCT CASE WHEN status = ${status} THEN recipient END)`;
}

/**
 * What `MessageReach` is made of, for queries grouped by message. `recipients`
 * counts the mailboxes the message was delivered to; the per-status counts
 * keep a message that reached nobody (filtered, bounced) visible as such.
 */
function reachColumns(eb: ExpressionBuilder<Database, 'deliveries'>) {
  return [
    eb.ref('message_id').as('message_id'),
    QUEUE_OF_UNNAMED.as('queue_id'),
    eb.fn.max('sender').as('sender'),
    recipientsWith('delivered').as('recipients'),
    eb.fn.count<number>('recipient').distinct().as('all_recipients'),
    recipientsWith('deferred').as('n_deferred'),
    recipientsWith('bounced').as('n_bounced'),
    recipientsWith('expired').as('n_expired'),
    recipientsWith('filtered').as('n_filtered'),
    eb.fn.max('subject').as('subject'),
    eb.fn.min('time_ms').as('first_ms'),
    sql<number | null>`min(CASE WHEN status = 'delivered' THEN time_ms END)`.as('delivered_ms'),
  ] as const;
}

function toMessageReach(r: {
  message_id: string | null;
  queue_id: string | null;
  sender: string | null;
  recipients: number;
  all_recipients: number;
  n_deferred: number;
  n_bounced: number;
  n_expired: number;
  n_filtered: number;
  subject: string | null;
  first_ms: number | null;
  delivered_ms: number | null;
}): MessageReach {
  const byStatus: Record<string, number> = {
    delivered: Number(r.recipients),
    deferred: Number(r.n_deferred),
    bounced: Number(r.n_bounced),
    expired: Number(r.n_expired),
    filtered: Number(r.n_filtered),
  };
  return {
    messageId: r.message_id,
    queueId: r.message_id === null ? r.queue_id : null,
    sender: r.sender ?? '',
    recipients: Number(r.recipients),
    allRecipients: Number(r.all_recipients),
    byStatus: Object.fromEntries(
      DELIVERY_STATUSES.flatMap((s) => (byStatus[s] ? [[s, byStatus[s]]] : [])),
    ),
    subject: r.subject,
    firstSeenMs: Number(r.first_ms),
    firstDeliveredMs: r.delivered_ms === null ? null : Number(r.delivered_ms),
  };
}
