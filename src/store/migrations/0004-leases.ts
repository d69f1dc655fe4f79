import type { Kysely } from 'kysely';

/**
 * Who is working on a retraction right now. Two processes must never run
 * the same retraction's tasks at once: the second would search mailboxes the
 * first is moving and record the quarantine as a copy's original folder.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('retraction_leases')
    .addColumn('retraction_id', 'text', (c) => c.primaryKey().references('retractions.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}
