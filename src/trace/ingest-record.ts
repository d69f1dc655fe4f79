import { isIP } from 'node:net';
import { z } from 'zod';
import { INGESTED_QUEUE_ID_PREFIX } from '../store/index.js';
import type { DeliveryRecord } from './delivery-types.js';
import { DELIVERY_STATUSES } from './delivery-types.js';
import { bareAddress } from './address-filter.js';
import { decodeEncodedWords } from './encoded-words.js';
import { tryNormaliseMessageId } from './message-id.js';
import { isCalendarDate, isPlausibleTraceTime } from './time-bounds.js';

const optionalText = (max: number) => z.string().max(max).nullable().optional();

const TIME_FORMS =
  'must be an ISO 8601 date-time with its offset, such as 2026-12-04T10:00:00Z, or ms since epoch';

/** `null`, `a number`, `an array`: what a field held instead, for a message. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  array: 'an array',
  object: 'a JSON object (one delivery)',
};

/**
 * Zod's wording of a bad field, in this project's: a field left out is
 * `required`, a value of the wrong kind says what it must be and what it
 * was, a status not among the statuses lists them. Other issues keep the
 * schema's own message.
 */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined) return 'required';
  if (issue.code === 'invalid_type') {
    const expected = EXPECTED[issue.expected] ?? issue.expected;
    return `must be ${expected}, not ${describeValue(issue.input)}`;
  }
  if (issue.code === 'invalid_value') {
    return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  }
  return undefined;
}

/**
 * One delivery as another gateway sends it (JSON; one object per line in
 * NDJSON). `sourceId` is the gateway's own id of the delivery: sending the
 * same one again changes nothing, or updates the row when the status moved
 * on (deferred, then delivered).
 */
export const ingestRecordSchema = z.strictObject({
  sourceId: z
    .string()
    .min(1)
    .max(200)
    .describe('The sender’s own id of this delivery; stored as queue id `ext:<sourceId>`'),
  time: z
    .union([z.string().min(1).max(40), z.number().int().nonnegative()], {
      // Left to `describeIssue` when missing, so that it says `required`.
      error: (issue) => (issue.input === undefined ? undefined : TIME_FORMS),
    })
    .describe('ISO 8601 date-time with offset, or ms since epoch'),
  messageId: optionalText(998).describe('Message-ID, with or without <>; raw RFC 2047 accepted'),
  sender: z
    .string()
    .max(320)
    .describe('Envelope sender, with or without <>; "" or "<>" for the null sender of bounces'),
  headerFrom: optionalText(998),
  recipient: z
    .string()
    .max(320)
    .regex(
      /^\s*(<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)\s*$/,
      'must be an address such as alice@example.com',
    ),
  originalRecipient: optionalText(320),
  subject: optionalText(998).describe('Decoded, or as the header carries it (RFC 2047)'),
  sizeBytes: z.number().int().nonnegative().nullable().optional(),
  clientAddress: z
    .string()
    .refine((value) => isIP(value) !== 0, 'must be an IPv4 or IPv6 address')
    .nullable()
    .optional(),
  clientHost: optionalText(255),
  queueIds: z.array(z.string().min(1).max(64)).max(20).optional(),
  status: z.enum(DELIVERY_STATUSES),
  dsn: optionalText(20),
  relay: optionalText(300),
  detail: optionalText(1000),
});

export type IngestRecord = z.infer<typeof ingestRecordSchema>;

/** A field name and what is wrong with it: `records[3].recipient`, `must be an address...`. */
export interface IngestProblem {
  field: string;
  message: string;
}

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The instant `time` names, or why it is refused. */
function readTimeMs(time: string | number, nowMs: number): number | string {
  let ms: number;
  if (typeof time === 'number') ms = time;
  else if (!WITH_OFFSET.test(time) || !isCalendarDate(time)) {
    return 'must be an ISO 8601 date-time with its offset, such as 2026-12-04T10:00:00Z';
  } else ms = Date.parse(time);
  if (Number.isNaN(ms)) return 'must be an ISO 8601 date-time with its offset';
  if (!isPlausibleTraceTime(ms, nowMs)) {
    return 'must be after 2000-01-01 and no more than a day ahead of this server’s clock';
  }
  return ms;
}

function toRecord(input: IngestRecord, timeMs: number, messageId: string | null): DeliveryRecord {
  const subject = input.subject ?? null;
  return {
    timeMs,
    queueId: `${INGESTED_QUEUE_ID_PREFIX}${input.sourceId}`,
    queueIds: input.queueIds ?? [],
    messageId,
    messageIdRaw: input.messageId ?? null,
    sender: bareAddress(input.sender),
    headerFrom: input.headerFrom ?? null,
    recipient: bareAddress(input.recipient),
    originalRecipient: input.originalRecipient ?? null,
    sizeBytes: input.sizeBytes ?? null,
    clientAddress: input.clientAddress ?? null,
    clientHost: input.clientHost ?? null,
    subject: subject === null ? null : decodeEncodedWords(subject),
    subjectRaw: subject,
    status: input.status,
    dsn: input.dsn ?? null,
    relay: input.relay ?? null,
    detail: input.detail ?? null,
  };
}

/**
 * Checks one ingested value and turns it into a delivery record, or says
 * what is wrong, each problem named by its field under `field`.
 */
export function readIngestRecord(
  value: unknown,
  field: string,
  nowMs: number,
): { record: DeliveryRecord } | { problems: IngestProblem[] } {
  const parsed = ingestRecordSchema.safeParse(value, { error: describeIssue });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      field: [field, ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    return { problems };
  }

  const input = parsed.data;
  const timeMs = readTimeMs(input.time, nowMs);
  if (typeof timeMs === 'string')
    return { problems: [{ field: `${field}.time`, message: timeMs }] };
  const messageId = input.messageId
    ? tryNormaliseMessageId(decodeEncodedWords(input.messageId))
    : null;
  if (input.messageId && messageId === null) {
    const message = 'must be one Message-ID, without control characters';
    return { problems: [{ field: `${field}.messageId`, message }] };
  }
  return { record: toRecord(input, timeMs, messageId) };
}
