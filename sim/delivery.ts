import type { Directory } from './model/directory.js';
import type { DistributionLists } from './model/distribution-lists.js';
import { FOLDER_INBOX } from './model/folders.js';
import type { Mailbox } from './model/mailbox.js';
import { parseMessage } from './model/parsed-message.js';
import type { MtaLog, RecipientOutcome } from './mta/mta-log.js';
import type { QueueIdGenerator } from './mta/postfix-ids.js';
import type { Prng } from './prng.js';

export interface DeliverOptions {
  /** Envelope sender; default Return-Path, else the first From address, else `<>`. */
  envelopeFrom?: string;
  /** Sending client's IP, text only in the log; default a 203.0.113.0/24 address. */
  clientIp?: string;
  /** Sending client's reverse name in the log; default `unknown`. */
  clientName?: string;
  /** Receipt time (item date `d`), epoch ms; default the simulator clock. */
  date?: number;
}

export interface DeliveryResult {
  queueId: string;
  /** Message-ID without brackets, or null when the message has none. */
  messageId: string | null;
  /** One stored copy per known recipient, in recipient order. */
  items: { account: string; id: string }[];
  /** Recipients with no account: bounced, nothing stored. */
  rejected: string[];
}

/** One final recipient after list expansion. */
interface FinalRecipient {
  address: string;
  /** The list the sender addressed, when the address came out of one. */
  origTo: string | undefined;
}

export interface DeliveryDeps {
  directory: Directory;
  lists: DistributionLists;
  mailboxOf(accountId: string): Mailbox;
  mtaLog: MtaLog;
  queueIds: QueueIdGenerator;
  prng: Prng;
  now(): number;
}

function uniqueRecipients(recipients: readonly string[]): string[] {
  return [...new Set(recipients.map((r) => r.trim().toLowerCase()).filter((r) => r.length > 0))];
}

/**
 * Expands list addresses as the MTA's virtual alias lookup does (recursively, in
 * cleanup), then drops duplicates keeping the first, as Postfix's duplicate filter does.
 * FIXME: a list member outside the simulator's domains is bounced like an unknown local
 * user, where a real MTA would relay it out; only the MTA log's outcome for it is wrong.
 */
function expandRecipients(lists: DistributionLists, envelope: string[]): FinalRecipient[] {
  const seen = new Set<string>();
  const out: FinalRecipient[] = [];
  for (const rcpt of envelope) {
    const isList = lists.find(rcpt) !== undefined;
    for (const address of isList ? lists.expand(rcpt) : [rcpt]) {
      if (seen.has(address)) continue;
      seen.add(address);
      out.push({ address, origTo: isList ? rcpt : undefined });
    }
  }
  return out;
}

/**
 * Stores one copy per recipient in Inbox, unread, and logs the Postfix lines; a list
 * address delivers to its members, each logged with `orig_to=<list>`.
 */
export function deliverMessage(
  deps: DeliveryDeps,
  raw: string,
  recipients: readonly string[],
  options: DeliverOptions = {},
): DeliveryResult {
  const parsed = parseMessage(raw);
  const timeMs = options.date ?? deps.now();
  const result: DeliveryResult = {
    queueId: deps.queueIds.next(timeMs),
    messageId: parsed.messageId,
    items: [],
    rejected: [],
  };

  const envelope = uniqueRecipients(recipients);
  const finals = expandRecipients(deps.lists, envelope);
  const outcomes: RecipientOutcome[] = finals.map(({ address, origTo }) => {
    const account = deps.directory.findByName(address);
    if (account === undefined) {
      result.rejected.push(address);
      return { address, origTo, delivered: false };
    }
    const message = deps.mailboxOf(account.id).addMessage(parsed, FOLDER_INBOX, timeMs, 'u');
    result.items.push({ account: account.address, id: String(message.id) });
    return { address, origTo, delivered: true };
  });

  deps.mtaLog.writeDelivery({
    queueId: result.queueId,
    timeMs,
    clientName: options.clientName ?? 'unknown',
    clientIp: options.clientIp ?? `203.0.113.${deps.prng.between(2, 254)}`,
    messageIdHeader: parsed.messageIdHeader,
    subjectHeader: parsed.headers.get('subject')?.[0] ?? null,
    envelopeFrom: options.envelopeFrom ?? parsed.returnPath ?? parsed.from[0]?.address ?? '',
    sizeBytes: parsed.sizeBytes,
    envelopeRecipients: envelope.length,
    recipients: outcomes,
  });
  return result;
}
