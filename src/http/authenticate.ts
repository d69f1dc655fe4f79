import type { FastifyRequest } from 'fastify';
import { hasPermission, secretsEqual, type Principal } from '../users/index.js';
import type { ApiContext, ApiServer, RouteAccess } from './api-types.js';
import { authRequired, csrfFailed, forbidden, tokenInvalid } from './http-errors.js';
import { CSRF_HEADER, SESSION_COOKIE } from './session-cookie.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** One route as registered, for listings and tests. */
export interface RouteInfo {
  method: string;
  url: string;
  access: RouteAccess;
}

const registered = new WeakMap<object, RouteInfo[]>();

/**
 * Checks every /api route at registration: a route without a declared
 * access rule would be reachable by anyone, so the server refuses to start.
 * Records each route for `listRoutes`.
 */
export function requireAccessRules(server: ApiServer): void {
  const routes: RouteInfo[] = [];
  registered.set(server, routes);
  server.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    const access = route.config?.access;
    if (url.startsWith('/api/v1/') && access === undefined) {
      throw new TypeError(`route ${String(route.method)} ${url} declares no access rule`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url, access: access ?? 'public' });
    }
  });
}

/** Every route of the server but HEAD ones: `GET /api/v1/domains/:name` and its access rule. */
export function listRoutes(server: ApiServer): readonly RouteInfo[] {
  return registered.get(server) ?? [];
}

/**
 * Resolves the caller (Bearer token first, then the session cookie) and
 * enforces the route's access rule before the body is even parsed. A
 * cookie-authenticated call that changes something must echo the session's
 * CSRF token in `X-CSRF-Token`; token calls need none, since browsers never
 * attach an Authorization header on their own.
 */
export function installAuthentication(server: ApiServer, ctx: ApiContext): void {
  server.decorateRequest('principal', null);
  server.addHook('onRequest', async (request) => {
    const access: RouteAccess = request.routeOptions.config.access ?? 'public';
    const bearer = bearerToken(request);
    request.principal = await resolvePrincipal(request, ctx, bearer);
    if (access === 'public') return;

    if (!request.principal) throw bearer === null ? authRequired() : tokenInvalid();
    checkCsrf(request, request.principal);
    checkAccess(request.principal, access);
  });
}

async function resolvePrincipal(
  request: FastifyRequest,
  ctx: ApiContext,
  bearer: string | null,
): Promise<Principal | null> {
  if (bearer !== null) return ctx.users.tokens.resolve(bearer);
  const sessionId = request.cookies[SESSION_COOKIE];
  return sessionId ? ctx.users.sessions.resolve(sessionId) : null;
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : '';
}

function checkCsrf(request: FastifyRequest, principal: Principal): void {
  if (principal.kind !== 'session' || SAFE_METHODS.has(request.method)) return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !secretsEqual(sent, principal.csrfToken)) throw csrfFailed();
}

function checkAccess(principal: Principal, access: RouteAccess): void {
  if (access === 'public' || access === 'signed-in') return;
  if (access === 'user-session') {
    if (principal.kind !== 'session') throw forbidden('API token', 'a signed-in user');
    return;
  }
  if (!hasPermission(principal.role, access)) throw forbidden(principal.role, access);
}
