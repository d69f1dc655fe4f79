import { z } from 'zod';
import { testDomainConnection } from '../domains/index.js';
import type { ApiContext, ApiServer } from './api-types.js';
import { errorResponses } from './api-schemas.js';

const checkSchema = z.object({
  name: z.enum(['dns', 'tls', 'clock', 'endpoint', 'preauth']),
  ok: z.boolean(),
  summary: z.string(),
  advice: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
});

const reportSchema = z.object({
  domain: z.string(),
  ok: z.boolean(),
  checks: z.array(checkSchema),
  soapUrl: z.string(),
  soapUrlAnswered: z.string().nullable(),
  alternativeUrl: z.string().optional(),
  egressAddress: z.string().nullable(),
  rttMs: z.number().nullable(),
  clockSkewMs: z.number().nullable(),
  warning: z.string(),
});

/**
 * `POST /api/v1/domains/{name}/test`: DNS, TLS, clock, endpoint and one
 * PreAuth login for a mailbox of the domain. Admin only: a failed PreAuth
 * login counts toward Zimbra suspending Retract's address.
 */
export function registerDomainTestRoute(server: ApiServer, ctx: ApiContext): void {
  server.post(
    '/api/v1/domains/:name/test',
    {
      schema: {
        summary: 'Test the connection: DNS, TLS, clock, endpoint and one PreAuth login',
        tags: ['domains'],
        params: z.strictObject({ name: z.string().min(1).max(253) }),
        body: z.strictObject({
          account: z.string().min(3).max(320).describe('A mailbox of the domain to log in to once'),
        }),
        response: { 200: reportSchema, ...errorResponses },
      },
      config: { access: 'domains:write', fieldAliases: { domain: 'name' } },
    },
    async (request) => {
      const report = await testDomainConnection(ctx.app.domains, request.params.name, {
        account: request.body.account,
        allowLoopback: ctx.allowLoopbackTargets,
        now: ctx.now,
      });
      await ctx.app.audit.append({
        actor: request.principal!.actor,
        action: 'domain.test',
        target: report.domain,
        details: { ok: report.ok, account: request.body.account },
      });
      return report;
    },
  );
}
