/**
 * Outcome of one delivery attempt, as the trace stores it. `filtered`: handed
 * to a content filter on this machine that accepted it and never queued it
 * again (amavis discarding or quarantining it), or thrown away by Postfix's
 * discard(8) agent; either way nothing reached a mailbox.
 */
export type DeliveryStatus = 'delivered' | 'deferred' | 'bounced' | 'expired' | 'filtered';

/**
 * One message delivered (or not) to one recipient, read from the MTA log.
 * The store upserts on (queueId, recipient), so a later record for the same
 * pair (deferred, then delivered) replaces the earlier one.
 */
export interface ParsedDelivery {
  /** Time of the delivery agent's line, ms since epoch. */
  timeMs: number;
  /** The queue id that delivered (the last of `queueIds`). */
  queueId: string;
  /** Queue ids the message went through, first (smtpd) to last; content filters add one each. */
  queueIds: string[];
  /** Bracket-less Message-ID, RFC 2047 decoded when it was logged encoded; null when none. */
  messageId: string | null;
  /** The Message-ID exactly as cleanup logged it. */
  messageIdRaw: string | null;
  /** Envelope sender; '' for the null sender `<>`, and when no qmgr `from=` line was read. */
  sender: string;
  /** `to=`, lower-cased. */
  recipient: string;
  /** `orig_to=`, as logged. */
  originalRecipient: string | null;
  sizeBytes: number | null;
  /** IP from the first smtpd `client=` of the chain. */
  clientAddress: string | null;
  clientHost: string | null;
  /** Decoded subject, when a header_checks line logged it. */
  subject: string | null;
  subjectRaw: string | null;
  /** The header From, when a header_checks rule logged it. */
  headerFrom: string | null;
  status: DeliveryStatus;
  dsn: string | null;
  relay: string | null;
  /** The parenthesised server answer. */
  detail: string | null;
}
