import { canonicalClientAddress } from './client-address.js';
import { parseClientLine } from './client-line.js';
import { buildParsedDelivery, toDeliveryStatus } from './delivery-record.js';
import { parseDeliveryLine, type DeliveryLine } from './delivery-line.js';
import { decodeEncodedWords } from './encoded-words.js';
import {
  isDroppedByFilter,
  isLoopback,
  readFilterHandOff,
  readRelayQueuedAs,
} from './filter-hop.js';
import { decodeLoggedSubject, readLoggedHeader } from './header-check-line.js';
import { tryNormaliseMessageId } from './message-id.js';
import type { DeliveryStatus, ParsedDelivery } from './parsed-delivery.js';
import { isPostfixChatter } from './postfix-chatter.js';
import { parseQmgrLine } from './qmgr-line.js';
import { isInChain, type DeliveryFact, type QueueEntry } from './queue-entry.js';
import { readQueueIdLength } from './queue-id.js';
import { restoreQueues, snapshotQueues, type QueueSnapshot } from './queue-snapshot.js';
import { QueueTable } from './queue-table.js';
import { SyslogLineParser, type SyslogLine } from './syslog-line.js';
import { toSampleLine } from './unparsed-sample.js';

export interface PostfixLogParserOptions {
  /** IANA zone of classic syslog timestamps. Default 'UTC'. */
  timeZone?: string;
  /** Reference clock for the year classic timestamps lack, ms since epoch. Default Date.now. */
  now?: () => number;
  /** Open queue ids kept before the oldest is evicted. Default 200,000. */
  maxOpenQueues?: number;
  /** Unreadable lines kept as a sample. Default 20. */
  unparsedSampleSize?: number;
  /** Open queue entries a previous parser handed over with `snapshot()`. */
  snapshot?: QueueSnapshot;
}

/** Counters of a parser's run, for the import report. */
export interface PostfixLogStats {
  lines: number;
  /** Lines with `to=<...>, ... status=...`, filter hand-offs included. */
  deliveryLines: number;
  /** Lines that could not be read: no syslog frame, or Postfix text of an unknown kind. */
  unparsed: number;
  /** The first few unparsed lines, each cut to 500 characters (see `toSampleLine`). */
  unparsedSample: string[];
  /** rsyslog/sysklogd repeat notices, which never become deliveries. */
  repeatedIgnored: number;
  /** Queue entries dropped to keep memory flat (their later lines lose context). */
  evicted: number;
  /** Lines read correctly that carry nothing for the trace (other programs, connects, TLS). */
  ignored: number;
}

const DEFAULT_MAX_OPEN_QUEUES = 200_000;
const DEFAULT_SAMPLE_SIZE = 20;

/**
 * Streaming correlator of Postfix log lines into deliveries, keyed by queue id.
 * See index.ts for the contract.
 */
export class PostfixLogParser {
  readonly #syslog: SyslogLineParser;
  readonly #queues: QueueTable;
  readonly #sampleSize: number;
  readonly #sample: string[] = [];
  #lines = 0;
  #deliveryLines = 0;
  #unparsed = 0;
  #repeated = 0;
  #ignored = 0;

  constructor(options: PostfixLogParserOptions = {}) {
    this.#syslog = new SyslogLineParser({ timeZone: options.timeZone, now: options.now });
    this.#queues = new QueueTable(options.maxOpenQueues ?? DEFAULT_MAX_OPEN_QUEUES);
    if (options.snapshot !== undefined) restoreQueues(this.#queues, options.snapshot);
    this.#sampleSize = options.unparsedSampleSize ?? DEFAULT_SAMPLE_SIZE;
  }

  get stats(): PostfixLogStats {
    return {
      lines: this.#lines,
      deliveryLines: this.#deliveryLines,
      unparsed: this.#unparsed,
      unparsedSample: [...this.#sample],
      repeatedIgnored: this.#repeated,
      evicted: this.#queues.evicted,
      ignored: this.#ignored,
    };
  }

  /**
   * The open queue entries as JSON-able data: a parser made with it picks up
   * where this one stopped, so a message whose delivery lines come after a
   * restart still gets its Message-ID, sender, size and subject.
   */
  snapshot(): QueueSnapshot {
    return snapshotQueues(this.#queues);
  }

  push(line: string): ParsedDelivery[] {
    this.#lines++;
    const frame = this.#syslog.parse(line);
    if (frame === null) return this.#markUnparsed(line);
    if (frame.isRepeatNotice) {
      this.#repeated++;
      return [];
    }
    if (frame.syslogName === null) {
      // `postfix[999]:` is the postfix command itself (postfix-script, postlog):
      // worth showing an operator; other programs (amavis, slapd) are not ours.
      return frame.tag.startsWith('postfix') ? this.#markUnparsed(line) : this.#markIgnored();
    }
    return this.#readPostfix(frame, line);
  }

  #readPostfix(frame: SyslogLine, line: string): ParsedDelivery[] {
    const { text } = frame;
    const idLength = readQueueIdLength(text);
    if (idLength === 0)
      return isPostfixChatter(text) ? this.#markIgnored() : this.#markUnparsed(line);

    const queueId = text.slice(0, idLength);
    const body = text.slice(idLength + 2);
    if (body.startsWith('to=<')) return this.#readDelivery(frame, queueId, body, line);
    if (body.startsWith('client=')) return this.#readClient(queueId, body, line);
    if (body.startsWith('message-id=')) return this.#readMessageId(queueId, body.slice(11));
    if (body.startsWith('from=<')) return this.#readQmgr(frame.timeMs, queueId, body, line);
    if (body === 'removed') {
      this.#queues.close(queueId);
      return [];
    }
    return this.#readOther(queueId, body);
  }

  #readDelivery(frame: SyslogLine, queueId: string, body: string, line: string): ParsedDelivery[] {
    const delivery = parseDeliveryLine(body);
    if (delivery === null) return this.#markUnparsed(line);
    this.#deliveryLines++;

    const entry = this.#queues.open(queueId);
    const handOff = readFilterHandOff(delivery) ?? this.#readRemoteFilterHandOff(entry, delivery);
    if (handOff !== null) {
      entry.deferred?.delete(delivery.recipient);
      return this.#link(entry, handOff);
    }
    const status = isDroppedByFilter(delivery, frame.program)
      ? 'filtered'
      : toDeliveryStatus(delivery.status);
    if (status === null) return [];

    const fact: DeliveryFact = { timeMs: frame.timeMs, line: delivery, status };
    rememberOutcome(entry, fact, status);
    return [buildParsedDelivery(entry, fact, status)];
  }

  /**
   * The new queue id when this `sent` line handed the message to a content
   * filter on another host that passed it back to this Postfix: the queue it
   * answered with is one this log has seen, submitted by that same host, or
   * already linked here through `orig_queue_id=` (XFORWARD). The filter passes
   * the message back before it answers, so that queue's `client=` line comes
   * first. A relay to another MTA answers with a queue id of its own, which
   * this log has not seen from it.
   *
   * FIXME: a filter on another host that discards or quarantines a message
   * (`250 2.7.0 Ok, discarded`) still counts as a delivery; only loopback
   * filters are known to drop (filter-hop.ts). A per-source list of filter
   * relays would settle both.
   */
  #readRemoteFilterHandOff(entry: QueueEntry, line: DeliveryLine): string | null {
    const queued = readRelayQueuedAs(line);
    if (queued === null || queued.queueId === entry.queueId) return null;
    const child = this.#queues.find(queued.queueId);
    if (child === undefined) return null;
    return child.parent === entry || child.clientAddress === queued.address ? queued.queueId : null;
  }

  /**
   * Makes `child` a later hop of `parent`. A filter may deliver the new queue
   * id before the old one logs `queued as`; records already emitted for it are
   * emitted again with the whole chain (the store upserts them).
   */
  #link(parent: QueueEntry, childQueueId: string): ParsedDelivery[] {
    const child = this.#queues.openForLink(childQueueId);
    if (child.parent !== null || isInChain(parent, child)) return [];
    child.parent = parent;

    const early = child.delivered;
    child.delivered = null;
    if (early === null) return [];
    return [...early.values()].map((fact) => buildParsedDelivery(child, fact, fact.status));
  }

  #readClient(queueId: string, body: string, line: string): ParsedDelivery[] {
    const client = parseClientLine(body);
    if (client === null) return this.#markUnparsed(line);

    const entry = this.#queues.open(queueId);
    const origin = client.origClient ?? client;
    entry.clientHost = origin.host;
    entry.clientAddress = canonicalClientAddress(origin.address);
    if (client.origQueueId === null || client.origQueueId === queueId) return [];
    return this.#link(this.#queues.open(client.origQueueId), queueId);
  }

  #readMessageId(queueId: string, raw: string): ParsedDelivery[] {
    const entry = this.#queues.open(queueId);
    entry.messageIdRaw = raw;
    entry.messageId = tryNormaliseMessageId(decodeEncodedWords(raw));
    return [];
  }

  #readQmgr(timeMs: number, queueId: string, body: string, line: string): ParsedDelivery[] {
    const qmgr = parseQmgrLine(body);
    if (qmgr === null) return this.#markUnparsed(line);

    const entry = this.#queues.open(queueId);
    entry.sender = qmgr.sender;
    if (!qmgr.isExpired) {
      entry.sizeBytes = qmgr.sizeBytes;
      return [];
    }
    return expireDeferred(entry, timeMs);
  }

  #readOther(queueId: string, body: string): ParsedDelivery[] {
    const header = readLoggedHeader(body);
    if (header === null) return this.#markIgnored();

    const entry = this.#queues.open(queueId);
    if (header.name === 'from') {
      entry.headerFrom = decodeLoggedSubject(header.value);
    } else {
      entry.subjectRaw = header.value;
      entry.subject = decodeLoggedSubject(header.value);
    }
    return [];
  }

  #markUnparsed(line: string): ParsedDelivery[] {
    this.#unparsed++;
    if (this.#sample.length < this.#sampleSize) this.#sample.push(toSampleLine(line));
    return [];
  }

  #markIgnored(): ParsedDelivery[] {
    this.#ignored++;
    return [];
  }
}

/**
 * Whether a filter may still turn out to be this entry's parent: it has none
 * yet and came from this machine (a re-injection) or from nowhere we saw.
 */
function mayGainParent(entry: QueueEntry): boolean {
  return entry.parent === null && (entry.clientAddress === null || isLoopback(entry.clientAddress));
}

/** Tracks deferrals for a later expiry, and keeps records of an unlinked entry for a late link. */
function rememberOutcome(entry: QueueEntry, fact: DeliveryFact, status: DeliveryStatus): void {
  const { recipient } = fact.line;
  if (status === 'deferred') (entry.deferred ??= new Map()).set(recipient, fact);
  else entry.deferred?.delete(recipient);
  if (mayGainParent(entry)) (entry.delivered ??= new Map()).set(recipient, fact);
}

/**
 * qmgr logs `status=expired, returned to sender` once per message, with no
 * recipient (qmgr_active.c); the recipients still deferred are the ones that
 * expired, with their last attempt's relay and answer.
 */
function expireDeferred(entry: QueueEntry, timeMs: number): ParsedDelivery[] {
  const deferred = entry.deferred;
  entry.deferred = null;
  if (deferred === null) return [];
  return [...deferred.values()].map((fact) =>
    buildParsedDelivery(entry, { timeMs, line: fact.line, status: 'expired' }, 'expired'),
  );
}
