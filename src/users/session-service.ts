import { DEFAULTS } from '../config/index.js';
import type { Store } from '../store/index.js';
import { userActor, type Principal } from './principal.js';
import { parseRole } from './roles.js';
import { hashSecret, randomSecret } from './secret-token.js';

export interface SessionSettings {
  /** A session ends this long after sign-in, however active. */
  lifetimeMs: number;
  /** A session unused this long ends. */
  idleMs: number;
}

export interface SessionServiceOptions {
  store: Store;
  tenantId: string;
  now?: () => number;
  settings?: Partial<SessionSettings>;
}

/** A new session: the id goes into the cookie and nowhere else. */
export interface NewSession {
  id: string;
  csrfToken: string;
  expiresAtMs: number;
}

/** Idle time under which `resolve` does not write `last_seen_at` again. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sessions. The random id lives only in the browser's cookie;
 * the store keeps its SHA-256, so a copy of the database opens no session.
 * Each session has its own CSRF token, sent back in a header on every
 * state-changing call.
 */
export class SessionService {
  readonly #o: SessionServiceOptions;
  readonly #now: () => number;
  readonly #settings: SessionSettings;

  constructor(options: SessionServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#settings = {
      lifetimeMs: DEFAULTS.sessionLifetimeMs,
      idleMs: DEFAULTS.sessionIdleMs,
      ...options.settings,
    };
  }

  get settings(): Readonly<SessionSettings> {
    return this.#settings;
  }

  async create(userId: string): Promise<NewSession> {
    const id = randomSecret();
    const csrfToken = randomSecret();
    const nowMs = this.#now();
    const expiresAtMs = nowMs + this.#settings.lifetimeMs;
    await this.#o.store.db
      .insertInto('sessions')
      .values({
        id_hash: hashSecret(id),
        tenant_id: this.#o.tenantId,
        user_id: userId,
        csrf_token: csrfToken,
        created_at: nowMs,
        last_seen_at: nowMs,
        expires_at: expiresAtMs,
      })
      .execute();
    return { id, csrfToken, expiresAtMs };
  }

  /**
   * The principal of a session id from a cookie, or null when the session is
   * unknown, expired, idle too long, or its user is disabled.
   */
  async resolve(id: string): Promise<Principal | null> {
    const idHash = hashSecret(id);
    const row = await this.#o.store.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.csrf_token',
        'sessions.last_seen_at',
        'sessions.expires_at',
        'users.id as user_id',
        'users.name',
        'users.role',
        'users.disabled',
      ])
      .where('sessions.id_hash', '=', idHash)
      .where('sessions.tenant_id', '=', this.#o.tenantId)
      .executeTakeFirst();
    if (!row || row.disabled === 1) return null;

    const nowMs = this.#now();
    const lastSeen = Number(row.last_seen_at);
    if (Number(row.expires_at) <= nowMs || lastSeen + this.#settings.idleMs <= nowMs) {
      await this.#delete(idHash);
      return null;
    }
    if (nowMs - lastSeen >= TOUCH_EVERY_MS) await this.#touch(idHash, nowMs);

    return {
      kind: 'session',
      role: parseRole(row.role),
      actor: userActor(row.name),
      userId: row.user_id,
      userName: row.name,
      sessionIdHash: idHash,
      csrfToken: row.csrf_token,
    };
  }

  /** Ends one session (sign-out). */
  async end(idHash: string): Promise<void> {
    await this.#delete(idHash);
  }

  /** Ends every session of a user: after a password change, role change or disable. */
  async endAllOf(userId: string): Promise<void> {
    await this.#o.store.db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where('tenant_id', '=', this.#o.tenantId)
      .execute();
  }

  /** Removes sessions past their end; cheap to call now and then. */
  async sweep(): Promise<number> {
    const nowMs = this.#now();
    const result = await this.#o.store.db
      .deleteFrom('sessions')
      .where('tenant_id', '=', this.#o.tenantId)
      .where((eb) =>
        eb.or([
          eb('expires_at', '<=', nowMs),
          eb('last_seen_at', '<=', nowMs - this.#settings.idleMs),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async #delete(idHash: string): Promise<void> {
    await this.#o.store.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async #touch(idHash: string, nowMs: number): Promise<void> {
    await this.#o.store.db
      .updateTable('sessions')
      .set({ last_seen_at: nowMs })
      .where('id_hash', '=', idHash)
      .execute();
  }
}
