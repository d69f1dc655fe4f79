import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, PASSWORD, type ApiWorld } from './api-fixture.js';

describe('user and token routes', () => {
  const tempDir = useTempDir();
  let world: ApiWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function start(now?: () => number) {
    world = await createApiWorld(tempDir(), now ? { now } : {});
    const admin = await world.browser('admin', 'root');
    return { w: world, admin };
  }

  it('adds a user who can then sign in, and lists users without any hash', async () => {
    const { w, admin } = await start();
    const added = await w.server.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { name: 'Carol', role: 'analyst', password: PASSWORD },
    });
    const login = await w.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'carol', password: PASSWORD },
    });
    const list = await w.server.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: admin.headers,
    });

    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      name: 'carol',
      role: 'analyst',
      disabled: false,
      totpEnabled: false,
    });
    expect(login.statusCode).toBe(200);
    expect(list.body).not.toMatch(/argon2|password/i);
  });

  it('refuses a short password, a bad name and a duplicate, naming the field', async () => {
    const { w, admin } = await start();
    const post = (payload: object) =>
      w.server.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload });

    expect(errorOf(await post({ name: 'dave', role: 'auditor', password: 'short' }))).toMatchObject(
      { code: 'USER_BAD_PASSWORD', field: 'password' },
    );
    expect(
      errorOf(await post({ name: 'da ve', role: 'auditor', password: PASSWORD })),
    ).toMatchObject({ code: 'USER_BAD_NAME', field: 'name' });
    const dup = await post({ name: 'root', role: 'auditor', password: PASSWORD });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup)).toMatchObject({ code: 'USER_EXISTS', field: 'name' });
  });

  it('applies a role change to the live session at once', async () => {
    const { w, admin } = await start();
    const analyst = await w.browser('analyst', 'erin');
    const before = await w.server.inject({
      method: 'GET',
      url: '/api/v1/audit',
      headers: analyst.headers,
    });

    await w.server.inject({
      method: 'PATCH',
      url: '/api/v1/users/erin',
      headers: admin.headers,
      payload: { role: 'auditor' },
    });
    const after = await w.server.inject({
      method: 'GET',
      url: '/api/v1/audit',
      headers: analyst.headers,
    });

    expect([before.statusCode, after.statusCode]).toEqual([403, 200]);
  });

  it('ends the sessions of a disabled user and refuses their sign-in', async () => {
    const { w, admin } = await start();
    const user = await w.browser('auditor', 'frank');

    const patched = await w.server.inject({
      method: 'PATCH',
      url: '/api/v1/users/frank',
      headers: admin.headers,
      payload: { disabled: true },
    });
    const session = await w.server.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: user.headers,
    });
    const login = await w.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'frank', password: PASSWORD },
    });

    expect(patched.json()).toMatchObject({ disabled: true });
    expect(session.statusCode).toBe(401);
    expect(errorOf(login).code).toBe('AUTH_BAD_CREDENTIALS');
  });

  it('will not demote or disable the last admin', async () => {
    const { w, admin } = await start();
    const demote = await w.server.inject({
      method: 'PATCH',
      url: '/api/v1/users/root',
      headers: admin.headers,
      payload: { role: 'analyst' },
    });
    const disable = await w.server.inject({
      method: 'PATCH',
      url: '/api/v1/users/root',
      headers: admin.headers,
      payload: { disabled: true },
    });
    expect([demote.statusCode, disable.statusCode]).toEqual([409, 409]);
    expect(errorOf(demote).code).toBe('USER_LAST_ADMIN');
  });

  it('unlocks a locked-out user', async () => {
    const { w, admin } = await start();
    await w.users.users.add({ name: 'gina', role: 'auditor', password: PASSWORD }, 'test');
    for (let i = 0; i < 5; i += 1) {
      await w.server.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { name: 'gina', password: `wrong ${i}` },
      });
    }
    const locked = await w.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'gina', password: PASSWORD },
    });
    await w.server.inject({
      method: 'PATCH',
      url: '/api/v1/users/gina',
      headers: admin.headers,
      payload: { unlock: true },
    });
    const after = await w.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'gina', password: PASSWORD },
    });

    expect(errorOf(locked).code).toBe('AUTH_LOCKED');
    expect(after.statusCode).toBe(200);
  });

  it('shows a new token once, stores only its hash, and stops it when revoked', async () => {
    const { w, admin } = await start();
    const created = await w.server.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin.headers,
      payload: { name: 'soar', role: 'analyst', expiresInDays: 30 },
    });
    const { token, id } = created.json() as { token: string; id: string };
    const bearer = { authorization: `Bearer ${token}` };

    expect(token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    expect(
      (await w.server.inject({ method: 'GET', url: '/api/v1/retractions', headers: bearer }))
        .statusCode,
    ).toBe(200);
    const list = await w.server.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: admin.headers,
    });
    expect(list.body).not.toContain(token);
    expect(list.json().tokens[0]).toMatchObject({
      id,
      name: 'soar',
      role: 'analyst',
      revoked: false,
      lastUsedAt: expect.any(String),
    });
    const rows = await w.app.store.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(JSON.stringify(rows)).not.toContain(token.slice(3));

    await w.server.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${id}`,
      headers: admin.headers,
    });
    const refused = await w.server.inject({
      method: 'GET',
      url: '/api/v1/retractions',
      headers: bearer,
    });
    expect(errorOf(refused).code).toBe('AUTH_TOKEN_INVALID');
  });

  it('refuses an expired token and a lifetime out of range', async () => {
    let nowMs = Date.parse('2026-12-04T10:00:00Z');
    const { w, admin } = await start(() => nowMs);
    const created = await w.server.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin.headers,
      payload: { name: 'short', role: 'auditor', expiresInDays: 1 },
    });
    const bearer = { authorization: `Bearer ${created.json().token}` };
    const tooLong = await w.server.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin.headers,
      payload: { name: 'long', role: 'auditor', expiresInDays: 366 },
    });

    nowMs += 86_400_000 + 1;
    const expired = await w.server.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer });

    expect(errorOf(expired).code).toBe('AUTH_TOKEN_INVALID');
    expect(errorOf(tooLong)).toMatchObject({ code: 'TOKEN_BAD_EXPIRY', field: 'expiresInDays' });
  });

  it('audits user and token changes with the actor who made them', async () => {
    const { w, admin } = await start();
    await w.server.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { name: 'hank', role: 'auditor', password: PASSWORD },
    });
    await w.server.inject({
      method: 'PATCH',
      url: '/api/v1/users/hank',
      headers: admin.headers,
      payload: { role: 'analyst' },
    });
    await w.server.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin.headers,
      payload: { name: 'ci', role: 'auditor' },
    });

    const entries = await w.app.audit.list({ limit: 50 });
    const byRoot = entries.filter((e) => e.actor === 'user:root').map((e) => e.action);
    expect(byRoot).toEqual(
      expect.arrayContaining(['user.add', 'user.change_role', 'token.create']),
    );
  });
});
