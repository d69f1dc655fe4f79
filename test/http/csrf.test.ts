import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSuiteTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, PASSWORD, type ApiWorld } from './api-fixture.js';

describe('CSRF protection of cookie sessions', () => {
  const tempDir = useSuiteTempDir();
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld(tempDir());
  });
  afterAll(async () => world.close());

  const addUser = (headers: Record<string, string>, name: string) =>
    world.server.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers,
      payload: { name, role: 'auditor', password: PASSWORD },
    });

  it('refuses a cookie-authenticated POST without the X-CSRF-Token header', async () => {
    const admin = await world.browser('admin');
    const { 'x-csrf-token': _, ...cookieOnly } = admin.headers;

    const res = await addUser(cookieOnly, 'no-header');

    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('AUTH_CSRF_FAILED');
    await expect(world.users.users.get('no-header')).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
  });

  it("refuses another session's token and a token of the wrong length", async () => {
    const admin = await world.browser('admin');
    const other = await world.browser('admin');

    const swapped = await addUser({ ...admin.headers, 'x-csrf-token': other.csrf }, 'swapped');
    const short = await addUser({ ...admin.headers, 'x-csrf-token': 'abc' }, 'short');

    expect([swapped.statusCode, short.statusCode]).toEqual([403, 403]);
    expect(errorOf(swapped).code).toBe('AUTH_CSRF_FAILED');
  });

  it('allows the POST with the session’s own token', async () => {
    const admin = await world.browser('admin');
    expect((await addUser(admin.headers, 'with-header')).statusCode).toBe(201);
  });

  it('checks DELETE and PUT as well, but not GET', async () => {
    const admin = await world.browser('admin');
    const { 'x-csrf-token': _, ...cookieOnly } = admin.headers;

    const del = await world.server.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: cookieOnly,
    });
    const get = await world.server.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: cookieOnly,
    });

    expect(del.statusCode).toBe(403);
    expect(get.statusCode).toBe(200);
  });

  it('needs no CSRF token for a Bearer token call', async () => {
    const token = await world.token('admin');
    expect((await addUser(token.headers, 'by-token')).statusCode).toBe(201);
  });

  it('prefers a Bearer token over a cookie, so a bad token is refused even with a good cookie', async () => {
    const admin = await world.browser('admin');
    const res = await world.server.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { ...admin.headers, authorization: 'Bearer rt_not-a-real-token' },
    });
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('AUTH_TOKEN_INVALID');
  });
});
