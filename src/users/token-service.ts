import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/index.js';
import { RetractError } from '../errors/index.js';
import type { ApiTokenRow, Store } from '../store/index.js';
import { tokenActor, type Principal } from './principal.js';
import { parseRole, type Role } from './roles.js';
import { hashSecret, randomSecret } from './secret-token.js';
import { parseTokenName } from './token-input.js';

/** What may be shown of a token after its creation: never the token. */
export interface TokenView {
  id: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAtMs: number;
  expiresAtMs: number;
  lastUsedAtMs: number | null;
  revoked: boolean;
}

export interface NewToken {
  name: string;
  role: string;
  lifetimeMs: number;
}

export interface TokenServiceOptions {
  store: Store;
  tenantId: string;
  audit: AuditLog;
  now?: () => number;
}

/** Tokens start with this, so secret scanners and log reviewers can spot them. */
export const TOKEN_PREFIX = 'rt_';

/** Writes of `last_used_at` are skipped when the last one is more recent than this. */
const TOUCH_EVERY_MS = 60_000;

/**
 * API tokens for automation: `rt_<random>`, shown once at creation and
 * stored as SHA-256. Each carries a role and an expiry, like a user.
 */
export class TokenService {
  readonly #o: TokenServiceOptions;
  readonly #now: () => number;

  constructor(options: TokenServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Creates a token; the returned `token` is the only copy there will ever be. */
  async create(input: NewToken, actor: string): Promise<{ token: string; view: TokenView }> {
    const name = parseTokenName(input.name);
    const role = parseRole(input.role);
    const token = `${TOKEN_PREFIX}${randomSecret()}`;
    const nowMs = this.#now();
    const id = randomUUID();
    await this.#o.store.db
      .insertInto('api_tokens')
      .values({
        id,
        tenant_id: this.#o.tenantId,
        name,
        role,
        token_hash: hashSecret(token),
        created_by: actor,
        created_at: nowMs,
        expires_at: nowMs + input.lifetimeMs,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    await this.#o.audit.append({
      actor,
      action: 'token.create',
      target: id,
      details: { name, role, expiresAt: new Date(nowMs + input.lifetimeMs).toISOString() },
    });
    return { token, view: toView(await this.#require(id)) };
  }

  /** Tokens, newest first, revoked and expired ones included. */
  async list(): Promise<TokenView[]> {
    const rows = await this.#select().orderBy('created_at', 'desc').execute();
    return rows.map(toView);
  }

  async revoke(id: string, actor: string): Promise<TokenView> {
    const row = await this.#require(id);
    if (row.revoked_at === null) {
      await this.#o.store.db
        .updateTable('api_tokens')
        .set({ revoked_at: this.#now() })
        .where('id', '=', row.id)
        .execute();
      await this.#o.audit.append({
        actor,
        action: 'token.revoke',
        target: row.id,
        details: { name: row.name },
      });
    }
    return toView(await this.#require(id));
  }

  /** The principal of a bearer token, or null when unknown, revoked or expired. */
  async resolve(token: string): Promise<Principal | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const row = await this.#select().where('token_hash', '=', hashSecret(token)).executeTakeFirst();
    const nowMs = this.#now();
    if (!row || row.revoked_at !== null || Number(row.expires_at) <= nowMs) return null;

    const lastUsed = row.last_used_at === null ? null : Number(row.last_used_at);
    if (lastUsed === null || nowMs - lastUsed >= TOUCH_EVERY_MS) {
      await this.#o.store.db
        .updateTable('api_tokens')
        .set({ last_used_at: nowMs })
        .where('id', '=', row.id)
        .execute();
    }
    return {
      kind: 'token',
      role: parseRole(row.role),
      actor: tokenActor(row.name),
      tokenId: row.id,
      tokenName: row.name,
    };
  }

  #select() {
    return this.#o.store.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('tenant_id', '=', this.#o.tenantId);
  }

  async #require(id: string): Promise<ApiTokenRow> {
    const row = await this.#select().where('id', '=', id).executeTakeFirst();
    if (row) return row;
    throw new RetractError('TOKEN_NOT_FOUND', `no API token with id ${id}`, {
      failureClass: 'config',
      context: { field: 'id' },
    });
  }
}

function toView(row: ApiTokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: parseRole(row.role),
    createdBy: row.created_by,
    createdAtMs: Number(row.created_at),
    expiresAtMs: Number(row.expires_at),
    lastUsedAtMs: row.last_used_at === null ? null : Number(row.last_used_at),
    revoked: row.revoked_at !== null,
  };
}
