import type SQLite from 'better-sqlite3';

const keyOf = (queueId: string, recipient: string) => `${queueId}\u0000${recipient}`;

/**
 * The (queue id, recipient) keys of the tenant's pending rows (deferred, or
 * handed to a filter), in memory, so the writer looks for a row to merge
 * into only when one may exist: about one record in a hundred instead of
 * every one. Rows this writer makes pending are added as it goes; the set is
 * read again from the database once it has doubled, which drops the keys
 * whose rows have since been resolved, so it stays as small as the pending
 * rows themselves.
 *
 * FIXME: a row another connection makes pending while this writer runs is
 * not seen; a final record for the same delivery written here then becomes
 * a second row. Only two imports of the same log at once can cause it.
 */
export class PendingKeys {
  readonly #select: SQLite.Statement;
  readonly #tenantId: string;
  #keys = new Set<string>();
  #reloadAt = 0;

  constructor(db: SQLite.Database, tenantId: string) {
    this.#tenantId = tenantId;
    this.#select = db
      .prepare(
        `SELECT queue_id, recipient FROM deliveries
        WHERE tenant_id = ? AND status IN ('deferred', 'filtered')`,
      )
      .raw();
    this.reload();
  }

  /** Reads the keys again if the set has doubled since the last read. Call inside a transaction. */
  refresh(): void {
    if (this.#keys.size > this.#reloadAt) this.reload();
  }

  reload(): void {
    const keys = new Set<string>();
    for (const [queueId, recipient] of this.#select.iterate(this.#tenantId) as Iterable<
      [string, string]
    >) {
      keys.add(keyOf(queueId, recipient));
    }
    this.#keys = keys;
    this.#reloadAt = 2 * keys.size + 10_000;
  }

  mayHave(queueId: string, recipient: string): boolean {
    return this.#keys.has(keyOf(queueId, recipient));
  }

  add(queueId: string, recipient: string): void {
    this.#keys.add(keyOf(queueId, recipient));
  }
}
