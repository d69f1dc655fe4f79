import { z } from 'zod';
import { InputError, isRetractError } from '../errors/index.js';
import {
  checkTimeRange,
  DELIVERY_STATUSES,
  normaliseMessageId,
  parseTimeInput,
  readAddressFilter,
  type DeliveryFilter,
  readClientAddressInput,
} from '../trace/index.js';

export const timeText = z
  .string()
  .min(1)
  .max(40)
  .describe(
    'ISO 8601 date or date-time (2026-12-01, 2026-12-01T08:00:00Z), or an age: 30m, 12h, 7d',
  );

/** The trace filters, as the query string and a retraction's `traceQuery` take them. */
export const traceFilterSchema = z.strictObject({
  messageId: z
    .string()
    .min(1)
    .max(998)
    .describe('With or without <>, as a header line, or RFC 2047-encoded as a log holds it')
    .optional(),
  sender: z
    .string()
    .min(1)
    .max(320)
    .describe('Envelope sender, with or without <>; <> alone finds bounces (the null sender)')
    .optional(),
  recipient: z.string().min(1).max(320).optional(),
  queueId: z
    .string()
    .min(1)
    .max(64)
    .describe('MTA queue id, or the id an ingesting gateway gave')
    .optional(),
  subject: z
    .string()
    .min(1)
    .max(998)
    .describe('Text anywhere in the decoded subject; case and accents ignored')
    .optional(),
  subjectWords: z
    .string()
    .min(1)
    .max(998)
    .describe(
      'Whole words the decoded subject holds, all of them, any order; case and accents ignored',
    )
    .optional(),
  clientAddress: z
    .string()
    .max(45)
    .refine((v) => readClientAddressInput(v) !== null, 'must be an IPv4 or IPv6 address')
    .describe('Address of the SMTP client that handed the message in')
    .optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  after: timeText.optional(),
  before: timeText.optional(),
});

export type TraceFilterInput = z.infer<typeof traceFilterSchema>;

/**
 * Turns the filter fields into a DeliveryFilter: a normalised Message-ID
 * and epoch-ms bounds. `prefix` names the object in error fields
 * (`traceQuery.after`).
 */
export function toDeliveryFilter(
  input: TraceFilterInput,
  nowMs: number,
  prefix = '',
): DeliveryFilter {
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const filter: DeliveryFilter = {};
  if (input.messageId) filter.messageId = messageIdOf(input.messageId, field('messageId'));
  if (input.sender) filter.sender = readAddressFilter(input.sender, field('sender'));
  if (input.recipient) filter.recipient = readAddressFilter(input.recipient, field('recipient'));
  if (input.subject) filter.subject = input.subject;
  if (input.queueId) filter.queueId = input.queueId.trim();
  if (input.subjectWords) filter.subjectWords = input.subjectWords;
  if (input.clientAddress) filter.clientAddress = input.clientAddress.trim();
  if (input.status) filter.status = input.status;
  if (input.after) filter.afterMs = parseTimeInput(input.after, field('after'), nowMs);
  if (input.before) filter.beforeMs = parseTimeInput(input.before, field('before'), nowMs);
  checkTimeRange(filter.afterMs, filter.beforeMs, field('after'), field('before'));
  return filter;
}

function messageIdOf(text: string, field: string): string {
  try {
    return normaliseMessageId(text);
  } catch (err) {
    if (!isRetractError(err)) throw err;
    throw new InputError(err.code, field, err.message.replace(/^messageId/, field), err);
  }
}
