import { createHash } from 'node:crypto';
import type { AuditLogRow, Store } from '../store/index.js';

/** The hash that stands before the first entry of a tenant's chain. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  actor: string;
  /** What happened, dotted: `domain.add`, `retraction.create`, `retraction.restore`. */
  action: string;
  /** What it happened to: a domain name, a retraction id. */
  target: string;
  /** Facts worth keeping. Never secrets: callers pass fingerprints, not keys. */
  details?: Record<string, unknown>;
}

export interface AuditRecord extends Required<AuditEntry> {
  seq: number;
  atMs: number;
  hash: string;
}

export interface AuditFilter {
  action?: string;
  target?: string;
  actor?: string;
  afterMs?: number;
  beforeMs?: number;
  /** Only entries older than this one: the paging cursor. */
  beforeSeq?: number;
  /** Default 100. */
  limit?: number;
}

export interface ChainCheck {
  ok: boolean;
  entries: number;
  /** The first entry whose hash does not follow from its content and predecessor. */
  brokenAtSeq: number | null;
}

/**
 * The append-only, hash-chained audit log of one tenant. Each entry's hash
 * covers its content and the previous entry's hash, so an edit or a removal
 * anywhere breaks every later link and `verify` finds it.
 */
export class AuditLog {
  readonly #store: Store;
  readonly #tenantId: string;
  readonly #now: () => number;

  constructor(store: Store, tenantId: string, now: () => number = Date.now) {
    this.#store = store;
    this.#tenantId = tenantId;
    this.#now = now;
  }

  /** Appends one entry; serialised in a transaction so the chain never forks. */
  async append(entry: AuditEntry): Promise<AuditRecord> {
    return this.#store.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('audit_log')
        .select('hash')
        .where('tenant_id', '=', this.#tenantId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();

      const prevHash = last?.hash ?? GENESIS_HASH;
      const atMs = this.#now();
      const details = JSON.stringify(entry.details ?? {});
      const hash = hashEntry(prevHash, { atMs, ...entry, details });
      const row = await trx
        .insertInto('audit_log')
        .values({
          tenant_id: this.#tenantId,
          at_ms: atMs,
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
          details,
          prev_hash: prevHash,
          hash,
        })
        .returning('seq')
        .executeTakeFirstOrThrow();
      return { ...entry, details: entry.details ?? {}, seq: row.seq, atMs, hash };
    });
  }

  /**
   * Entries newest first, filtered by any mix of action, target, actor and
   * time (`afterMs` inclusive, `beforeMs` exclusive). `beforeSeq` pages:
   * pass the last `seq` of a page to get the next one.
   */
  async list(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    let query = this.#store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId);
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.target) query = query.where('target', '=', filter.target);
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (filter.afterMs !== undefined) query = query.where('at_ms', '>=', filter.afterMs);
    if (filter.beforeMs !== undefined) query = query.where('at_ms', '<', filter.beforeMs);
    if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
    const rows = await query
      .orderBy('seq', 'desc')
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map(toRecord);
  }

  /** Recomputes the whole chain. */
  async verify(): Promise<ChainCheck> {
    const rows = await this.#store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId)
      .orderBy('seq', 'asc')
      .execute();

    let prevHash = GENESIS_HASH;
    for (const row of rows) {
      const expected = hashEntry(prevHash, {
        atMs: Number(row.at_ms),
        actor: row.actor,
        action: row.action,
        target: row.target,
        details: row.details,
      });
      if (row.prev_hash !== prevHash || row.hash !== expected) {
        return { ok: false, entries: rows.length, brokenAtSeq: row.seq };
      }
      prevHash = row.hash;
    }
    return { ok: true, entries: rows.length, brokenAtSeq: null };
  }
}

interface HashedFields {
  atMs: number;
  actor: string;
  action: string;
  target: string;
  details: string;
}

function hashEntry(prevHash: string, f: HashedFields): string {
  // A JSON array keeps field boundaries unambiguous ("ab"+"c" vs "a"+"bc").
  const content = JSON.stringify([prevHash, f.atMs, f.actor, f.action, f.target, f.details]);
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

function toRecord(row: AuditLogRow): AuditRecord {
  return {
    seq: row.seq,
    atMs: Number(row.at_ms),
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: JSON.parse(row.details) as Record<string, unknown>,
    hash: row.hash,
  };
}
