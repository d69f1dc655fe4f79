import type { DeliveryLine } from './delivery-line.js';
import type { DeliveryStatus } from './parsed-delivery.js';

/** A delivery line kept so its record can be rebuilt (late chain link) or expired. */
export interface DeliveryFact {
  timeMs: number;
  line: DeliveryLine;
  status: DeliveryStatus;
}

/** What the log has said so far about one queue id. */
export interface QueueEntry {
  queueId: string;
  /** The queue id a content filter received this message from. */
  parent: QueueEntry | null;
  clientHost: string | null;
  clientAddress: string | null;
  messageIdRaw: string | null;
  messageId: string | null;
  subjectRaw: string | null;
  subject: string | null;
  /** The header From, decoded, when a header_checks rule logged it. */
  headerFrom: string | null;
  sender: string | null;
  sizeBytes: number | null;
  /** Recipients whose last attempt was deferred: an expiry turns them into expired records. */
  deferred: Map<string, DeliveryFact> | null;
  /** Records already emitted while no parent was known, to re-emit once one is. */
  delivered: Map<string, DeliveryFact> | null;
}

export function createQueueEntry(queueId: string): QueueEntry {
  return {
    queueId,
    parent: null,
    clientHost: null,
    clientAddress: null,
    messageIdRaw: null,
    messageId: null,
    subjectRaw: null,
    subject: null,
    headerFrom: null,
    sender: null,
    sizeBytes: null,
    deferred: null,
    delivered: null,
  };
}

/** Whether `candidate` is `entry` or one of its parents (a link to it would close a loop). */
export function isInChain(entry: QueueEntry, candidate: QueueEntry): boolean {
  for (let hop: QueueEntry | null = entry; hop !== null; hop = hop.parent) {
    if (hop === candidate) return true;
  }
  return false;
}

/** The entries of the chain, first hop first. */
export function listChain(entry: QueueEntry): QueueEntry[] {
  const chain: QueueEntry[] = [];
  for (let hop: QueueEntry | null = entry; hop !== null; hop = hop.parent) chain.push(hop);
  return chain.reverse();
}
