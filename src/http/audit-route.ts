import { z } from 'zod';
import { DEFAULTS } from '../config/index.js';
import type { ApiContext, ApiServer } from './api-types.js';
import { parseTimeInput } from '../trace/index.js';
import { errorResponses } from './api-schemas.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import { timeText } from './trace-filter.js';

const auditEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

/** The audit log, newest first, and a check of its hash chain. */
export function registerAuditRoutes(server: ApiServer, ctx: ApiContext): void {
  const tags = ['audit'];

  server.get(
    '/api/v1/audit',
    {
      schema: {
        summary: 'Audit entries, newest first',
        tags,
        querystring: z.strictObject({
          action: z
            .string()
            .min(1)
            .max(64)
            .describe('e.g. retraction.create, auth.login_failed')
            .optional(),
          target: z
            .string()
            .min(1)
            .max(320)
            .describe('A retraction id, domain, user name…')
            .optional(),
          actor: z
            .string()
            .min(1)
            .max(320)
            .describe('user:<name>, token:<id>, cli:<user>')
            .optional(),
          after: timeText.optional(),
          before: timeText.optional(),
          limit: z.coerce.number().int().min(1).max(DEFAULTS.pageSizeMax).optional(),
          cursor: z.string().min(1).max(200).describe('`next` of the previous page').optional(),
        }),
        response: {
          200: z.object({ entries: z.array(auditEntrySchema), next: z.string().nullable() }),
          ...errorResponses,
        },
      },
      config: { access: 'audit:read' },
    },
    async (request) => {
      const { action, target, actor, after, before, cursor } = request.query;
      const limit = request.query.limit ?? DEFAULTS.pageSizeDefault;
      const nowMs = ctx.now();
      const entries = await ctx.app.audit.list({
        ...(action ? { action } : {}),
        ...(target ? { target } : {}),
        ...(actor ? { actor } : {}),
        ...(after ? { afterMs: parseTimeInput(after, 'after', nowMs) } : {}),
        ...(before ? { beforeMs: parseTimeInput(before, 'before', nowMs) } : {}),
        ...(cursor ? { beforeSeq: Number(decodeCursor(cursor, { seq: 'number' }).seq) } : {}),
        limit,
      });
      const last = entries.at(-1);
      return {
        next: entries.length === limit && last ? encodeCursor({ seq: last.seq }) : null,
        entries: entries.map((e) => ({
          seq: e.seq,
          at: new Date(e.atMs).toISOString(),
          actor: e.actor,
          action: e.action,
          target: e.target,
          details: e.details,
          hash: e.hash,
        })),
      };
    },
  );

  server.get(
    '/api/v1/audit/verify',
    {
      schema: {
        summary: 'Recompute the hash chain; `brokenAtSeq` is the first entry that does not follow',
        tags,
        response: {
          200: z.object({
            ok: z.boolean(),
            entries: z.number(),
            brokenAtSeq: z.number().nullable(),
          }),
        },
      },
      config: { access: 'audit:read' },
    },
    async () => ctx.app.audit.verify(),
  );
}
