import type { Kysely } from 'kysely';

/**
 * A domain's request-rate cap toward its Zimbra host: null for the default,
 * 0 for none (the admin put Retract on zimbraHttpThrottleSafeIPs).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('domains').addColumn('requests_per_second', 'integer').execute();
}
