import { z } from 'zod';
import { DEFAULTS } from '../config/index.js';
import { parseTokenDays, type TokenView } from '../users/index.js';
import type { ApiContext, ApiServer } from './api-types.js';
import { errorResponses, isoTime, roleSchema } from './api-schemas.js';

const tags = ['tokens'];

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revoked: z.boolean(),
});

/** API tokens for automation: created by an admin, shown once, revocable. */
export function registerTokenRoutes(server: ApiServer, ctx: ApiContext): void {
  const { tokens } = ctx.users;

  server.get(
    '/api/v1/tokens',
    {
      schema: {
        summary: 'List API tokens (never the tokens themselves)',
        tags,
        response: { 200: z.object({ tokens: z.array(tokenSchema) }) },
      },
      config: { access: 'tokens:manage' },
    },
    async () => ({ tokens: (await tokens.list()).map(toTokenOut) }),
  );

  server.post(
    '/api/v1/tokens',
    {
      schema: {
        summary: 'Create an API token; the answer holds the token, shown this once',
        tags,
        body: z.strictObject({
          name: z.string().min(1).max(64),
          role: roleSchema,
          expiresInDays: z
            .number()
            .int()
            .describe(`1 to ${DEFAULTS.apiTokenMaxDays}`)
            .default(DEFAULTS.apiTokenDefaultDays),
        }),
        response: { 201: tokenSchema.extend({ token: z.string() }), ...errorResponses },
      },
      config: { access: 'tokens:manage' },
    },
    async (request, reply) => {
      const { name, role, expiresInDays } = request.body;
      const lifetimeMs = parseTokenDays(expiresInDays);
      const created = await tokens.create({ name, role, lifetimeMs }, request.principal!.actor);
      return reply.code(201).send({ ...toTokenOut(created.view), token: created.token });
    },
  );

  server.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        summary: 'Revoke an API token',
        tags,
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: tokenSchema, ...errorResponses },
      },
      config: { access: 'tokens:manage' },
    },
    async (request) => toTokenOut(await tokens.revoke(request.params.id, request.principal!.actor)),
  );
}

function toTokenOut(t: TokenView): z.infer<typeof tokenSchema> {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    createdBy: t.createdBy,
    createdAt: new Date(t.createdAtMs).toISOString(),
    expiresAt: new Date(t.expiresAtMs).toISOString(),
    lastUsedAt: isoTime(t.lastUsedAtMs),
    revoked: t.revoked,
  };
}
