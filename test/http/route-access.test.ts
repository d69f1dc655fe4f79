import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/http/index.js';
import { ROLES, type Role } from '../../src/users/index.js';
import { useSuiteTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, type ApiWorld } from './api-fixture.js';
import { ROUTE_CASES, type CallerInfo, type RouteCase } from './route-cases.js';

type CallerKind = 'anonymous' | `${Role} session` | `${Role} token`;

const CALLERS: CallerKind[] = [
  'anonymous',
  ...ROLES.map((r) => `${r} session` as const),
  ...ROLES.map((r) => `${r} token` as const),
];

/** What the table says a caller gets from a route: 2xx, 401 or 403. */
function expected(c: RouteCase, caller: CallerKind): 200 | 401 | 403 {
  if (c.allowed === 'public') return 200;
  if (caller === 'anonymous') return 401;
  const [role, kind] = caller.split(' ') as [Role, 'session' | 'token'];
  if (c.allowed === 'signed-in') return 200;
  if (c.allowed === 'user-session') return kind === 'session' ? 200 : 403;
  return c.allowed.includes(role) ? 200 : 403;
}

describe('every route for every role', () => {
  const tempDir = useSuiteTempDir();
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld(tempDir(), { loginRateLimit: { max: 10_000, windowMs: 60_000 } });
  });
  afterAll(async () => world.close());

  /** A fresh caller per call: some calls (sign-out, password change) end the caller's session. */
  async function callerOf(kind: CallerKind): Promise<CallerInfo> {
    if (kind === 'anonymous') return { headers: {} };
    const [role, how] = kind.split(' ') as [Role, string];
    return how === 'session' ? world.browser(role) : world.token(role);
  }

  it('has a row for every route the server registers, and no row for a route it lacks', () => {
    const served = listRoutes(world.server)
      .filter((r) => !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(served).toEqual(Object.keys(ROUTE_CASES).sort());
  });

  it('declares on each route the access rule the table expects', () => {
    const rules = new Map(listRoutes(world.server).map((r) => [`${r.method} ${r.url}`, r.access]));
    for (const [key, c] of Object.entries(ROUTE_CASES)) {
      if (typeof c.allowed === 'string') expect(rules.get(key), key).toBe(c.allowed);
    }
  });

  for (const [key, c] of Object.entries(ROUTE_CASES)) {
    for (const callerKind of CALLERS) {
      const want = expected(c, callerKind);
      it(`${key} as ${callerKind} → ${want === 200 ? '2xx' : want}`, async () => {
        const caller = await callerOf(callerKind);
        const req = await c.request(world, caller);
        const [method] = key.split(' ') as [HTTPMethods];
        const res = await world.server.inject({
          method,
          url: req.url,
          headers: { ...caller.headers, ...req.headers },
          ...(req.payload === undefined ? {} : { payload: req.payload as object }),
        });

        if (want === 200) {
          expect(res.statusCode, res.body.slice(0, 300)).toBeGreaterThanOrEqual(200);
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(300);
        } else {
          expect(res.statusCode, res.body.slice(0, 300)).toBe(want);
          expect(errorOf(res).code).toBe(want === 401 ? 'AUTH_REQUIRED' : 'AUTH_FORBIDDEN');
        }
      });
    }
  }
});
