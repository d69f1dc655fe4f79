import type { DeliveryStatus, ParsedDelivery } from './parsed-delivery.js';
import { listChain, type DeliveryFact, type QueueEntry } from './queue-entry.js';

const STATUSES: Record<string, DeliveryStatus> = {
  sent: 'delivered',
  deferred: 'deferred',
  bounced: 'bounced',
  expired: 'expired',
};

/**
 * The trace status for Postfix's `status=` word, or null for words that are
 * no delivery (`deliverable`/`undeliverable` come from address verification
 * probes, which never reach a mailbox).
 */
export function toDeliveryStatus(postfixStatus: string): DeliveryStatus | null {
  return STATUSES[postfixStatus] ?? null;
}

/** The value nearest to `entry` along its chain (its own first, then its parents'). */
function findNearest<T>(entry: QueueEntry, read: (hop: QueueEntry) => T | null): T | null {
  for (let hop: QueueEntry | null = entry; hop !== null; hop = hop.parent) {
    const value = read(hop);
    if (value !== null) return value;
  }
  return null;
}

function findMessageIdHop(entry: QueueEntry): QueueEntry | null {
  return (
    findNearest(entry, (hop) => (hop.messageId === null ? null : hop)) ??
    findNearest(entry, (hop) => (hop.messageIdRaw === null ? null : hop))
  );
}

/** Builds the record for one delivery line of `entry`, with what its chain knows. */
export function buildParsedDelivery(
  entry: QueueEntry,
  fact: DeliveryFact,
  status: DeliveryStatus,
): ParsedDelivery {
  const chain = listChain(entry);
  const origin = chain.find((hop) => hop.clientAddress !== null);
  const idHop = findMessageIdHop(entry);
  const subjectHop = findNearest(entry, (hop) => (hop.subjectRaw === null ? null : hop));
  const { line } = fact;

  return {
    timeMs: fact.timeMs,
    queueId: entry.queueId,
    queueIds: chain.map((hop) => hop.queueId),
    messageId: idHop?.messageId ?? null,
    messageIdRaw: idHop?.messageIdRaw ?? null,
    sender: findNearest(entry, (hop) => hop.sender) ?? '',
    recipient: line.recipient,
    originalRecipient: line.originalRecipient,
    sizeBytes: findNearest(entry, (hop) => hop.sizeBytes),
    clientAddress: origin?.clientAddress ?? null,
    clientHost: origin?.clientHost ?? null,
    subject: subjectHop?.subject ?? null,
    subjectRaw: subjectHop?.subjectRaw ?? null,
    headerFrom: findNearest(entry, (hop) => hop.headerFrom),
    status,
    dsn: line.dsn,
    relay: line.relay,
    detail: line.detail,
  };
}
