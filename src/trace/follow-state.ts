import type { Store } from '../store/index.js';
import type { QueueSnapshot } from './queue-snapshot.js';

/** Where `trace follow` stopped in one file, and what its parser held open. */
export interface FollowState {
  /** `dev:inode` of the file read. */
  fileId: string;
  /** Bytes read, up to the end of the last whole line taken in. */
  offsetBytes: number;
  /** SHA-256 (hex) of the bytes just before `offsetBytes`: tells a truncated or replaced file. */
  tailHash: string;
  parser: QueueSnapshot | null;
}

/** The `trace_sources` rows of one tenant: one per followed file. */
export class FollowStateStore {
  readonly #store: Store;
  readonly #tenantId: string;
  readonly #now: () => number;

  constructor(store: Store, tenantId: string, now: () => number = Date.now) {
    this.#store = store;
    this.#tenantId = tenantId;
    this.#now = now;
  }

  async load(name: string): Promise<FollowState | null> {
    const row = await this.#store.db
      .selectFrom('trace_sources')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (row === undefined) return null;
    return {
      fileId: row.file_id,
      offsetBytes: Number(row.offset_bytes),
      tailHash: row.line_hash,
      parser: JSON.parse(row.parser_state) as QueueSnapshot | null,
    };
  }

  async save(name: string, state: FollowState): Promise<void> {
    const values = {
      file_id: state.fileId,
      offset_bytes: state.offsetBytes,
      line_hash: state.tailHash,
      parser_state: JSON.stringify(state.parser),
      updated_at: this.#now(),
    };
    await this.#store.db
      .insertInto('trace_sources')
      .values({ tenant_id: this.#tenantId, name, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'name']).doUpdateSet(values))
      .execute();
  }
}
