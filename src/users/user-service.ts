import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/index.js';
import { DEFAULTS } from '../config/index.js';
import { InputError, RetractError } from '../errors/index.js';
import type { Store, UserRow } from '../store/index.js';
import { PasswordHasher } from './password-hasher.js';
import { userActor } from './principal.js';
import { parseRole, type Role } from './roles.js';
import { newTotpSecret, totpUri, verifyTotp } from './totp.js';
import { parseNewPassword, parseUserName } from './user-input.js';
import {
  badCredentials,
  lastAdmin,
  lockedOut,
  totpInvalid,
  totpRequired,
  userNotFound,
} from './user-errors.js';

/** What anyone allowed to see users may see: never a hash or a secret. */
export interface UserView {
  id: string;
  name: string;
  role: Role;
  disabled: boolean;
  totpEnabled: boolean;
  lockedUntilMs: number | null;
  lastLoginAtMs: number | null;
  createdAtMs: number;
}

export interface NewUser {
  name: string;
  role: string;
  password: string;
}

export interface SignInAttempt {
  name: string;
  password: string;
  totpCode?: string;
  /** Client address, for the audit entry. */
  ip?: string;
}

export interface LockoutSettings {
  failureLimit: number;
  lockoutMs: number;
}

/** Seals secrets at rest (the KeyVault that also seals PreAuth keys). */
export interface SecretSealer {
  seal(plaintext: string, boundTo: string): string;
  open(sealed: string, boundTo: string): string;
}

export interface UserServiceOptions {
  store: Store;
  tenantId: string;
  audit: AuditLog;
  /** TOTP secrets are stored sealed, bound to the user's id. */
  secrets: SecretSealer;
  hasher?: PasswordHasher;
  now?: () => number;
  lockout?: Partial<LockoutSettings>;
}

/**
 * Users of one tenant: add, list, change role, disable, passwords, TOTP, and
 * sign-in with lockout. Every change and every sign-in is audited.
 */
export class UserService {
  readonly #o: UserServiceOptions;
  readonly #hasher: PasswordHasher;
  readonly #now: () => number;
  readonly #lockout: LockoutSettings;

  constructor(options: UserServiceOptions) {
    this.#o = options;
    this.#hasher = options.hasher ?? new PasswordHasher();
    this.#now = options.now ?? Date.now;
    this.#lockout = {
      failureLimit: DEFAULTS.loginFailureLimit,
      lockoutMs: DEFAULTS.loginLockoutMs,
      ...options.lockout,
    };
  }

  async add(input: NewUser, actor: string): Promise<UserView> {
    const name = parseUserName(input.name);
    const role = parseRole(input.role);
    const password = parseNewPassword(input.password);
    if (await this.#find(name)) {
      throw new RetractError('USER_EXISTS', `a user named ${name} exists already`, {
        failureClass: 'config',
        context: { field: 'name', user: name },
      });
    }

    const nowMs = this.#now();
    const id = randomUUID();
    await this.#o.store.db
      .insertInto('users')
      .values({
        id,
        tenant_id: this.#o.tenantId,
        name,
        role,
        password_hash: await this.#hasher.hash(password),
        totp_secret: null,
        totp_pending_secret: null,
        totp_last_step: null,
        disabled: 0,
        failed_logins: 0,
        locked_until: null,
        last_login_at: null,
        created_at: nowMs,
        updated_at: nowMs,
      })
      .execute();
    await this.#audit(actor, 'user.add', name, { role });
    return this.get(name);
  }

  async list(): Promise<UserView[]> {
    const rows = await this.#select().orderBy('name').execute();
    return rows.map(toView);
  }

  async get(name: string): Promise<UserView> {
    return toView(await this.#require(name));
  }

  /** The user behind a session, or undefined if gone. */
  async findById(id: string): Promise<UserView | undefined> {
    const row = await this.#select().where('id', '=', id).executeTakeFirst();
    return row && toView(row);
  }

  async setRole(name: string, role: string, actor: string): Promise<UserView> {
    const row = await this.#require(name);
    const next = parseRole(role);
    if (row.role === 'admin' && next !== 'admin') await this.#keepOneAdmin(row);
    await this.#update(row.id, { role: next });
    await this.#audit(actor, 'user.change_role', row.name, { from: row.role, to: next });
    return this.get(row.name);
  }

  /** A disabled user cannot sign in and their sessions stop working at once. */
  async setDisabled(name: string, disabled: boolean, actor: string): Promise<UserView> {
    const row = await this.#require(name);
    if (disabled && row.role === 'admin') await this.#keepOneAdmin(row);
    await this.#update(row.id, { disabled: disabled ? 1 : 0 });
    await this.#audit(actor, disabled ? 'user.disable' : 'user.enable', row.name);
    return this.get(row.name);
  }

  async unlock(name: string, actor: string): Promise<UserView> {
    const row = await this.#require(name);
    await this.#update(row.id, { failed_logins: 0, locked_until: null });
    await this.#audit(actor, 'user.unlock', row.name);
    return this.get(row.name);
  }

  /** An admin sets a user's password. */
  async setPassword(name: string, password: string, actor: string): Promise<void> {
    const row = await this.#require(name);
    const hash = await this.#hasher.hash(parseNewPassword(password));
    await this.#update(row.id, { password_hash: hash, failed_logins: 0, locked_until: null });
    await this.#audit(actor, 'user.set_password', row.name);
  }

  /** A user changes their own password, proving the current one. */
  async changeOwnPassword(userId: string, current: string, next: string): Promise<void> {
    const row = await this.#requireId(userId);
    if (!(await this.#hasher.verify(row.password_hash, current))) {
      throw new InputError(
        'AUTH_BAD_CREDENTIALS',
        'currentPassword',
        'currentPassword: wrong password',
      );
    }
    const hash = await this.#hasher.hash(parseNewPassword(next, 'newPassword'));
    await this.#update(row.id, { password_hash: hash });
    await this.#audit(userActor(row.name), 'user.change_password', row.name);
  }

  /**
   * Starts TOTP enrolment: a new secret, pending until `confirmTotp` proves
   * the user's app has it. Returns the secret and its otpauth:// URI, once.
   */
  async beginTotp(userId: string): Promise<{ secret: string; uri: string }> {
    // Sealed like PreAuth keys: a copy of the database plus a password must
    // not pass the second factor.
    const row = await this.#requireId(userId);
    const secret = newTotpSecret();
    await this.#update(row.id, { totp_pending_secret: this.#sealTotp(row.id, secret) });
    return { secret, uri: totpUri(secret, row.name) };
  }

  async confirmTotp(userId: string, code: string): Promise<UserView> {
    const row = await this.#requireId(userId);
    const step = row.totp_pending_secret
      ? await verifyTotp(this.#openTotp(row.id, row.totp_pending_secret), code, this.#now(), null)
      : null;
    if (step === null) throw totpInvalid();
    await this.#update(row.id, {
      totp_secret: row.totp_pending_secret,
      totp_pending_secret: null,
      totp_last_step: step,
    });
    await this.#audit(userActor(row.name), 'user.totp_enable', row.name);
    return this.get(row.name);
  }

  /** Removes a user's second factor (a lost phone); they enrol again after signing in. */
  async resetTotp(name: string, actor: string): Promise<UserView> {
    const row = await this.#require(name);
    await this.#update(row.id, {
      totp_secret: null,
      totp_pending_secret: null,
      totp_last_step: null,
    });
    await this.#audit(actor, 'user.totp_reset', row.name);
    return this.get(row.name);
  }

  /**
   * Checks a sign-in. After `failureLimit` wrong passwords or codes in a row
   * the user is locked for `lockoutMs`, and says so.
   *
   * @throws RetractError `AUTH_BAD_CREDENTIALS`, `AUTH_LOCKED`,
   *   `AUTH_TOTP_REQUIRED` (password right, code missing) or `AUTH_TOTP_INVALID`.
   */
  async authenticate(attempt: SignInAttempt): Promise<UserView> {
    const name = attempt.name.trim().toLowerCase().slice(0, 64);
    const row = await this.#find(name);
    if (!row || row.disabled === 1) {
      await this.#hasher.burn(attempt.password);
      await this.#failed(name, 'unknown_or_disabled', attempt.ip);
      throw badCredentials();
    }
    if (row.locked_until !== null && row.locked_until > this.#now()) {
      await this.#failed(name, 'locked', attempt.ip);
      throw lockedOut(name, row.locked_until, this.#lockout.failureLimit);
    }

    if (!(await this.#hasher.verify(row.password_hash, attempt.password))) {
      throw await this.#countFailure(row, 'bad_password', badCredentials(), attempt.ip);
    }
    const step = await this.#checkTotp(row, attempt);

    await this.#update(row.id, {
      failed_logins: 0,
      locked_until: null,
      last_login_at: this.#now(),
      ...(step === null ? {} : { totp_last_step: step }),
    });
    await this.#audit(userActor(row.name), 'auth.login', row.name, { ip: attempt.ip ?? null });
    return this.get(row.name);
  }

  async #checkTotp(row: UserRow, attempt: SignInAttempt): Promise<number | null> {
    if (row.totp_secret === null) return null;
    if (!attempt.totpCode) throw totpRequired();
    const lastStep = row.totp_last_step === null ? null : Number(row.totp_last_step);
    const secret = this.#openTotp(row.id, row.totp_secret);
    const step = await verifyTotp(secret, attempt.totpCode, this.#now(), lastStep);
    if (step === null) throw await this.#countFailure(row, 'bad_totp', totpInvalid(), attempt.ip);
    return step;
  }

  /** Counts a failure and returns the error to throw: the lockout one when it is reached. */
  async #countFailure(
    row: UserRow,
    reason: string,
    err: RetractError,
    ip: string | undefined,
  ): Promise<RetractError> {
    const updated = await this.#o.store.db
      .updateTable('users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1), updated_at: this.#now() }))
      .where('id', '=', row.id)
      .returning('failed_logins')
      .executeTakeFirstOrThrow();
    await this.#failed(row.name, reason, ip);
    if (updated.failed_logins < this.#lockout.failureLimit) return err;

    const untilMs = this.#now() + this.#lockout.lockoutMs;
    await this.#update(row.id, { failed_logins: 0, locked_until: untilMs });
    await this.#audit('system', 'auth.locked', row.name, {
      until: new Date(untilMs).toISOString(),
    });
    return lockedOut(row.name, untilMs, this.#lockout.failureLimit);
  }

  async #failed(name: string, reason: string, ip: string | undefined): Promise<void> {
    await this.#audit('anonymous', 'auth.login_failed', name, { reason, ip: ip ?? null });
  }

  async #keepOneAdmin(row: UserRow): Promise<void> {
    const others = await this.#select()
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .where('id', '!=', row.id)
      .execute();
    if (others.length === 0) throw lastAdmin(row.name);
  }

  #select() {
    return this.#o.store.db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', this.#o.tenantId);
  }

  async #find(name: string): Promise<UserRow | undefined> {
    return this.#select().where('name', '=', name).executeTakeFirst();
  }

  async #require(name: string): Promise<UserRow> {
    const normal = name.trim().toLowerCase();
    const row = await this.#find(normal);
    if (!row) throw userNotFound(normal);
    return row;
  }

  #sealTotp(userId: string, secret: string): string {
    return this.#o.secrets.seal(secret, `totp:${userId}`);
  }

  #openTotp(userId: string, sealed: string): string {
    return this.#o.secrets.open(sealed, `totp:${userId}`);
  }

  async #requireId(id: string): Promise<UserRow> {
    const row = await this.#select().where('id', '=', id).executeTakeFirst();
    if (!row) throw userNotFound(id);
    return row;
  }

  async #update(id: string, values: Partial<Omit<UserRow, 'id' | 'tenant_id'>>): Promise<void> {
    await this.#o.store.db
      .updateTable('users')
      .set({ ...values, updated_at: this.#now() })
      .where('id', '=', id)
      .where('tenant_id', '=', this.#o.tenantId)
      .execute();
  }

  async #audit(actor: string, action: string, target: string, details?: Record<string, unknown>) {
    await this.#o.audit.append({ actor, action, target, ...(details ? { details } : {}) });
  }
}

function toView(row: UserRow): UserView {
  return {
    id: row.id,
    name: row.name,
    role: parseRole(row.role),
    disabled: row.disabled === 1,
    totpEnabled: row.totp_secret !== null,
    lockedUntilMs: row.locked_until === null ? null : Number(row.locked_until),
    lastLoginAtMs: row.last_login_at === null ? null : Number(row.last_login_at),
    createdAtMs: Number(row.created_at),
  };
}
