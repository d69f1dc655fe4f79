import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError, isRetractError, RetractError } from '../errors/index.js';
import { importMtaLogs } from '../trace/index.js';
import type { ApiContext, ApiServer } from './api-types.js';
import { errorResponses } from './api-schemas.js';

/** An uploaded log is streamed to a temporary file; past this size the upload is refused. */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

const UPLOAD_TYPES = ['application/octet-stream', 'application/gzip', 'application/x-gzip'];

const importQuery = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(200)
    .refine(isPlainFileName, 'a file name, without a path or control characters')
    .describe('The uploaded file’s name, kept as the deliveries’ source: `upload:<name>`')
    .optional(),
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .describe('IANA zone of the log’s year-less timestamps; default UTC')
    .optional(),
});

const importReport = z.object({
  name: z.string(),
  lines: z.number(),
  deliveries: z.number(),
  delivered: z.number(),
  deferred: z.number(),
  rejected: z.number(),
  filtered: z.number().describe('Handed to a content filter that never passed them on'),
  added: z.number().describe('Deliveries new to the trace'),
  updated: z.number().describe('Deliveries the trace held that changed (a later status)'),
  duplicates: z.number().describe('Deliveries the trace already held exactly'),
  unparsed: z.number(),
  unparsedSample: z.array(z.string()),
  repeatedIgnored: z.number(),
  seconds: z.number(),
  linesPerSecond: z.number(),
  deliveriesPerSecond: z.number(),
});

/**
 * `POST /api/v1/trace/imports`: an MTA log (Zimbra's zimbra.log or a
 * Postfix maillog, plain or gzip) uploaded as the raw request body, so the
 * portal can fill the trace without a shell on the Retract host.
 */
export function registerTraceImportRoute(server: ApiServer, ctx: ApiContext): void {
  server.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    // Raw bodies reach the handler as the request stream, so a large log
    // goes to disk as it arrives instead of filling memory.
    scope.addContentTypeParser(UPLOAD_TYPES, (_request, payload, done) => done(null, payload));

    scope.post(
      '/api/v1/trace/imports',
      {
        schema: {
          summary: 'Import an MTA log (raw body, plain or gzip) into the message trace',
          tags: ['trace'],
          querystring: importQuery,
          response: { 200: importReport, ...errorResponses },
        },
        config: { access: 'trace:write' },
      },
      async (request) => {
        const name = request.query.name ?? 'upload';
        const report = await importUpload(
          ctx,
          request.body as Readable,
          name,
          request.query.timeZone,
        );
        ctx.metrics.recordImport(report);
        await ctx.app.audit.append({
          actor: request.principal!.actor,
          action: 'trace.import',
          target: name,
          details: {
            lines: report.lines,
            deliveries: report.deliveries,
            added: report.added,
            updated: report.updated,
            duplicates: report.duplicates,
            unparsed: report.unparsed,
          },
        });
        return report;
      },
    );
  });
}

async function importUpload(
  ctx: ApiContext,
  body: Readable,
  name: string,
  timeZone: string | undefined,
): Promise<z.infer<typeof importReport>> {
  const dir = await mkdtemp(join(tmpdir(), 'retract-import-'));
  const path = join(dir, 'upload.log');
  try {
    await pipeline(body, limitBytes(MAX_UPLOAD_BYTES), createWriteStream(path, { mode: 0o600 }));
    const {
      files: _files,
      evicted: _evicted,
      ...report
    } = await importMtaLogs([path], ctx.app.deliveries, {
      ...(timeZone ? { timeZone } : {}),
      now: ctx.now,
      // The temporary path means nothing to anyone and says where the server keeps files.
      sourceOf: () => `upload:${name}`,
    }).catch((err: unknown) => {
      throw nameTheUpload(err, path, name);
    });
    return { name, ...report };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * An unreadable upload (gzip cut short or damaged) is bad input like any
 * other (400, field `body`), named as the user knows it, not by its
 * temporary path: `cannot read the uploaded log t.gz: the gzip data is cut short`.
 */
function nameTheUpload(err: unknown, path: string, name: string): unknown {
  if (!isRetractError(err) || err.code !== 'TRACE_LOG_UNREADABLE') return err;
  const message = err.message
    .replace(`log file ${path}`, `the uploaded log ${name}`)
    .replace(path, `the uploaded log ${name}`);
  return new InputError(err.code, 'body', message, err);
}

function isPlainFileName(name: string): boolean {
  return ![...name].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20);
}

function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) return done(tooLarge(max));
      done(null, chunk);
    },
  });
}

function tooLarge(max: number): RetractError {
  return new RetractError(
    'HTTP_BODY_TOO_LARGE',
    `the log is larger than ${Math.round(max / 1024 ** 2)} MiB; import it with "retract trace import" on the Retract host`,
    { failureClass: 'config', context: { maxBytes: max } },
  );
}
