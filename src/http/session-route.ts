import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { UserView } from '../users/index.js';
import type { ApiContext, ApiServer } from './api-types.js';
import { errorResponses, toUserOut, userSchema } from './api-schemas.js';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie.js';

const loginBody = z.strictObject({
  name: z.string().min(1).max(256),
  password: z.string().min(1).max(4096),
  totpCode: z.string().max(16).optional(),
});

const sessionOut = z.object({
  user: userSchema,
  csrfToken: z.string().describe('Send it as X-CSRF-Token on every call that changes something'),
  expiresAt: z.string(),
});

const whoAmI = z.object({
  kind: z.enum(['session', 'token']),
  name: z.string(),
  role: z.string(),
  csrfToken: z.string().optional(),
});

export interface SessionRouteOptions {
  secureCookies: boolean;
}

/** Sign-in, sign-out, who am I, own password and own second factor. */
export function registerSessionRoutes(
  server: ApiServer,
  ctx: ApiContext,
  options: SessionRouteOptions,
): void {
  const { users, sessions } = ctx.users;

  server.post(
    '/api/v1/session',
    {
      schema: {
        summary: 'Sign in; sets the session cookie',
        tags: ['session'],
        body: loginBody,
        response: { 200: sessionOut, ...errorResponses },
      },
      config: { access: 'public', rateLimit: {} },
    },
    async (request, reply) => {
      const user = await users.authenticate({ ...request.body, ip: request.ip });
      // Sign-in is rare enough to carry the clean-up of ended sessions.
      await sessions.sweep();
      return startSession(ctx, reply, user, options);
    },
  );

  server.get(
    '/api/v1/session',
    {
      schema: { summary: 'Who is calling', tags: ['session'], response: { 200: whoAmI } },
      config: { access: 'signed-in' },
    },
    async (request) => {
      const p = request.principal!;
      return p.kind === 'session'
        ? { kind: p.kind, name: p.userName, role: p.role, csrfToken: p.csrfToken }
        : { kind: p.kind, name: p.tokenName, role: p.role };
    },
  );

  server.delete(
    '/api/v1/session',
    {
      schema: { summary: 'Sign out', tags: ['session'], response: { 204: z.null() } },
      config: { access: 'user-session' },
    },
    async (request, reply) => {
      const p = request.principal!;
      if (p.kind === 'session') await sessions.end(p.sessionIdHash);
      void reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(options.secureCookies));
      await ctx.app.audit.append({ actor: p.actor, action: 'auth.logout', target: p.actor });
      return reply.code(204).send(null);
    },
  );

  registerOwnAccountRoutes(server, ctx, options);
}

/** Opens a session for the user, sets its cookie, and answers with its CSRF token. */
async function startSession(
  ctx: ApiContext,
  reply: FastifyReply,
  user: UserView,
  options: SessionRouteOptions,
): Promise<z.infer<typeof sessionOut>> {
  const { sessions } = ctx.users;
  const session = await sessions.create(user.id);
  const maxAgeS = Math.floor(sessions.settings.lifetimeMs / 1000);
  void reply.setCookie(
    SESSION_COOKIE,
    session.id,
    sessionCookieOptions(options.secureCookies, maxAgeS),
  );
  return {
    user: toUserOut(user),
    csrfToken: session.csrfToken,
    expiresAt: new Date(session.expiresAtMs).toISOString(),
  };
}

function registerOwnAccountRoutes(
  server: ApiServer,
  ctx: ApiContext,
  options: SessionRouteOptions,
): void {
  const { users, sessions } = ctx.users;

  server.post(
    '/api/v1/session/password',
    {
      schema: {
        summary: 'Change my password; ends my other sessions',
        tags: ['session'],
        body: z.strictObject({
          currentPassword: z.string().min(1).max(4096),
          newPassword: z.string().min(1).max(4096),
        }),
        response: { 200: sessionOut, ...errorResponses },
      },
      config: { access: 'user-session', rateLimit: {} },
    },
    async (request, reply) => {
      const p = request.principal!;
      if (p.kind !== 'session') throw new TypeError('user-session route without a session');
      await users.changeOwnPassword(
        p.userId,
        request.body.currentPassword,
        request.body.newPassword,
      );
      await sessions.endAllOf(p.userId);
      return startSession(ctx, reply, await users.get(p.userName), options);
    },
  );

  server.post(
    '/api/v1/session/totp',
    {
      schema: {
        summary: 'Start enrolling a second factor: returns the secret and otpauth URI once',
        tags: ['session'],
        response: { 200: z.object({ secret: z.string(), uri: z.string() }) },
      },
      config: { access: 'user-session' },
    },
    async (request) => {
      const p = request.principal!;
      if (p.kind !== 'session') throw new TypeError('user-session route without a session');
      return users.beginTotp(p.userId);
    },
  );

  server.post(
    '/api/v1/session/totp/confirm',
    {
      schema: {
        summary: 'Finish enrolling: prove the app has the secret with a current code',
        tags: ['session'],
        body: z.strictObject({ totpCode: z.string().min(1).max(16) }),
        response: { 200: userSchema, ...errorResponses },
      },
      config: { access: 'user-session' },
    },
    async (request) => {
      const p = request.principal!;
      if (p.kind !== 'session') throw new TypeError('user-session route without a session');
      return toUserOut(await users.confirmTotp(p.userId, request.body.totpCode));
    },
  );
}
