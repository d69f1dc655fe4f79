import { sql } from 'kysely';
import { z } from 'zod';
import { MIGRATIONS } from '../store/migrations/index.js';
import type { ApiContext, ApiServer } from './api-types.js';

const tags = ['health'];

/** `/healthz` (the process answers), `/readyz` (the store answers and is migrated), `/metrics`. */
export function registerHealthRoutes(server: ApiServer, ctx: ApiContext): void {
  server.get(
    '/healthz',
    {
      schema: {
        summary: 'The process is up',
        tags,
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
      config: { access: 'public' },
    },
    async () => ({ status: 'ok' as const }),
  );

  server.get(
    '/readyz',
    {
      schema: {
        summary: 'The store is reachable and every migration has run',
        tags,
        response: {
          200: z.object({ status: z.literal('ready') }),
          503: z.object({ status: z.literal('not_ready'), reason: z.string() }),
        },
      },
      config: { access: 'public' },
    },
    async (request, reply) => {
      const reason = await notReadyReason(ctx, request.log);
      if (reason === null) return { status: 'ready' as const };
      return reply.code(503).send({ status: 'not_ready' as const, reason });
    },
  );

  // Counts and latencies only, nothing about who or what: safe for a
  // scraper on the internal network without a token.
  server.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', tags }, config: { access: 'public' } },
    async (_request, reply) => {
      const { contentType, body } = await ctx.metrics.render();
      return reply.type(contentType).send(body);
    },
  );
}

async function notReadyReason(
  ctx: ApiContext,
  log: { warn: (obj: object, msg: string) => void },
): Promise<string | null> {
  try {
    const done = await sql<{ name: string }>`select name from kysely_migration`.execute(
      ctx.app.store.db,
    );
    const names = new Set(done.rows.map((r) => r.name));
    const missing = Object.keys(MIGRATIONS).filter((name) => !names.has(name));
    return missing.length === 0 ? null : `migrations not run: ${missing.join(', ')}`;
  } catch (err) {
    log.warn({ err }, 'store not reachable');
    return 'the store does not answer';
  }
}
