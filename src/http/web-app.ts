import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiServer } from './api-types.js';
import { sendError } from './error-handler.js';
import { routeNotFound } from './http-errors.js';

/** Paths that are never the portal: they answer JSON 404s, not index.html. */
const NOT_PORTAL = /^\/(api|healthz|readyz|metrics)(\/|$)/;

/**
 * Serves the portal's built files and answers index.html for any other GET
 * of a page (the portal routes in the browser). Without a built portal the
 * server is API only.
 */
export async function serveWebApp(server: ApiServer, webRoot: string | null): Promise<void> {
  const hasPortal = webRoot !== null && existsSync(join(webRoot, 'index.html'));
  if (hasPortal) {
    await server.register(fastifyStatic, { root: webRoot, wildcard: false, index: 'index.html' });
  }
  server.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const wantsPage = hasPortal && request.method === 'GET' && !NOT_PORTAL.test(path);
    if (wantsPage) return reply.type('text/html').sendFile('index.html');
    return sendError(request, reply, routeNotFound(request.method, request.url), 404);
  });
}
