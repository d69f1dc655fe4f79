import { z } from 'zod';
import { DEFAULTS } from '../config/index.js';
import type { ApiContext, ApiServer } from './api-types.js';
import { errorResponses } from './api-schemas.js';
import { toCsv } from './csv.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import { createRetractionBody, createRetractions } from './retraction-create.js';
import { streamRetractionEvents } from './retraction-events.js';
import {
  mailboxSchema,
  retractionDetailSchema,
  retractionSummarySchema,
  toDetailOut,
  toMailboxOut,
  toSummaryOut,
} from './retraction-schemas.js';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['retractions'];

const mailboxQuery = z.strictObject({
  status: z.string().min(1).max(32).optional(),
  limit: z.coerce.number().int().min(1).max(DEFAULTS.pageSizeMax).optional(),
  cursor: z.string().min(1).max(200).optional(),
});

/**
 * Retractions: create (202, runs in the background), list, detail with
 * counts, per-mailbox receipts with paging and CSV, live events, cancel and
 * restore.
 */
export function registerRetractionRoutes(server: ApiServer, ctx: ApiContext): void {
  const service = ctx.app.retractions;

  server.post(
    '/api/v1/retractions',
    {
      schema: {
        summary: 'Retract one message per Message-ID (or per message a trace query matches)',
        tags,
        body: createRetractionBody,
        response: {
          202: z.object({
            retractions: z.array(
              z.object({ id: z.string(), messageId: z.string(), mailboxes: z.number() }),
            ),
          }),
          ...errorResponses,
        },
      },
      config: { access: 'retractions:write' },
    },
    async (request, reply) => {
      const created = await createRetractions(ctx, request.body, request.principal!.actor);
      return reply.code(202).send({ retractions: created });
    },
  );

  server.get(
    '/api/v1/retractions',
    {
      schema: {
        summary: 'Retractions, newest first',
        tags,
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(DEFAULTS.pageSizeMax).optional(),
        }),
        response: { 200: z.object({ retractions: z.array(retractionSummarySchema) }) },
      },
      config: { access: 'retractions:read' },
    },
    async (request) => {
      const list = await service.list(request.query.limit ?? DEFAULTS.pageSizeDefault);
      return { retractions: list.map(toSummaryOut) };
    },
  );

  server.get(
    '/api/v1/retractions/:id',
    {
      schema: {
        summary: 'One retraction with its counts',
        tags,
        params: idParams,
        response: { 200: retractionDetailSchema, ...errorResponses },
      },
      config: { access: 'retractions:read' },
    },
    async (request) => {
      const { id } = request.params;
      return toDetailOut(await service.report(id), service.isBusy(id));
    },
  );

  registerReceiptRoutes(server, ctx);
  registerActionRoutes(server, ctx);

  server.get(
    '/api/v1/retractions/:id/events',
    {
      schema: {
        summary:
          'Server-Sent Events: `state` (the retraction now), `task` per mailbox as it settles, then `finished`',
        tags,
        params: idParams,
      },
      config: { access: 'retractions:read' },
    },
    async (request, reply) => streamRetractionEvents(ctx, request, reply, request.params.id),
  );
}

function registerReceiptRoutes(server: ApiServer, ctx: ApiContext): void {
  const service = ctx.app.retractions;

  server.get(
    '/api/v1/retractions/:id/mailboxes',
    {
      schema: {
        summary: 'Per-mailbox receipts, by account, a page at a time',
        tags,
        params: idParams,
        querystring: mailboxQuery,
        response: {
          200: z.object({ mailboxes: z.array(mailboxSchema), next: z.string().nullable() }),
          ...errorResponses,
        },
      },
      config: { access: 'retractions:read' },
    },
    async (request) => {
      const { status, limit = DEFAULTS.pageSizeDefault, cursor } = request.query;
      const after = cursor
        ? String(decodeCursor(cursor, { account: 'string' }).account)
        : undefined;
      const page = await service.mailboxes(request.params.id, {
        ...(status ? { status } : {}),
        ...(after !== undefined ? { after } : {}),
        limit,
      });
      const last = page.at(-1);
      const next = page.length === limit && last ? encodeCursor({ account: last.account }) : null;
      return { mailboxes: page.map(toMailboxOut), next };
    },
  );

  server.get(
    '/api/v1/retractions/:id/mailboxes/export.csv',
    {
      schema: { summary: 'Per-mailbox receipts as CSV', tags, params: idParams },
      config: { access: 'retractions:read' },
    },
    async (request, reply) => {
      const report = await service.report(request.params.id);
      const rows = report.mailboxes.map((m) => [
        m.account,
        m.status,
        m.items.length,
        m.items.map((i) => i.folderBefore).join(' '),
        m.items.map((i) => i.outcome).join(' '),
        m.error?.class,
        m.error?.code,
        m.error?.message,
      ]);
      const header = [
        'account',
        'status',
        'copies',
        'folders_before',
        'outcomes',
        'error_class',
        'error_code',
        'error_message',
      ];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="retraction-${report.id}.csv"`)
        .send(toCsv(header, rows));
    },
  );
}

function registerActionRoutes(server: ApiServer, ctx: ApiContext): void {
  const service = ctx.app.retractions;

  server.post(
    '/api/v1/retractions/:id/cancel',
    {
      schema: {
        summary: 'Cancel: queued mailboxes are skipped, those at work finish',
        tags,
        params: idParams,
        response: { 200: retractionDetailSchema, ...errorResponses },
      },
      config: { access: 'retractions:write' },
    },
    async (request) => {
      const { id } = request.params;
      const report = await service.cancel(id, request.principal!.actor);
      return toDetailOut(report, service.isBusy(id));
    },
  );

  server.post(
    '/api/v1/retractions/:id/restore',
    {
      schema: {
        summary: 'Put every moved copy back where it was (runs in the background)',
        tags,
        params: idParams,
        response: { 202: retractionDetailSchema, ...errorResponses },
      },
      config: { access: 'retractions:write' },
    },
    async (request, reply) => {
      const { id } = request.params;
      await service.startRestore(id, request.principal!.actor);
      return reply.code(202).send(toDetailOut(await service.report(id), true));
    },
  );
}
