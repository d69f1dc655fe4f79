import { z } from 'zod';
import type { MailboxReport, Retraction, RetractionReport } from '../retraction/index.js';

export const countsSchema = z.object({
  mailboxes: z.number(),
  retracted: z.number(),
  not_found: z.number(),
  failed: z.number(),
  found: z.number(),
  cancelled: z.number(),
  restored: z.number(),
  pending: z.number(),
  copies: z.number(),
});

export const retractionSummarySchema = z.object({
  id: z.string(),
  messageId: z.string(),
  action: z.string(),
  dryRun: z.boolean(),
  status: z.string(),
  restoreStatus: z.string().nullable(),
  requestedBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const retractionDetailSchema = retractionSummarySchema.extend({
  counts: countsSchema,
  /** Whether this process is running it or its restore right now. */
  busy: z.boolean(),
});

export const mailboxSchema = z.object({
  account: z.string(),
  status: z.string(),
  copies: z.number(),
  items: z.array(
    z.object({
      id: z.string(),
      folderBefore: z.string(),
      folderAfter: z.string().nullable(),
      outcome: z.string(),
      restoredTo: z.string().optional(),
      restoreOutcome: z.string().optional(),
    }),
  ),
  error: z.object({ class: z.string(), code: z.string(), message: z.string() }).optional(),
});

export type MailboxOut = z.infer<typeof mailboxSchema>;
export type RetractionDetailOut = z.infer<typeof retractionDetailSchema>;

export function toSummaryOut(r: Retraction): z.infer<typeof retractionSummarySchema> {
  return {
    id: r.id,
    messageId: r.messageId,
    action: r.action,
    dryRun: r.dryRun,
    status: r.status,
    restoreStatus: r.restoreStatus,
    requestedBy: r.requestedBy,
    createdAt: new Date(r.createdAtMs).toISOString(),
    finishedAt: r.finishedAtMs === null ? null : new Date(r.finishedAtMs).toISOString(),
  };
}

export function toDetailOut(r: RetractionReport, busy: boolean): RetractionDetailOut {
  return {
    id: r.id,
    messageId: r.messageId,
    action: r.action,
    dryRun: r.dryRun,
    status: r.status,
    restoreStatus: r.restoreStatus,
    requestedBy: r.requestedBy,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    counts: r.counts,
    busy,
  };
}

export function toMailboxOut(m: MailboxReport): MailboxOut {
  return { ...m, copies: m.items.length };
}
