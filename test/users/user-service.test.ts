import { generate } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/users/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createUsersWorld, PASSWORD, type UsersWorld } from './users-fixture.js';

describe('UserService', () => {
  const tempDir = useTempDir();
  let world: UsersWorld | undefined;
  afterEach(async () => {
    await world?.app.close();
    world = undefined;
  });

  async function start() {
    world = await createUsersWorld(tempDir());
    return world;
  }

  it('stores an argon2id hash, never the password', async () => {
    const w = await start();
    await w.users.add({ name: 'ann', role: 'admin', password: PASSWORD }, 'test');

    const row = await w.app.store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();

    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
  });

  it('hashes with OWASP cost by default', async () => {
    const hash = await new PasswordHasher().hash('some long passphrase');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('reads a damaged stored hash as a wrong password', async () => {
    expect(await new PasswordHasher().verify('$argon2id$garbage', PASSWORD)).toBe(false);
  });

  it('checks name, role and password length, naming the field', async () => {
    const w = await start();
    const add = (name: string, role: string, password: string) =>
      w.users.add({ name, role, password }, 'test');

    await expect(add('-bad', 'admin', PASSWORD)).rejects.toMatchObject({
      code: 'USER_BAD_NAME',
      field: 'name',
    });
    await expect(add('ok', 'root', PASSWORD)).rejects.toMatchObject({
      code: 'USER_BAD_ROLE',
      field: 'role',
    });
    await expect(add('ok', 'admin', 'elevenchars')).rejects.toMatchObject({
      code: 'USER_BAD_PASSWORD',
      field: 'password',
    });
    await expect(add('ok', 'admin', 'x'.repeat(1025))).rejects.toMatchObject({
      code: 'USER_BAD_PASSWORD',
    });
  });

  it('counts only consecutive failures: a success in between starts over', async () => {
    const w = await start();
    await w.users.add({ name: 'bo', role: 'analyst', password: PASSWORD }, 'test');
    const fail = () =>
      w.users
        .authenticate({ name: 'bo', password: 'wrong' })
        .catch((e: { code: string }) => e.code);

    for (let i = 0; i < 4; i += 1) expect(await fail()).toBe('AUTH_BAD_CREDENTIALS');
    await w.users.authenticate({ name: 'bo', password: PASSWORD });
    for (let i = 0; i < 4; i += 1) expect(await fail()).toBe('AUTH_BAD_CREDENTIALS');
    expect(await fail()).toBe('AUTH_LOCKED');
  });

  it('audits sign-ins, failures and the lockout', async () => {
    const w = await start();
    await w.users.add({ name: 'cy', role: 'analyst', password: PASSWORD }, 'test');
    await w.users.authenticate({ name: 'cy', password: PASSWORD, ip: '192.0.2.7' });
    for (let i = 0; i < 5; i += 1)
      await w.users.authenticate({ name: 'cy', password: 'no' }).catch(() => null);

    const actions = (await w.app.audit.list({ target: 'cy' })).map((e) => e.action).reverse();

    expect(actions).toEqual([
      'user.add',
      'auth.login',
      ...Array<string>(5).fill('auth.login_failed'),
      'auth.locked',
    ]);
    const login = (await w.app.audit.list({ action: 'auth.login' }))[0]!;
    expect(login).toMatchObject({ actor: 'user:cy', details: { ip: '192.0.2.7' } });
    expect(JSON.stringify(await w.app.audit.list())).not.toContain(PASSWORD);
  });

  it('stores TOTP secrets sealed, never as the secret itself', async () => {
    const w = await start();
    const user = await w.users.add({ name: 'ed', role: 'auditor', password: PASSWORD }, 'test');
    const { secret } = await w.users.beginTotp(user.id);
    await w.users.confirmTotp(
      user.id,
      await generate({ secret, epoch: Math.floor(w.clock.nowMs / 1000) }),
    );

    const row = await w.app.store.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(secret);
    w.clock.nowMs += 60_000;
    const signedIn = await w.users.authenticate({
      name: 'ed',
      password: PASSWORD,
      totpCode: await generate({ secret, epoch: Math.floor(w.clock.nowMs / 1000) }),
    });
    expect(signedIn).toMatchObject({ name: 'ed' });
  });

  it('enrols TOTP only after a correct code, and an admin can reset it', async () => {
    const w = await start();
    const user = await w.users.add({ name: 'di', role: 'auditor', password: PASSWORD }, 'test');
    const { secret } = await w.users.beginTotp(user.id);
    const epoch = Math.floor(w.clock.nowMs / 1000);

    await expect(w.users.confirmTotp(user.id, '123456')).rejects.toMatchObject({
      code: 'AUTH_TOTP_INVALID',
    });
    expect((await w.users.get('di')).totpEnabled).toBe(false);
    await w.users.confirmTotp(user.id, await generate({ secret, epoch }));
    await expect(w.users.authenticate({ name: 'di', password: PASSWORD })).rejects.toMatchObject({
      code: 'AUTH_TOTP_REQUIRED',
    });

    await w.users.resetTotp('di', 'user:root');
    expect((await w.users.authenticate({ name: 'di', password: PASSWORD })).name).toBe('di');
  });

  it('changes its own password only with the current one', async () => {
    const w = await start();
    const user = await w.users.add({ name: 'ed', role: 'auditor', password: PASSWORD }, 'test');

    await expect(
      w.users.changeOwnPassword(user.id, 'not it', 'a new long password'),
    ).rejects.toMatchObject({ field: 'currentPassword' });
    await expect(w.users.changeOwnPassword(user.id, PASSWORD, 'short')).rejects.toMatchObject({
      field: 'newPassword',
    });
    await w.users.changeOwnPassword(user.id, PASSWORD, 'a new long password');
    expect((await w.users.authenticate({ name: 'ed', password: 'a new long password' })).name).toBe(
      'ed',
    );
  });

  it('keeps at least one enabled admin', async () => {
    const w = await start();
    await w.users.add({ name: 'root', role: 'admin', password: PASSWORD }, 'test');
    await expect(w.users.setRole('root', 'analyst', 'x')).rejects.toMatchObject({
      code: 'USER_LAST_ADMIN',
    });
    await w.users.add({ name: 'root2', role: 'admin', password: PASSWORD }, 'test');
    expect((await w.users.setRole('root', 'analyst', 'x')).role).toBe('analyst');
    await expect(w.users.setDisabled('root2', true, 'x')).rejects.toMatchObject({
      code: 'USER_LAST_ADMIN',
    });
  });
});
