import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/index.js';

/** A process's name in leases: `host:pid:instance`. */
export function leaseOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Leases on retractions: one process at a time works on a retraction. A
 * lease lasts `ttlMs` unless renewed; one held by a process of this host
 * that no longer exists is taken over at once, so `resume` right after a
 * crash does not wait for it to expire.
 */
export class LeaseRepo {
  readonly #store: Store;
  readonly #tenantId: string;
  readonly #now: () => number;

  constructor(store: Store, tenantId: string, now: () => number) {
    this.#store = store;
    this.#tenantId = tenantId;
    this.#now = now;
  }

  /** Takes or renews the lease; returns the holder's owner id if someone else has it. */
  async acquire(retractionId: string, owner: string, ttlMs: number): Promise<string | null> {
    return this.#store.db.transaction().execute(async (trx) => {
      const nowMs = this.#now();
      const held = await trx
        .selectFrom('retraction_leases')
        .select(['owner', 'expires_at'])
        .where('retraction_id', '=', retractionId)
        .executeTakeFirst();
      const free =
        !held ||
        held.owner === owner ||
        Number(held.expires_at) < nowMs ||
        isDeadLocalProcess(held.owner);
      if (!free) return held.owner;

      const values = { owner, expires_at: nowMs + ttlMs };
      await trx
        .insertInto('retraction_leases')
        .values({ retraction_id: retractionId, tenant_id: this.#tenantId, ...values })
        .onConflict((oc) => oc.column('retraction_id').doUpdateSet(values))
        .execute();
      return null;
    });
  }

  async release(retractionId: string, owner: string): Promise<void> {
    await this.#store.db
      .deleteFrom('retraction_leases')
      .where('retraction_id', '=', retractionId)
      .where('owner', '=', owner)
      .execute();
  }
}

function isDeadLocalProcess(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  if (host !== hostname() || !pidText) return false;
  try {
    process.kill(Number(pidText), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
