import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEFAULTS } from '../config/index.js';
import { InputError } from '../errors/index.js';
import {
  formatDeliveryCursor,
  parseDeliveryCursor,
  type Delivery,
  type DeliveryCursor,
  type DeliveryFilter,
} from '../trace/index.js';
import type { ApiContext, ApiServer } from './api-types.js';
import { errorResponses } from './api-schemas.js';
import { toCsv } from './csv.js';
import { toDeliveryFilter, traceFilterSchema } from './trace-filter.js';

const tags = ['trace'];
const limit = z.coerce.number().int().min(1).max(DEFAULTS.pageSizeMax).optional();
const deliveriesQuery = traceFilterSchema.extend({
  limit,
  cursor: z.string().min(1).max(200).describe('The `next` of the page before').optional(),
});
const messagesQuery = traceFilterSchema.extend({ limit });

const deliverySchema = z.object({
  time: z.string(),
  messageId: z.string().nullable().describe('Bare id; null when the message had none'),
  messageIdRaw: z.string().nullable().describe('As the log or gateway gave it'),
  sender: z.string(),
  headerFrom: z.string().nullable().describe('The header From, when the log or gateway gave it'),
  recipient: z.string(),
  originalRecipient: z.string().nullable(),
  subject: z.string().nullable(),
  subjectRaw: z.string().nullable().describe('As logged, before RFC 2047 decoding'),
  status: z.string(),
  dsn: z.string().nullable(),
  relay: z.string().nullable(),
  detail: z.string().nullable(),
  queueId: z.string(),
  queueIds: z.array(z.string()),
  sizeBytes: z.number().nullable(),
  clientAddress: z.string().nullable(),
  clientHost: z.string().nullable(),
  source: z.string(),
});

const messageSchema = z.object({
  messageId: z
    .string()
    .nullable()
    .describe('Null for mail that carried none: it cannot be retracted by Message-ID'),
  queueId: z
    .string()
    .nullable()
    .describe('Set when messageId is null: the queue id of its deliveries'),
  sender: z.string(),
  recipients: z
    .number()
    .describe('Distinct recipients it was delivered to (status delivered); 0 when none was'),
  allRecipients: z.number().describe('Distinct recipients whatever their status'),
  byStatus: z
    .record(z.string(), z.number())
    .describe('Distinct recipients per status, statuses with none left out: {"filtered": 2}'),
  subject: z.string().nullable(),
  firstSeen: z.string().describe('The earliest of its deliveries, whatever the status'),
  firstDelivered: z
    .string()
    .nullable()
    .describe('The earliest delivery with status delivered; null when none was'),
});

const CSV_HEADER = [
  'time',
  'message_id',
  'sender',
  'header_from',
  'recipient',
  'original_recipient',
  'subject',
  'status',
  'dsn',
  'relay',
  'queue_id',
  'client_address',
  'size_bytes',
  'detail',
];

/** The message trace: search deliveries page by page, group by message, export CSV. */
export function registerTraceRoutes(server: ApiServer, ctx: ApiContext): void {
  server.get(
    '/api/v1/trace/deliveries',
    {
      schema: {
        summary: 'Search deliveries, newest first; `Accept: text/csv` exports every match',
        tags,
        querystring: deliveriesQuery,
        response: {
          200: z.object({ deliveries: z.array(deliverySchema), next: z.string().nullable() }),
          ...errorResponses,
        },
      },
      config: { access: 'trace:read' },
    },
    async (request, reply) => {
      const { cursor, limit: size, ...filters } = request.query;
      const filter = toDeliveryFilter(filters, ctx.now());
      if (wantsCsv(request)) return sendCsv(ctx, reply, filter);

      const after = cursor ? toDeliveryCursor(cursor) : undefined;
      const page = await ctx.app.deliveries.searchPage(
        { ...filter, limit: size ?? DEFAULTS.pageSizeDefault },
        after,
      );
      return {
        deliveries: page.deliveries.map(toDeliveryOut),
        next: page.next ? formatDeliveryCursor(page.next) : null,
      };
    },
  );

  server.get(
    '/api/v1/trace/deliveries/export.csv',
    {
      schema: { summary: 'Every matching delivery as CSV', tags, querystring: traceFilterSchema },
      config: { access: 'trace:read' },
    },
    async (request, reply) => sendCsv(ctx, reply, toDeliveryFilter(request.query, ctx.now())),
  );

  server.get(
    '/api/v1/trace/messages',
    {
      schema: {
        summary:
          'Matching deliveries grouped by message, most delivered recipients first, then those that reached nobody',
        tags,
        querystring: messagesQuery,
        response: { 200: z.object({ messages: z.array(messageSchema) }), ...errorResponses },
      },
      config: { access: 'trace:read' },
    },
    async (request) => {
      const { limit: size, ...filters } = request.query;
      const filter = toDeliveryFilter(filters, ctx.now());
      const messages = await ctx.app.deliveries.messages({
        ...filter,
        limit: size ?? DEFAULTS.pageSizeDefault,
      });
      return {
        messages: messages.map((m) => ({
          messageId: m.messageId,
          queueId: m.queueId,
          sender: m.sender,
          recipients: m.recipients,
          allRecipients: m.allRecipients,
          byStatus: m.byStatus,
          subject: m.subject,
          firstSeen: new Date(m.firstSeenMs).toISOString(),
          firstDelivered:
            m.firstDeliveredMs === null ? null : new Date(m.firstDeliveredMs).toISOString(),
        })),
      };
    },
  );
}

function wantsCsv(request: FastifyRequest): boolean {
  return /\btext\/csv\b/.test(request.headers.accept ?? '');
}

/** The CLI prints and reads the same cursor, so a page can be picked up from either. */
function toDeliveryCursor(text: string): DeliveryCursor {
  try {
    return parseDeliveryCursor(text, 'cursor');
  } catch (err) {
    throw new InputError(
      'HTTP_BAD_CURSOR',
      'cursor',
      'cursor: not a cursor this API returned; pass the "next" value unchanged',
      err,
    );
  }
}

/** Pages through every match, up to `DEFAULTS.exportMaxRows`, into one CSV. */
async function sendCsv(ctx: ApiContext, reply: FastifyReply, filter: DeliveryFilter) {
  const rows: Delivery[] = [];
  let after: DeliveryCursor | undefined;
  do {
    const pageSize = Math.min(DEFAULTS.pageSizeMax, DEFAULTS.exportMaxRows - rows.length);
    const page = await ctx.app.deliveries.searchPage({ ...filter, limit: pageSize }, after);
    rows.push(...page.deliveries);
    after = page.next ?? undefined;
  } while (after && rows.length < DEFAULTS.exportMaxRows);

  const csv = toCsv(
    CSV_HEADER,
    rows.map((d) => [
      d.time,
      d.messageId,
      d.sender,
      d.headerFrom,
      d.recipient,
      d.originalRecipient,
      d.subject,
      d.status,
      d.dsn,
      d.relay,
      d.queueId,
      d.clientAddress,
      d.sizeBytes,
      d.detail,
    ]),
  );
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', 'attachment; filename="trace.csv"')
    .header('x-truncated', after ? 'true' : 'false')
    .send(csv);
}

function toDeliveryOut(d: Delivery): z.infer<typeof deliverySchema> {
  return {
    time: d.time,
    messageId: d.messageId,
    messageIdRaw: d.messageIdRaw,
    sender: d.sender,
    headerFrom: d.headerFrom,
    recipient: d.recipient,
    originalRecipient: d.originalRecipient,
    subject: d.subject,
    subjectRaw: d.subjectRaw,
    status: d.status,
    dsn: d.dsn,
    relay: d.relay,
    detail: d.detail,
    queueId: d.queueId,
    queueIds: d.queueIds,
    sizeBytes: d.sizeBytes,
    clientAddress: d.clientAddress,
    clientHost: d.clientHost,
    source: d.source,
  };
}
