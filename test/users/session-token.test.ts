import { afterEach, describe, expect, it } from 'vitest';
import { hasPermission, ROLES, type Permission } from '../../src/users/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createUsersWorld, PASSWORD, type UsersWorld } from './users-fixture.js';

describe('sessions and API tokens', () => {
  const tempDir = useTempDir();
  let world: UsersWorld | undefined;
  afterEach(async () => {
    await world?.app.close();
    world = undefined;
  });

  async function withUser(role = 'analyst') {
    world = await createUsersWorld(tempDir());
    const user = await world.users.add({ name: 'ann', role, password: PASSWORD }, 'test');
    return { w: world, user };
  }

  it('stores a session id only as its hash', async () => {
    const { w, user } = await withUser();
    const session = await w.sessions.create(user.id);

    const rows = await w.app.store.db.selectFrom('sessions').selectAll().execute();

    expect(JSON.stringify(rows)).not.toContain(session.id);
    expect(await w.sessions.resolve(session.id)).toMatchObject({
      kind: 'session',
      userName: 'ann',
      role: 'analyst',
      actor: 'user:ann',
    });
    expect(await w.sessions.resolve(`${session.id}x`)).toBeNull();
  });

  it('ends a session at its lifetime even when active, and sweeps ended ones', async () => {
    const { w, user } = await withUser();
    const session = await w.sessions.create(user.id);
    for (let i = 0; i < 12 * 3; i += 1) {
      w.clock.nowMs += 20 * 60_000;
      if ((await w.sessions.resolve(session.id)) === null) break;
    }
    expect(w.clock.nowMs - Date.parse('2026-12-04T10:00:00Z')).toBe(12 * 3_600_000);
    await w.sessions.create(user.id);
    w.clock.nowMs += 31 * 60_000;
    expect(await w.sessions.sweep()).toBe(1);
  });

  it('stops the sessions of a disabled user, and endAllOf ends them for good', async () => {
    const { w, user } = await withUser();
    await w.users.add({ name: 'root', role: 'admin', password: PASSWORD }, 'test');
    const session = await w.sessions.create(user.id);

    await w.users.setDisabled('ann', true, 'user:root');
    expect(await w.sessions.resolve(session.id)).toBeNull();
    await w.users.setDisabled('ann', false, 'user:root');
    await w.sessions.endAllOf(user.id);
    expect(await w.sessions.resolve(session.id)).toBeNull();
  });

  it('stores a token only as its SHA-256 and resolves it with its role until revoked', async () => {
    const { w } = await withUser();
    const { token, view } = await w.tokens.create(
      { name: 'soar', role: 'auditor', lifetimeMs: 86_400_000 },
      'user:ann',
    );

    const rows = await w.app.store.db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await w.tokens.resolve(token)).toMatchObject({
      kind: 'token',
      role: 'auditor',
      actor: 'token:soar',
    });
    expect((await w.tokens.list())[0]!.lastUsedAtMs).toBe(w.clock.nowMs);

    await w.tokens.revoke(view.id, 'user:ann');
    expect(await w.tokens.resolve(token)).toBeNull();
    expect(await w.tokens.resolve('not-a-token')).toBeNull();
  });

  it('refuses a token past its expiry', async () => {
    const { w } = await withUser();
    const { token } = await w.tokens.create(
      { name: 'short', role: 'admin', lifetimeMs: 60_000 },
      'x',
    );
    w.clock.nowMs += 60_000;
    expect(await w.tokens.resolve(token)).toBeNull();
  });

  it('grants each role what the issue says', () => {
    const all: Permission[] = [
      'domains:read',
      'domains:write',
      'trace:read',
      'trace:write',
      'retractions:read',
      'retractions:write',
      'audit:read',
      'users:manage',
      'tokens:manage',
    ];
    const granted = Object.fromEntries(
      ROLES.map((r) => [r, all.filter((p) => hasPermission(r, p))]),
    );
    expect(granted).toEqual({
      admin: all,
      analyst: ['domains:read', 'trace:read', 'retractions:read', 'retractions:write'],
      auditor: ['domains:read', 'trace:read', 'retractions:read', 'audit:read'],
    });
  });
});
