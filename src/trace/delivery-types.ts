/** Every status a delivery can have, in the order an analyst reads them. */
export const DELIVERY_STATUSES = [
  'delivered',
  'deferred',
  'bounced',
  'expired',
  'filtered',
] as const;

/**
 * One delivery as the parsers and the ingest produce it: one message to one
 * recipient. The store keys it by (queueId, recipient).
 */
export interface DeliveryRecord {
  timeMs: number;
  /** The MTA's queue id; for ingested deliveries, the source's own id of the delivery. */
  queueId: string;
  queueIds: string[];
  messageId: string | null;
  messageIdRaw: string | null;
  sender: string;
  /** The header From, when known. */
  headerFrom?: string | null;
  recipient: string;
  originalRecipient: string | null;
  sizeBytes: number | null;
  clientAddress: string | null;
  clientHost: string | null;
  subject: string | null;
  subjectRaw: string | null;
  /** One of DELIVERY_STATUSES. */
  status: string;
  dsn: string | null;
  relay: string | null;
  detail: string | null;
}

/** A delivery as the trace search returns it. */
export interface Delivery extends DeliveryRecord {
  /** Store id; with `timeMs` it makes the page cursor. */
  id: number;
  headerFrom: string | null;
  /** ISO 8601, UTC. */
  time: string;
  /**
   * Where it was read: `mta-log:/var/log/zimbra.log`, `upload:<name>` (a log
   * uploaded through the portal), `ndjson:file`, `api:gateway`.
   */
  source: string;
}

/**
 * How many mailboxes one message reached, among the deliveries a search
 * matched. Mail that carried no Message-ID is grouped by its queue id
 * instead: `messageId` is null and `queueId` says which; a retraction by
 * Message-ID cannot be made for it.
 */
export interface MessageReach {
  messageId: string | null;
  /** Set when `messageId` is null: the queue id its deliveries share. */
  queueId: string | null;
  /** Envelope sender (the greatest, should the deliveries differ). */
  sender: string;
  /** Distinct recipients it was delivered to (status `delivered`); 0 when it reached nobody. */
  recipients: number;
  /** Distinct recipients whatever their status. */
  allRecipients: number;
  /** Distinct recipients per status, statuses with none left out: `{ filtered: 2 }`. */
  byStatus: Record<string, number>;
  subject: string | null;
  /** The earliest of its deliveries, whatever the status. */
  firstSeenMs: number;
  /** The earliest delivery with status `delivered`; null when none was. */
  firstDeliveredMs: number | null;
}

/**
 * Search filters; all given ones must hold. Addresses compare
 * case-insensitively; subject filters are also accent-insensitive.
 */
export interface DeliveryFilter {
  /** Bare Message-ID, as `normaliseMessageId` returns it. */
  messageId?: string;
  /** Envelope sender; the empty string finds the null sender (`<>`) of bounces. */
  sender?: string;
  recipient?: string;
  /** MTA queue id (or ingest source id) of the delivery. */
  queueId?: string;
  /** Substring of the decoded subject. */
  subject?: string;
  /** Words the decoded subject must all hold, as whole words, in any order. */
  subjectWords?: string;
  /** One of DELIVERY_STATUSES. */
  status?: string;
  clientAddress?: string;
  /** From this instant on (ms since epoch), included. */
  afterMs?: number;
  /** Before this instant (ms since epoch), excluded. */
  beforeMs?: number;
  /** Rows (or messages) per answer; default 100. */
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
