/**
 * The HTTP layer: Fastify routes over the services, sign-in, roles, CSRF,
 * OpenAPI, health and metrics.
 */

/**
 * Builds the server (not listening). `createHttpServer({ app, logger })`
 * with optional `users` (UserServices; default built over `app.store`),
 * `now`, `secureCookies` (true behind https), `webRoot` (the portal's
 * `web/dist`), `loginRateLimit` (`{ max, windowMs }`, default 10 a minute)
 * and `trustProxy`. Tests call `inject()`; `retract serve` calls `listen()`.
 * Close it with `close()`; the App stays open.
 */
export { createHttpServer } from './create-http-server.js';
export type { HttpServerOptions } from './create-http-server.js';

/** The Fastify instance type, and the access rules a route may declare. */
export type { ApiServer, RouteAccess } from './api-types.js';

/** Every route with its method and access rule (HEAD routes left out), for docs and tests. */
export { listRoutes } from './authenticate.js';
export type { RouteInfo } from './authenticate.js';

/** The one table from error code to HTTP status. */
export { httpStatusOf } from './error-table.js';

/** Cookie and header names the portal uses: the session cookie, and `X-CSRF-Token`. */
export { CSRF_HEADER, SESSION_COOKIE } from './session-cookie.js';
