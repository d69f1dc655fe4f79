import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../errors/index.js';
import { ingestDeliveries, ingestRecordSchema, MAX_INGEST_RECORDS } from '../trace/index.js';
import type { ApiContext, ApiServer } from './api-types.js';
import { errorResponses } from './api-schemas.js';

/** Enough for MAX_INGEST_RECORDS records of about 1.5 KiB each. */
export const MAX_INGEST_BYTES = 16 * 1024 ** 2;

const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson'];

const ingestBody = z.strictObject({
  deliveries: z.array(ingestRecordSchema).min(1).max(MAX_INGEST_RECORDS),
});

const ingestReport = z.object({
  received: z.number(),
  added: z.number(),
  updated: z.number(),
  duplicates: z.number(),
});

/** Where record `index` of an NDJSON body came from, counting blank lines. */
interface NdjsonBody {
  deliveries: unknown[];
  lineOf: number[];
}

const ndjsonLines = new WeakMap<object, number[]>();

/**
 * `POST /api/v1/trace/deliveries`: other gateways report deliveries, as
 * `{ "deliveries": [...] }` JSON or as NDJSON (one delivery object a line).
 * All or nothing: one bad record refuses the call, naming the record
 * (`deliveries[3].recipient`, or `line[4].recipient` in NDJSON). Sending the
 * same `sourceId` and recipient again changes nothing.
 */
export function registerTraceIngestRoute(server: ApiServer, ctx: ApiContext): void {
  server.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      NDJSON_TYPES,
      { parseAs: 'string', bodyLimit: MAX_INGEST_BYTES },
      (_request, text, done) => {
        try {
          const body = parseNdjson(text as string);
          ndjsonLines.set(body.deliveries, body.lineOf);
          done(null, { deliveries: body.deliveries });
        } catch (err) {
          done(err as Error, undefined);
        }
      },
    );

    scope.post(
      '/api/v1/trace/deliveries',
      {
        bodyLimit: MAX_INGEST_BYTES,
        // The ingest checks every record itself, so that a problem is named
        // by its record or NDJSON line; the schema is here for the docs.
        validatorCompiler: () => (data) => ({ value: data }),
        schema: {
          summary: 'Add deliveries reported by another gateway (JSON or NDJSON)',
          description:
            'Send `{ "deliveries": [...] }` as application/json, or one delivery object per ' +
            `line as application/x-ndjson; at most ${MAX_INGEST_RECORDS} a call. Idempotent ` +
            'on `sourceId` and recipient: a repeat changes nothing, a later status updates.',
          tags: ['trace'],
          body: ingestBody,
          response: { 200: ingestReport, ...errorResponses },
        },
        config: { access: 'trace:write' },
      },
      async (request) => {
        const values = readDeliveries(request.body);
        const lines = ndjsonLines.get(values);
        const actor = request.principal!.actor;
        const report = await ingestDeliveries(values, ctx.app.deliveries, {
          source: `api:${actor}`,
          field: 'deliveries',
          now: ctx.now,
          ...(lines ? { nameOf: (i: number) => `line[${lines[i]}]` } : {}),
        });
        ctx.metrics.recordIngest(report);
        await ctx.app.audit.append({
          actor,
          action: 'trace.ingest',
          target: `api:${actor}`,
          details: { ...report },
        });
        return report;
      },
    );
  });
}

/** The body's shape, refused as a schema failure would be (`HTTP_BAD_INPUT`). */
function readDeliveries(body: unknown): unknown[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const message =
      'body: send an object { "deliveries": [...] }, or NDJSON with one delivery a line';
    throw new InputError('HTTP_BAD_INPUT', 'body', message);
  }
  const unknownKey = Object.keys(body).find((key) => key !== 'deliveries');
  if (unknownKey !== undefined) {
    throw new InputError('HTTP_BAD_INPUT', unknownKey, `${unknownKey}: not a field of this call`);
  }
  const { deliveries } = body as { deliveries?: unknown };
  if (deliveries === undefined) {
    throw new InputError('HTTP_BAD_INPUT', 'deliveries', 'deliveries: required');
  }
  if (!Array.isArray(deliveries)) {
    throw new InputError('HTTP_BAD_INPUT', 'deliveries', 'deliveries: must be an array');
  }
  if (deliveries.length === 0) {
    throw new InputError('HTTP_BAD_INPUT', 'deliveries', 'deliveries: send at least one');
  }
  return deliveries;
}

/** One value a non-blank line; a line that is not JSON refuses the body, naming it. */
function parseNdjson(text: string): NdjsonBody {
  const body: NdjsonBody = { deliveries: [], lineOf: [] };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      body.deliveries.push(JSON.parse(line));
    } catch {
      throw new InputError('TRACE_BAD_DELIVERY', `line[${i + 1}]`, `line[${i + 1}]: not JSON`);
    }
    body.lineOf.push(i + 1);
  });
  return body;
}
