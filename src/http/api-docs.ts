import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { ApiServer } from './api-types.js';

/**
 * The OpenAPI document, built from the route schemas, at
 * `/api/openapi.json`, and a readable page over it at `/api/docs`.
 */
export async function registerApiDocs(server: ApiServer): Promise<void> {
  await server.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Retract API',
        version: '1',
        description:
          'Pull delivered malicious email back out of Zimbra mailboxes. Errors answer `{ "error": { "code", "message", "field"? } }`; codes are listed in docs/errors.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token, rt_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'retract_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await server.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  server.get(
    '/api/openapi.json',
    { schema: { hide: true }, config: { access: 'public' } },
    async () => server.swagger(),
  );
}
