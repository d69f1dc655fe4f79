import { z } from 'zod';
import { DEFAULTS } from '../config/index.js';
import { InputError, isRetractError } from '../errors/index.js';
import { RETRACTION_ACTIONS, type RetractionPlan } from '../retraction/index.js';
import type { ApiContext } from './api-types.js';
import { toDeliveryFilter, traceFilterSchema } from './trace-filter.js';

const MAX_IDS = DEFAULTS.maxMessageIdsPerRequest;

export const createRetractionBody = z
  .strictObject({
    messageId: z.string().min(1).max(998).optional(),
    messageIds: z.array(z.string().min(1).max(998)).min(1).max(MAX_IDS).optional(),
    traceQuery: traceFilterSchema
      .describe('Retract every message the trace search matches (its Message-IDs)')
      .optional(),
    action: z.enum(RETRACTION_ACTIONS as ['quarantine', 'trash', 'delete']).default('quarantine'),
    dryRun: z.boolean().default(false).describe('Search every mailbox, change nothing'),
    recipients: z
      .array(z.string().min(1).max(320))
      .min(1)
      .max(100_000)
      .describe('Mailboxes to visit; default: the trace recipients of each message')
      .optional(),
  })
  .superRefine((body, check) => {
    const given = [body.messageId, body.messageIds, body.traceQuery].filter((v) => v !== undefined);
    if (given.length !== 1) {
      check.addIssue({
        code: 'custom',
        path: ['messageId'],
        message: 'give exactly one of messageId, messageIds and traceQuery',
      });
    }
  });

export type CreateRetractionBody = z.infer<typeof createRetractionBody>;

export interface CreatedRetraction {
  id: string;
  messageId: string;
  mailboxes: number;
}

/**
 * Plans every Message-ID first, so one bad id or one with no recipients
 * refuses the whole call before anything is stored; then creates one
 * retraction per id and starts each in the background.
 */
export async function createRetractions(
  ctx: ApiContext,
  body: CreateRetractionBody,
  actor: string,
): Promise<CreatedRetraction[]> {
  const sources = await messageIdsOf(ctx, body);
  const plans: RetractionPlan[] = [];
  for (const { messageId, field } of sources) {
    plans.push(await planOne(ctx, body, messageId, field));
  }

  const created: CreatedRetraction[] = [];
  for (const plan of plans) {
    const r = await ctx.app.retractions.create(plan, actor);
    ctx.app.retractions.start(r.id);
    created.push({ id: r.id, messageId: r.messageId, mailboxes: plan.recipients.length });
  }
  return created;
}

async function planOne(
  ctx: ApiContext,
  body: CreateRetractionBody,
  messageId: string,
  field: string,
): Promise<RetractionPlan> {
  try {
    return await ctx.app.retractions.plan({
      messageId,
      action: body.action,
      dryRun: body.dryRun,
      ...(body.recipients ? { recipients: body.recipients } : {}),
    });
  } catch (err) {
    if (isRetractError(err) && err instanceof InputError && err.field === 'messageId') {
      throw new InputError(err.code, field, err.message.replace(/^messageId/, field), err);
    }
    throw err;
  }
}

async function messageIdsOf(
  ctx: ApiContext,
  body: CreateRetractionBody,
): Promise<{ messageId: string; field: string }[]> {
  if (body.messageId !== undefined) return [{ messageId: body.messageId, field: 'messageId' }];
  if (body.messageIds !== undefined) {
    return body.messageIds.map((messageId, i) => ({ messageId, field: `messageIds.${i}` }));
  }

  const filter = toDeliveryFilter(body.traceQuery!, ctx.now(), 'traceQuery');
  const messages = await ctx.app.deliveries.messages({
    status: 'delivered',
    ...filter,
    limit: MAX_IDS + 1,
  });
  if (messages.length === 0) {
    throw new InputError(
      'HTTP_TRACE_QUERY_EMPTY',
      'traceQuery',
      'traceQuery: no delivered message matches it',
    );
  }
  if (messages.length > MAX_IDS) {
    throw new InputError(
      'HTTP_TRACE_QUERY_TOO_WIDE',
      'traceQuery',
      `traceQuery: it matches more than ${MAX_IDS} messages; narrow it (sender, subject, time)`,
    );
  }
  // Zimbra is searched by Message-ID: mail that carried none is left out.
  const named = messages.flatMap((m) => (m.messageId === null ? [] : [m.messageId]));
  if (named.length === 0) {
    throw new InputError(
      'HTTP_TRACE_QUERY_NO_MESSAGE_ID',
      'traceQuery',
      `traceQuery: the ${messages.length === 1 ? 'message it matches carries' : `${messages.length} messages it matches carry`} no Message-ID, ` +
        'so Zimbra cannot be searched for them by id; find them by sender, subject and time',
    );
  }
  return named.map((messageId) => ({ messageId, field: 'traceQuery' }));
}
