import { z } from 'zod';
import type { DomainView } from '../domains/index.js';
import type { ApiContext, ApiServer } from './api-types.js';
import { errorResponses } from './api-schemas.js';

/** DomainService names fields as the CLI does; the API's body names them so. */
const FIELD_ALIASES = { domain: 'name', caFile: 'caPem' } as const;

const requestRate = z
  .union([z.number().int(), z.literal('unlimited')])
  .describe(
    'Requests a second to the Zimbra host, or "unlimited" once Retract is in zimbraHttpThrottleSafeIPs',
  );

const domainSchema = z.object({
  name: z.string(),
  soapUrl: z.string(),
  soapUrlKind: z.enum(['user', 'admin']),
  keyStatus: z
    .object({
      setAt: z.string(),
      fingerprint: z.string().describe('First 8 hex digits of the SHA-256 of the key'),
      summary: z.string().describe('"set on <date>, fingerprint <fingerprint>"'),
    })
    .describe('The key itself is write-only and never returned'),
  caSubjects: z.array(z.string()),
  maxConcurrency: z.number(),
  requestsPerSecond: requestRate.nullable().describe('null: the default pace (10 a second)'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const nameParams = z.strictObject({ name: z.string().min(1).max(253) });

const addBody = z.strictObject({
  name: z.string().min(1).max(253),
  soapUrl: z.string().min(1).max(2048),
  preauthKey: z.string().min(1).max(256).describe('64 hex digits; write-only'),
  caPem: z.string().max(262_144).nullable().optional(),
  maxConcurrency: z.number().int().optional(),
  requestsPerSecond: requestRate.nullable().optional(),
});

const updateBody = z
  .strictObject({
    soapUrl: z.string().min(1).max(2048).optional(),
    caPem: z.string().max(262_144).nullable().optional().describe('null: system CAs only'),
    maxConcurrency: z.number().int().optional(),
    requestsPerSecond: requestRate.nullable().optional(),
  })
  .describe('Only the fields given change; the PreAuth key has its own call');

/** Domains: list, add, get, change, replace key, remove. Keys go in and never come out. */
export function registerDomainRoutes(server: ApiServer, ctx: ApiContext): void {
  const domains = ctx.app.domains;
  const tags = ['domains'];

  server.get(
    '/api/v1/domains',
    {
      schema: {
        summary: 'List domains',
        tags,
        response: { 200: z.object({ domains: z.array(domainSchema) }) },
      },
      config: { access: 'domains:read' },
    },
    async () => ({ domains: (await domains.list()).map(toDomainOut) }),
  );

  server.post(
    '/api/v1/domains',
    {
      schema: {
        summary: 'Add a domain with its SOAP URL and PreAuth key',
        tags,
        body: addBody,
        response: { 201: domainSchema, ...errorResponses },
      },
      config: { access: 'domains:write', fieldAliases: FIELD_ALIASES },
    },
    async (request, reply) => {
      const { caPem, maxConcurrency, requestsPerSecond, ...rest } = request.body;
      const view = await domains.add(
        {
          ...rest,
          caPem: caPem ?? null,
          ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
          ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }),
        },
        request.principal!.actor,
      );
      return reply.code(201).send(toDomainOut(view));
    },
  );

  server.get(
    '/api/v1/domains/:name',
    {
      schema: {
        summary: 'One domain',
        tags,
        params: nameParams,
        response: { 200: domainSchema, ...errorResponses },
      },
      config: { access: 'domains:read', fieldAliases: FIELD_ALIASES },
    },
    async (request) => toDomainOut(await domains.get(request.params.name)),
  );

  server.patch(
    '/api/v1/domains/:name',
    {
      schema: {
        summary: 'Change the SOAP URL, CA certificates or concurrency (not the key)',
        tags,
        params: nameParams,
        body: updateBody,
        response: { 200: domainSchema, ...errorResponses },
      },
      config: { access: 'domains:write', fieldAliases: FIELD_ALIASES },
    },
    async (request) => {
      const view = await domains.update(
        request.params.name,
        request.body,
        request.principal!.actor,
      );
      return toDomainOut(view);
    },
  );

  server.put(
    '/api/v1/domains/:name/preauth-key',
    {
      schema: {
        summary: 'Replace the PreAuth key (after zmprov generateDomainPreAuthKey ran again)',
        tags,
        params: nameParams,
        body: z.strictObject({ preauthKey: z.string().min(1).max(256) }),
        response: { 200: domainSchema, ...errorResponses },
      },
      config: { access: 'domains:write', fieldAliases: FIELD_ALIASES },
    },
    async (request) => {
      const view = await domains.replaceKey(
        request.params.name,
        request.body.preauthKey,
        request.principal!.actor,
      );
      return toDomainOut(view);
    },
  );

  server.delete(
    '/api/v1/domains/:name',
    {
      schema: {
        summary: 'Remove a domain and its key; past retractions stay',
        tags,
        params: nameParams,
        response: { 204: z.null(), ...errorResponses },
      },
      config: { access: 'domains:write', fieldAliases: FIELD_ALIASES },
    },
    async (request, reply) => {
      await domains.remove(request.params.name, request.principal!.actor);
      return reply.code(204).send(null);
    },
  );
}

export function toDomainOut(v: DomainView): z.infer<typeof domainSchema> {
  const setAt = new Date(v.keySetAtMs).toISOString();
  return {
    name: v.name,
    soapUrl: v.soapUrl,
    soapUrlKind: v.soapUrlKind,
    keyStatus: {
      setAt,
      fingerprint: v.keyFingerprint,
      summary: `set on ${setAt}, fingerprint ${v.keyFingerprint}`,
    },
    caSubjects: v.caSubjects,
    maxConcurrency: v.maxConcurrency,
    requestsPerSecond: v.requestsPerSecond,
    createdAt: new Date(v.createdAtMs).toISOString(),
    updatedAt: new Date(v.updatedAtMs).toISOString(),
  };
}
