import type { DeliveryRow, DeliveryWriteRow } from '../store/index.js';
import { canonicalClientAddress } from './client-address.js';
import type { Delivery, DeliveryRecord } from './delivery-types.js';

/** `<id>` is how nearly every id is logged: stored as null and rebuilt on reading. */
function bracketed(messageId: string | null): string | null {
  return messageId === null ? null : `<${messageId}>`;
}

/**
 * The row the store writes for `record`: every import, follow and ingest
 * writes through here. Addresses are compared lower-cased, an IPv6 client
 * address in its RFC 5952 form (see `canonicalClientAddress`), as the search
 * reads it. A raw value equal to what reading would rebuild is stored as
 * null: a quarter less to write, for most rows.
 */
export function toWriteRow(record: DeliveryRecord, source: string): DeliveryWriteRow {
  const { messageIdRaw, subjectRaw } = record;
  return {
    time_ms: record.timeMs,
    message_id: record.messageId,
    message_id_raw: messageIdRaw === bracketed(record.messageId) ? null : messageIdRaw,
    queue_id: record.queueId,
    queue_ids: JSON.stringify(record.queueIds),
    sender: record.sender.toLowerCase(),
    header_from: record.headerFrom ?? null,
    recipient: record.recipient.toLowerCase(),
    original_recipient: record.originalRecipient?.toLowerCase() ?? null,
    size_bytes: record.sizeBytes,
    client_address:
      record.clientAddress === null ? null : canonicalClientAddress(record.clientAddress),
    client_host: record.clientHost,
    subject: record.subject,
    subject_raw: subjectRaw === record.subject ? null : subjectRaw,
    status: record.status,
    dsn: record.dsn,
    relay: record.relay,
    detail: record.detail,
    source,
  };
}

/** A stored row as the search returns it. */
export function toDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    timeMs: Number(r.time_ms),
    time: new Date(Number(r.time_ms)).toISOString(),
    queueId: r.queue_id,
    queueIds: JSON.parse(r.queue_ids) as string[],
    messageId: r.message_id,
    messageIdRaw: r.message_id_raw ?? bracketed(r.message_id),
    sender: r.sender,
    headerFrom: r.header_from,
    recipient: r.recipient,
    originalRecipient: r.original_recipient,
    sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    clientAddress: r.client_address,
    clientHost: r.client_host,
    subject: r.subject,
    subjectRaw: r.subject_raw ?? r.subject,
    status: r.status,
    dsn: r.dsn,
    relay: r.relay,
    detail: r.detail,
    source: r.source,
  };
}
