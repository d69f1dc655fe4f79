import { generate } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, PASSWORD, type ApiWorld } from './api-fixture.js';

describe('sign-in', () => {
  const tempDir = useTempDir();
  let world: ApiWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function start(options: Parameters<typeof createApiWorld>[1] = {}) {
    world = await createApiWorld(tempDir(), options);
    await world.users.users.add({ name: 'alice', role: 'analyst', password: PASSWORD }, 'test');
    return world;
  }

  function login(w: ApiWorld, body: Record<string, unknown>) {
    return w.server.inject({ method: 'POST', url: '/api/v1/session', payload: body });
  }

  function sessionCookie(res: { cookies: { name: string; value: string }[] }): string {
    const cookie = res.cookies.find((c) => c.name === 'retract_session');
    if (!cookie) throw new Error('no session cookie');
    return `retract_session=${cookie.value}`;
  }

  it('signs in with the right password and sets an HttpOnly, SameSite=Strict cookie', async () => {
    const w = await start();

    const res = await login(w, { name: 'Alice', password: PASSWORD });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { name: 'alice', role: 'analyst' } });
    const cookie = res.cookies.find((c) => c.name === 'retract_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.secure).toBeFalsy();
    const me = await w.server.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: sessionCookie(res) },
    });
    expect(me.json()).toEqual({
      kind: 'session',
      name: 'alice',
      role: 'analyst',
      csrfToken: res.json().csrfToken,
    });
  });

  it('marks the cookie Secure when served over TLS', async () => {
    const w = await start({ secureCookies: true });
    const res = await login(w, { name: 'alice', password: PASSWORD });
    expect(res.cookies.find((c) => c.name === 'retract_session')!.secure).toBe(true);
  });

  it('refuses a wrong password without saying whether the user exists', async () => {
    const w = await start();

    const wrong = await login(w, { name: 'alice', password: 'not the password' });
    const unknown = await login(w, { name: 'mallory', password: 'not the password' });

    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(wrong)).toEqual(errorOf(unknown));
    expect(errorOf(wrong).code).toBe('AUTH_BAD_CREDENTIALS');
    expect(wrong.cookies).toEqual([]);
    const failures = await w.app.audit.list({ action: 'auth.login_failed' });
    expect(failures.map((f) => f.target).sort()).toEqual(['alice', 'mallory']);
  });

  it('locks the user out after five failures, says until when, and the right password waits too', async () => {
    let nowMs = Date.parse('2026-12-04T10:00:00Z');
    const w = await start({ now: () => nowMs, loginRateLimit: { max: 100, windowMs: 60_000 } });

    for (let i = 0; i < 4; i += 1) {
      expect(errorOf(await login(w, { name: 'alice', password: `wrong ${i}` })).code).toBe(
        'AUTH_BAD_CREDENTIALS',
      );
    }
    const fifth = await login(w, { name: 'alice', password: 'wrong again' });
    const right = await login(w, { name: 'alice', password: PASSWORD });

    expect(fifth.statusCode).toBe(401);
    expect(errorOf(fifth).code).toBe('AUTH_LOCKED');
    expect(errorOf(fifth).message).toContain('try again after 2026-12-04T10:15:00.000Z');
    expect(errorOf(right).code).toBe('AUTH_LOCKED');
    nowMs += 15 * 60_000 + 1;
    expect((await login(w, { name: 'alice', password: PASSWORD })).statusCode).toBe(200);
  });

  it('asks for the TOTP code when the user enrolled one, and refuses a wrong or replayed code', async () => {
    const w = await start({ loginRateLimit: { max: 100, windowMs: 60_000 } });
    const first = await login(w, { name: 'alice', password: PASSWORD });
    const headers = { cookie: sessionCookie(first), 'x-csrf-token': first.json().csrfToken };
    const enrol = await w.server.inject({ method: 'POST', url: '/api/v1/session/totp', headers });
    const { secret } = enrol.json() as { secret: string; uri: string };
    expect(enrol.json().uri).toMatch(/^otpauth:\/\/totp\/Retract:alice\?/);
    // The enrolment code's step is spent; sign-in needs the next one.
    const nowS = Math.floor(Date.now() / 1000);
    const confirm = await w.server.inject({
      method: 'POST',
      url: '/api/v1/session/totp/confirm',
      headers,
      payload: { totpCode: await generate({ secret, epoch: nowS - 30 }) },
    });
    expect(confirm.json()).toMatchObject({ totpEnabled: true });

    const missing = await login(w, { name: 'alice', password: PASSWORD });
    const wrong = await login(w, { name: 'alice', password: PASSWORD, totpCode: '000000' });
    const code = await generate({ secret, epoch: nowS });
    const right = await login(w, { name: 'alice', password: PASSWORD, totpCode: code });
    const replay = await login(w, { name: 'alice', password: PASSWORD, totpCode: code });

    expect(errorOf(missing)).toMatchObject({ code: 'AUTH_TOTP_REQUIRED', field: 'totpCode' });
    expect(errorOf(wrong)).toMatchObject({ code: 'AUTH_TOTP_INVALID', field: 'totpCode' });
    expect(right.statusCode).toBe(200);
    expect(errorOf(replay).code).toBe('AUTH_TOTP_INVALID');
  });

  it('rate-limits sign-in attempts per client address with a Retry-After', async () => {
    const w = await start({ loginRateLimit: { max: 3, windowMs: 60_000 } });

    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await login(w, { name: 'x', password: 'y' }));

    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 429]);
    expect(errorOf(answers[3]!).code).toBe('HTTP_RATE_LIMITED');
    expect(Number(answers[3]!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const w = await start();
    const res = await login(w, { name: 'alice', password: PASSWORD });
    const headers = { cookie: sessionCookie(res), 'x-csrf-token': res.json().csrfToken };

    const out = await w.server.inject({ method: 'DELETE', url: '/api/v1/session', headers });
    const after = await w.server.inject({ method: 'GET', url: '/api/v1/session', headers });

    expect(out.statusCode).toBe(204);
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).code).toBe('AUTH_REQUIRED');
  });

  it('ends a session that stayed idle past the idle timeout', async () => {
    let nowMs = Date.parse('2026-12-04T10:00:00Z');
    const w = await start({ now: () => nowMs });
    const res = await login(w, { name: 'alice', password: PASSWORD });
    const headers = { cookie: sessionCookie(res) };

    nowMs += 29 * 60_000;
    expect(
      (await w.server.inject({ method: 'GET', url: '/api/v1/session', headers })).statusCode,
    ).toBe(200);
    nowMs += 31 * 60_000;
    expect(
      (await w.server.inject({ method: 'GET', url: '/api/v1/session', headers })).statusCode,
    ).toBe(401);
  });
});
