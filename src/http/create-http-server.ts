import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { App } from '../app/index.js';
import { DEFAULTS } from '../config/index.js';
import { DEFAULT_TENANT_ID } from '../store/index.js';
import { createUserServices, type UserServices } from '../users/index.js';
import type { ApiContext, ApiServer } from './api-types.js';
import { installAuthentication, requireAccessRules } from './authenticate.js';
import { registerApiDocs } from './api-docs.js';
import { answerFrameworkError, installErrorHandler } from './error-handler.js';
import { rateLimited } from './http-errors.js';
import { ApiMetrics } from './metrics.js';
import { registerRoutes } from './routes.js';
import { serveWebApp } from './web-app.js';

export interface HttpServerOptions {
  app: App;
  logger: Logger;
  /** Users, sessions and tokens; built over `app.store` when absent. */
  users?: UserServices;
  now?: () => number;
  /** Marks the session cookie Secure: true when the public URL is https. */
  secureCookies?: boolean;
  /** The portal's built files (`web/dist`); absent or missing means API only. */
  webRoot?: string | null;
  /** Sign-in attempts per client address per window; default 10 a minute. */
  loginRateLimit?: { max: number; windowMs: number };
  /** Lets the domain connection test reach loopback SOAP URLs (the simulator); default false. */
  allowLoopbackTargets?: boolean;
  /** Trust X-Forwarded-For from a reverse proxy (the client address for rate limits). */
  trustProxy?: boolean;
}

/**
 * Builds the HTTP API (not listening): JSON under `/api/v1`, OpenAPI at
 * `/api/openapi.json` with a docs page at `/api/docs`, `/healthz`,
 * `/readyz`, `/metrics`, and the portal's files when `webRoot` exists.
 * Tests call `inject()` on it; `retract serve` calls `listen()`.
 *
 * Every /api route declares an access rule (a permission, `signed-in`,
 * `user-session` or `public`); errors answer `{ error: { code, message, field? } }`.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<ApiServer> {
  const now = options.now ?? Date.now;
  const server = Fastify({
    loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    trustProxy: options.trustProxy ?? false,
    // Long enough for any DNS name in /domains/:name; longer paths are bad URLs.
    routerOptions: { maxParamLength: 512 },
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);

  const ctx: ApiContext = {
    app: options.app,
    users: options.users ?? defaultUserServices(options.app, now),
    metrics: new ApiMetrics(options.app),
    now,
    allowLoopbackTargets: options.allowLoopbackTargets ?? false,
  };
  server.addHook('onClose', async () => ctx.metrics.close());

  installErrorHandler(server);
  requireAccessRules(server);
  await registerPlugins(server, options);
  installAuthentication(server, ctx);
  await registerApiDocs(server);
  registerRoutes(server, ctx, { secureCookies: options.secureCookies ?? false });
  await serveWebApp(server, options.webRoot ?? null);
  return server;
}

async function registerPlugins(server: ApiServer, options: HttpServerOptions): Promise<void> {
  await server.register(fastifyCookie);
  await server.register(fastifyHelmet, {
    // A same-origin single-page app: its scripts, styles and API calls come
    // from here and nowhere else, and no one may frame it.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Only over TLS: on a plain-http loopback address the browser would
        // rewrite the portal's own requests to https and break them.
        upgradeInsecureRequests: options.secureCookies === true ? [] : null,
      },
    },
    hsts: options.secureCookies === true,
  });
  const limit = options.loginRateLimit ?? {
    max: DEFAULTS.loginRateLimitPerMinute,
    windowMs: 60_000,
  };
  await server.register(fastifyRateLimit, {
    global: false,
    max: limit.max,
    timeWindow: limit.windowMs,
    errorResponseBuilder: (_request, context) => rateLimited(context.ttl),
  });
}

function defaultUserServices(app: App, now: () => number): UserServices {
  return createUserServices({
    store: app.store,
    tenantId: DEFAULT_TENANT_ID,
    audit: app.audit,
    secrets: app.vault,
    now,
  });
}
