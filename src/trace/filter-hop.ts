import { splitHostAddress } from './client-line.js';
import type { DeliveryLine } from './delivery-line.js';
import { isQueueId } from './queue-id.js';

const QUEUED_AS = 'queued as ';

/** Whether an address from a log (`127.0.0.1`, `::1`, `ipv6:::1`) is this machine. */
export function isLoopback(address: string): boolean {
  const bare = address.startsWith('ipv6:') ? address.slice(5) : address;
  return bare.startsWith('127.') || bare === '::1';
}

/**
 * Whether this `sent` line threw the message away rather than delivering it:
 * either Postfix's discard(8) agent logged it (`postfix/discard`, which
 * reports every recipient `sent`, `relay=none`, with the next-hop text as
 * the reason, see Postfix's src/discard/discard.c), or it handed the message
 * to a content filter on this machine that took it and did not queue it
 * again: amavis answers a discard or a quarantine with
 * `250 2.7.0 Ok, discarded, id=...`. For filters only the smtp client
 * counts: LMTP to a mailbox server on loopback (a one-host Zimbra) is a
 * delivery.
 */
export function isDroppedByFilter(line: DeliveryLine, program: string): boolean {
  if (line.status !== 'sent') return false;
  if (program === 'discard') return true;
  if (program !== 'smtp' || line.relay === null) return false;
  const relay = splitHostAddress(line.relay);
  return relay !== null && isLoopback(relay.address) && readQueuedAs(line.detail ?? '') === null;
}

/**
 * The relay's address and the queue id it answered with (`queued as ID`) on a
 * `sent` line, whatever the relay. The parser counts it as a filter hop when
 * ID is a queue of this same log that the relay itself submitted (the filter
 * passed the message back) or that names this queue in `orig_queue_id=`.
 */
export function readRelayQueuedAs(line: DeliveryLine): { queueId: string; address: string } | null {
  if (line.status !== 'sent' || line.relay === null || line.detail === null) return null;
  const queueId = readQueuedAs(line.detail);
  const relay = queueId === null ? null : splitHostAddress(line.relay);
  return queueId === null || relay === null ? null : { queueId, address: relay.address };
}

/** The last `queued as ID` of a server answer, or null. */
function readQueuedAs(detail: string): string | null {
  const at = detail.lastIndexOf(QUEUED_AS);
  if (at === -1) return null;
  let end = at + QUEUED_AS.length;
  while (end < detail.length && /[0-9A-Za-z]/.test(detail[end] as string)) end++;
  const queueId = detail.slice(at + QUEUED_AS.length, end);
  return isQueueId(queueId) ? queueId : null;
}

/**
 * The new queue id when this `sent` line hands the message to a content filter
 * on this machine (amavis on `127.0.0.1[127.0.0.1]:10024`, Zimbra's
 * `[127.0.0.1]:10030`), which re-queues it: `250 2.0.0 Ok: queued as NEWID`.
 * That hop is not a delivery to a mailbox. A filter on another host is
 * recognised by the parser instead (see `readRelayQueuedAs`): from the relay
 * alone it cannot be told from a real hand-off out of this log's reach.
 */
export function readFilterHandOff(line: DeliveryLine): string | null {
  if (line.status !== 'sent' || line.relay === null || line.detail === null) return null;
  const relay = splitHostAddress(line.relay);
  if (relay === null || !isLoopback(relay.address)) return null;
  return readQueuedAs(line.detail);
}
