/**
 * Bare Message-ID from what a person or log wrote: trims, drops a
 * `Message-ID:` label and one pair of angle brackets, keeps every other
 * character. `' <AbC-1.2@mail.example.test>\r\n'` → `'AbC-1.2@mail.example.test'`.
 *
 * @throws InputError `TRACE_BAD_MESSAGE_ID` (field `messageId`): empty, two ids, control characters.
 */
export { normaliseMessageId } from './message-id.js';

/** Like `normaliseMessageId`, returning null instead of throwing (for log values). */
export { tryNormaliseMessageId } from './message-id.js';

/**
 * Decodes RFC 2047 encoded words; a character split across adjacent words
 * comes out whole: `=?UTF-8?Q?Gr=C3?= =?UTF-8?Q?=BC=C3=9Fe?=` → `Grüße`.
 * Undecodable text is returned unchanged.
 */
export { decodeEncodedWords } from './encoded-words.js';

/**
 * Parses one syslog line, classic (`Dec  4 15:56:36 host tag[pid]: text`, year
 * inferred against `now` in `timeZone`: more than a day in the future means
 * last year) or RFC 3339 (`2026-12-04T15:56:36.123456+00:00 host tag[pid]: text`).
 * `new SyslogLineParser({ timeZone: 'Europe/Berlin' }).parse(line)` returns a
 * `SyslogLine` or null. Options default to UTC and `Date.now`.
 *
 * @throws InputError `TRACE_BAD_TIME_ZONE` (field `timeZone`) from the constructor.
 */
export { SyslogLineParser } from './syslog-line.js';
export type { SyslogLine, SyslogLineOptions } from './syslog-line.js';

/**
 * Streaming correlator of Postfix log lines (Zimbra's `/var/log/zimbra.log`
 * or a plain `maillog`) into deliveries, one per message and recipient.
 *
 * `push(line)` returns the records that line completed: a delivery agent's
 * `to=<..>, ..., status=sent|deferred|bounced|expired` line yields one, with
 * the message-id, sender, size, subject and client logged before it. A
 * deferred recipient that later succeeds yields a second record for the same
 * (queueId, recipient): upsert, the last wins. A hand-off to a local content
 * filter (`queued as NEWID` from 127.0.0.1) yields none; the new queue id
 * carries the chain and the first client. Nothing throws on bad lines: they
 * are counted in `stats` (`unparsed`, with a sample). Per-queue state is
 * dropped on `removed` and capped at `maxOpenQueues` (default 200,000).
 *
 * @example
 * const parser = new PostfixLogParser({ timeZone: 'Europe/Berlin' });
 * for await (const line of readLogLines('/var/log/zimbra.log')) {
 *   for (const delivery of parser.push(line)) await store.upsert(delivery);
 * }
 * @throws InputError `TRACE_BAD_TIME_ZONE` (field `timeZone`) from the constructor.
 */
export { PostfixLogParser } from './postfix-log-parser.js';
export type { PostfixLogParserOptions, PostfixLogStats } from './postfix-log-parser.js';
export type { QueueSnapshot } from './queue-snapshot.js';

/** One message to one recipient, as read from the MTA log; see the field comments. */
export type { ParsedDelivery, DeliveryStatus } from './parsed-delivery.js';

/**
 * Streams the lines of a log file, plain or gzip (recognised by magic bytes):
 * `readLogLines` one by one, `readLogBatches` an array per chunk read (cheaper
 * per line, for large files).
 *
 * @throws RetractError `TRACE_LOG_UNREADABLE` (class `config`, context `path`) when
 *   the file cannot be opened or read.
 */
export { readLogBatches, readLogLines } from './read-log-lines.js';

/**
 * The trace's store side: deliveries keyed by (queue id, recipient), so a
 * re-import changes nothing; search by any mix of filters, newest first
 * (`searchPage(filter, after?)` pages on (time, id) and returns the `next`
 * cursor, null on the last page); `messages(filter)` groups matching
 * deliveries by Message-ID with the count of recipients each was delivered
 * to and per-status counts; recipients of a message;
 * the messages that reached the most mailboxes. `openWriter()` gives a
 * batch writer for long imports (SQL on its own thread); `upsert` writes a
 * few records and says how many were added, updated or unchanged.
 *
 * @throws InputError `TRACE_BAD_SUBJECT_WORDS` (field `subjectWords`) from the
 *   searches, when `subjectWords` holds no letter or digit.
 */
export { DeliveryStore } from './delivery-store.js';
export type { DeliveryBatchWriter } from './delivery-store.js';
export type {
  Delivery,
  DeliveryCursor,
  DeliveryFilter,
  DeliveryPage,
  DeliveryRecord,
  MessageReach,
} from './delivery-types.js';

/** An address typed as a search filter: `<a@x>` → `a@x`, `<>` → the null sender. */
export { readAddressFilter } from './address-filter.js';

/** A client address as stored and searched: IPv6 in RFC 5952 form, IPv4 as given. */
export { canonicalClientAddress, readClientAddressInput } from './client-address.js';

/** The page cursor of a search as text (`--cursor` of `retract trace search`). */
export { formatDeliveryCursor, parseDeliveryCursor } from './delivery-cursor.js';

/** Every delivery status: `delivered`, `deferred`, `bounced`, `expired`, `filtered`. */
export { DELIVERY_STATUSES } from './delivery-types.js';

/**
 * Streams MTA logs (plain or gzip) through the parser into a DeliveryStore,
 * parsing on this thread while the store's writer thread writes, and reports
 * lines, deliveries by status, added / updated / duplicates, unparsed lines
 * (with a sample) and the rates. Memory stays flat whatever the file size.
 * Files are read oldest first; messages still open at the end are handed to
 * the next import (`carryOver`).
 *
 * @throws RetractError `TRACE_LOG_UNREADABLE`, `TRACE_BAD_TIME_ZONE`, `STORE_WRITE_FAILED`.
 */
export { importMtaLogs } from './log-import.js';
export type { LogImportOptions, LogImportReport } from './log-import.js';

/** Reads a typed time (ISO date, date-time, or an age such as `7d`); errors name the field. */
export { checkTimeRange, parseTimeInput } from './time-input.js';

/**
 * Checks a time zone name before an import starts, naming the option or
 * field it came from (`--time-zone`).
 *
 * @throws InputError `TRACE_BAD_TIME_ZONE`.
 */
export { assertTimeZone } from './zoned-time.js';

/**
 * Follows a growing MTA log (`retract trace follow`): reads to the end, then
 * what is added; takes up the new file after logrotate renames the old one
 * (reading the old one to its end first) and the start after copytruncate;
 * saves offset, file identity, a hash of the bytes before the offset and the
 * parser's open messages after every batch (in `trace_sources`), and resumes there after a restart: no Message-ID is
 * lost and nothing is stored twice. Runs until `signal` aborts (or the end
 * of the file with `stopAtEnd`).
 *
 * @throws RetractError `TRACE_LOG_UNREADABLE`, `TRACE_BAD_TIME_ZONE`, `STORE_WRITE_FAILED`.
 */
export { followMtaLog } from './log-follower.js';
export type { FollowOptions, FollowReport } from './log-follower.js';

/** Where `trace follow` stopped in each file, per tenant (`DeliveryStore.followStates()`). */
export type { FollowState, FollowStateStore } from './follow-state.js';

/**
 * Adds deliveries another gateway reports (the body of
 * `POST /api/v1/trace/deliveries`): `ingestDeliveries(records, deliveries,
 * { source: 'api:<name>' })`. All or nothing; idempotent on `sourceId` and
 * recipient; at most MAX_INGEST_RECORDS (10,000) records per call.
 *
 * @throws InputError `TRACE_BAD_DELIVERY` (field `records[3].recipient`, message
 *   listing up to five problems) or `TRACE_TOO_MANY_DELIVERIES` (field `records`).
 */
export { ingestDeliveries, MAX_INGEST_RECORDS } from './delivery-ingest.js';
export type { IngestOptions, IngestReport } from './delivery-ingest.js';

/**
 * The zod schema of one ingested delivery, for API docs and validation:
 * `sourceId`, `time` (ISO 8601 or ms), `recipient` and `status` required;
 * `messageId`, `sender`, `headerFrom`, `originalRecipient`, `subject`,
 * `sizeBytes`, `clientAddress`, `clientHost`, `queueIds`, `dsn`, `relay`,
 * `detail` optional.
 */
export { ingestRecordSchema } from './ingest-record.js';
export type { IngestRecord } from './ingest-record.js';

/**
 * Imports NDJSON files of such deliveries (`retract trace import --format
 * ndjson`), plain or gzip; bad lines are counted and sampled, never fatal.
 */
export { importNdjsonFiles } from './ndjson-import.js';
export type { NdjsonImportOptions, NdjsonImportReport } from './ndjson-import.js';
