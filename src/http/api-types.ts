import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../app/index.js';
import type { Permission, Principal, UserServices } from '../users/index.js';
import type { ApiMetrics } from './metrics.js';

/**
 * What a route asks of its caller: nothing (`public`), any principal
 * (`signed-in`), a browser session (`user-session`: sign-out, own password,
 * own TOTP), or one permission of the caller's role.
 */
export type RouteAccess = Permission | 'public' | 'signed-in' | 'user-session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every /api route; the server refuses to start without it. */
    access?: RouteAccess;
    /** Service field names → API field names, for error bodies (`caFile` → `caPem`). */
    fieldAliases?: Readonly<Record<string, string>>;
  }
  interface FastifyRequest {
    /** Set by the authentication hook; null for anonymous calls. */
    principal: Principal | null;
  }
}

/** The Fastify instance with Zod schemas as its type provider. */
export type ApiServer = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What every route module gets. */
export interface ApiContext {
  app: App;
  users: UserServices;
  metrics: ApiMetrics;
  now: () => number;
  /** Whether SOAP URLs on loopback may be reached (the simulator, tests). */
  allowLoopbackTargets: boolean;
}
