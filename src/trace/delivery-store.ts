import { sql } from 'kysely';
import type { DeliveryRow, NewDeliveryRow, Store } from '../store/index.js';

/** One delivery as the parsers produce it (see postfix-log-parser.ts). */
export interface DeliveryRecord {
  timeMs: number;
  queueId: string;
  queueIds: string[];
  messageId: string | null;
  messageIdRaw: string | null;
  sender: string;
  recipient: string;
  originalRecipient: string | null;
  sizeBytes: number | null;
  clientAddress: string | null;
  clientHost: string | null;
  subject: string | null;
  subjectRaw: string | null;
  status: string;
  dsn: string | null;
  relay: string | null;
  detail: string | null;
}

/** A delivery as the trace search returns it. */
export interface Delivery extends DeliveryRecord {
  time: string;
  source: string;
}

/** How many mailboxes one message reached. */
export interface MessageReach {
  messageId: string;
  recipients: number;
  subject: string | null;
  firstDeliveredMs: number;
}

export interface DeliveryFilter {
  messageId?: string;
  sender?: string;
  recipient?: string;
  /** Case-insensitive substring of the decoded subject. */
  subject?: string;
  status?: string;
  afterMs?: number;
  beforeMs?: number;
  limit?: number;
}

/** Where the next page of a search starts: the last row of the page before. */
export interface DeliveryCursor {
  timeMs: number;
  id: number;
}

export interface DeliveryPage {
  deliveries: Delivery[];
  /** Null on the last page. */
  next: DeliveryCursor | null;
}

/** Rows per INSERT: well under SQLite's bound-parameter limit at 20 columns. */
const BATCH_ROWS = 400;

/**
 * The deliveries table of one tenant. A delivery is keyed by queue id and
 * recipient, so importing the same log twice changes nothing, and a
 * deferred attempt followed by a successful one ends as delivered.
 */
export class DeliveryStore {
  readonly #store: Store;
  readonly #tenantId: string;
  readonly #now: () => number;

  constructor(store: Store, tenantId: string, now: () => number = Date.now) {
    this.#store = store;
    this.#tenantId = tenantId;
    this.#now = now;
  }

  /** Inserts or updates a batch in one transaction. */
  async upsert(records: readonly DeliveryRecord[], source: string): Promise<void> {
    if (records.length === 0) return;
    const importedAt = this.#now();
    const rows = dedupe(records).map((r) => this.#row(r, source, importedAt));

    await this.#store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += BATCH_ROWS) {
        await trx
          .insertInto('deliveries')
          .values(rows.slice(i, i + BATCH_ROWS))
          .onConflict((oc) =>
            oc.columns(['tenant_id', 'queue_id', 'recipient']).doUpdateSet((eb) => ({
              time_ms: eb.ref('excluded.time_ms'),
              status: eb.ref('excluded.status'),
              dsn: eb.ref('excluded.dsn'),
              relay: eb.ref('excluded.relay'),
              detail: eb.ref('excluded.detail'),
              queue_ids: eb.ref('excluded.queue_ids'),
              message_id: sql`coalesce(excluded.message_id, deliveries.message_id)`,
              message_id_raw: sql`coalesce(excluded.message_id_raw, deliveries.message_id_raw)`,
              subject: sql`coalesce(excluded.subject, deliveries.subject)`,
              subject_raw: sql`coalesce(excluded.subject_raw, deliveries.subject_raw)`,
              imported_at: eb.ref('excluded.imported_at'),
            })),
          )
          .execute();
      }
    });
  }

  /** Distinct mailboxes the message was delivered to, sorted. */
  async recipientsOf(messageId: string): Promise<string[]> {
    const rows = await this.#store.db
      .selectFrom('deliveries')
      .select('recipient')
      .distinct()
      .where('tenant_id', '=', this.#tenantId)
      .where('message_id', '=', messageId)
      .where('status', '=', 'delivered')
      .orderBy('recipient')
      .execute();
    return rows.map((r) => r.recipient);
  }

  /**
   * Messages with the most delivered recipients, most first: what an analyst
   * looks at first when a campaign lands.
   */
  async widestMessages(limit: number, minRecipients = 1): Promise<MessageReach[]> {
    const rows = await this.#store.db
      .selectFrom('deliveries')
      .select((eb) => [
        'message_id',
        eb.fn.count<number>('recipient').distinct().as('recipients'),
        eb.fn.max('subject').as('subject'),
        eb.fn.min('time_ms').as('first_ms'),
      ])
      .where('tenant_id', '=', this.#tenantId)
      .where('status', '=', 'delivered')
      .where('message_id', 'is not', null)
      .groupBy('message_id')
      .having((eb) => eb.fn.count('recipient').distinct(), '>=', minRecipients)
      .orderBy('recipients', 'desc')
      .orderBy('message_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      messageId: r.message_id!,
      recipients: Number(r.recipients),
      subject: r.subject,
      firstDeliveredMs: Number(r.first_ms),
    }));
  }

  /** Deliveries matching every given filter, newest first. */
  async search(filter: DeliveryFilter): Promise<Delivery[]> {
    return (await this.searchPage(filter)).deliveries;
  }

  /**
   * One page of `search`, with the cursor of the next page (null on the last).
   * Keyset pagination on (time, id): rows imported while someone pages
   * neither shift nor repeat the pages already read.
   */
  async searchPage(filter: DeliveryFilter, after?: DeliveryCursor): Promise<DeliveryPage> {
    const limit = filter.limit ?? 100;
    let q = this.#filtered(filter).selectAll();
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('time_ms', '<', after.timeMs),
          eb.and([eb('time_ms', '=', after.timeMs), eb('id', '<', after.id)]),
        ]),
      );
    }
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
   * recipients each reached; most recipients first, like `widestMessages`.
   */
  async messages(filter: DeliveryFilter): Promise<MessageReach[]> {
    const rows = await this.#filtered(filter)
      .select((eb) => [
        'message_id',
        eb.fn.count<number>('recipient').distinct().as('recipients'),
        eb.fn.max('subject').as('subject'),
        eb.fn.min('time_ms').as('first_ms'),
      ])
      .where('message_id', 'is not', null)
      .groupBy('message_id')
      .orderBy('recipients', 'desc')
      .orderBy('message_id')
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map((r) => ({
      messageId: r.message_id!,
      recipients: Number(r.recipients),
      subject: r.subject,
      firstDeliveredMs: Number(r.first_ms),
    }));
  }

  #filtered(filter: DeliveryFilter) {
    let q = this.#store.db.selectFrom('deliveries').where('tenant_id', '=', this.#tenantId);
    if (filter.messageId) q = q.where('message_id', '=', filter.messageId);
    if (filter.sender) q = q.where('sender', '=', filter.sender.toLowerCase());
    if (filter.recipient) q = q.where('recipient', '=', filter.recipient.toLowerCase());
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.afterMs !== undefined) q = q.where('time_ms', '>=', filter.afterMs);
    if (filter.beforeMs !== undefined) q = q.where('time_ms', '<', filter.beforeMs);
    if (filter.subject) {
      q = q.where(sql<boolean>`lower(subject) like ${likePattern(filter.subject)} escape '\\'`);
    }
    return q;
  }

  #row(r: DeliveryRecord, source: string, importedAt: number): NewDeliveryRow {
    return {
      tenant_id: this.#tenantId,
      time_ms: r.timeMs,
      message_id: r.messageId,
      message_id_raw: r.messageIdRaw,
      queue_id: r.queueId,
      queue_ids: JSON.stringify(r.queueIds),
      sender: r.sender.toLowerCase(),
      recipient: r.recipient.toLowerCase(),
      original_recipient: r.originalRecipient,
      size_bytes: r.sizeBytes,
      client_address: r.clientAddress,
      client_host: r.clientHost,
      subject: r.subject,
      subject_raw: r.subjectRaw,
      status: r.status,
      dsn: r.dsn,
      relay: r.relay,
      detail: r.detail,
      source,
      imported_at: importedAt,
    };
  }
}

function toDelivery(r: DeliveryRow): Delivery {
  return {
    timeMs: Number(r.time_ms),
    time: new Date(Number(r.time_ms)).toISOString(),
    queueId: r.queue_id,
    queueIds: JSON.parse(r.queue_ids) as string[],
    messageId: r.message_id,
    messageIdRaw: r.message_id_raw,
    sender: r.sender,
    recipient: r.recipient,
    originalRecipient: r.original_recipient,
    sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    clientAddress: r.client_address,
    clientHost: r.client_host,
    subject: r.subject,
    subjectRaw: r.subject_raw,
    status: r.status,
    dsn: r.dsn,
    relay: r.relay,
    detail: r.detail,
    source: r.source,
  };
}

/**
 * Keeps the last record per (queue id, recipient) of a batch: one INSERT may
 * not touch the same row twice on conflict.
 */
function dedupe(records: readonly DeliveryRecord[]): DeliveryRecord[] {
  const byKey = new Map<string, DeliveryRecord>();
  for (const r of records) byKey.set(`${r.queueId}\u0000${r.recipient.toLowerCase()}`, r);
  return [...byKey.values()];
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
