import { z } from 'zod';
import { InputError, isRetractError } from '../errors/index.js';
import { normaliseMessageId, parseTimeInput, type DeliveryFilter } from '../trace/index.js';

export const DELIVERY_STATUSES = ['delivered', 'deferred', 'bounced', 'expired'] as const;

export const timeText = z
  .string()
  .min(1)
  .max(40)
  .describe(
    'ISO 8601 date or date-time (2026-12-01, 2026-12-01T08:00:00Z), or an age: 30m, 12h, 7d',
  );

/** The trace filters, as the query string and a retraction's `traceQuery` take them. */
export const traceFilterSchema = z.strictObject({
  messageId: z.string().min(1).max(998).optional(),
  sender: z.string().min(1).max(320).optional(),
  recipient: z.string().min(1).max(320).optional(),
  subject: z.string().min(1).max(998).describe('Case-insensitive substring').optional(),
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
  if (input.sender) filter.sender = input.sender.trim();
  if (input.recipient) filter.recipient = input.recipient.trim();
  if (input.subject) filter.subject = input.subject;
  if (input.status) filter.status = input.status;
  if (input.after) filter.afterMs = parseTimeInput(input.after, field('after'), nowMs);
  if (input.before) filter.beforeMs = parseTimeInput(input.before, field('before'), nowMs);
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
