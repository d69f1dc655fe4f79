import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/app/index.js';
import { createHttpServer, type ApiServer, type HttpServerOptions } from '../../src/http/index.js';
import { DEFAULT_TENANT_ID } from '../../src/store/index.js';
import { createUserServices, type Role, type UserServices } from '../../src/users/index.js';
import { createTestApp, type LogCapture } from '../helpers/test-app.js';

/** argon2id at its cheapest, so tests that add users stay fast. */
export const CHEAP_HASH = { memoryKiB: 64, passes: 1 };
export const PASSWORD = 'correct horse battery staple';

/** How a test calls as someone: headers to add to `inject`. */
export interface Caller {
  label: string;
  headers: Record<string, string>;
}

export interface ApiWorld {
  app: App;
  server: ApiServer;
  users: UserServices;
  logs: LogCapture;
  /** A new user of the role and a session of theirs, as a browser would hold it. */
  browser(role: Role, name?: string): Promise<Caller & { csrf: string; userId: string }>;
  /** A new API token of the role. */
  token(role: Role): Promise<Caller>;
  close(): Promise<void>;
}

let counter = 0;

/** An App over a fresh store, with the HTTP server on top (no socket). */
export async function createApiWorld(
  dataDir: string,
  options: Partial<HttpServerOptions> & { now?: () => number } = {},
): Promise<ApiWorld> {
  const { app, logs } = await createTestApp(dataDir);
  const users = createUserServices({
    store: app.store,
    tenantId: DEFAULT_TENANT_ID,
    audit: app.audit,
    secrets: app.vault,
    hashCost: CHEAP_HASH,
    ...(options.now ? { now: options.now } : {}),
  });
  const server = await createHttpServer({
    app,
    logger: app.logger,
    users,
    allowLoopbackTargets: true,
    ...options,
  });

  return {
    app,
    server,
    users,
    logs,
    async browser(role, name = `${role}${++counter}`) {
      const user = await users.users.add({ name, role, password: PASSWORD }, 'test');
      const session = await users.sessions.create(user.id);
      return {
        label: `${role} session`,
        csrf: session.csrfToken,
        userId: user.id,
        headers: { cookie: `retract_session=${session.id}`, 'x-csrf-token': session.csrfToken },
      };
    },
    async token(role) {
      const { token } = await users.tokens.create(
        { name: `${role}-token-${++counter}`, role, lifetimeMs: 86_400_000 },
        'test',
      );
      return { label: `${role} token`, headers: { authorization: `Bearer ${token}` } };
    },
    async close() {
      await server.close();
      await app.retractions.drain();
      await app.close();
    },
  };
}

/** The parsed `{ error }` body of an answer. */
export function errorOf(res: LightMyRequestResponse): {
  code: string;
  message: string;
  field?: string;
} {
  return (res.json() as { error: { code: string; message: string; field?: string } }).error;
}
