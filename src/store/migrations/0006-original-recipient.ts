import { sql, type Kysely } from 'kysely';

/**
 * A recipient search also finds mail sent to an alias or a distribution
 * list and delivered to the mailbox behind it (Postfix logs the address
 * before expansion as `orig_to=`). Partial, so the many deliveries without
 * one cost an import nothing; led by the day like the recipient index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Stored in lower case from now on, as recipients are. SQLite's lower()
  // folds ASCII only; a non-ASCII alias stored before keeps its case.
  await sql`UPDATE deliveries SET original_recipient = lower(original_recipient)
    WHERE original_recipient <> lower(original_recipient)`.execute(db);
  await sql`CREATE INDEX deliveries_original_recipient
    ON deliveries (time_bucket, original_recipient, tenant_id, time_ms)
    WHERE original_recipient IS NOT NULL`.execute(db);
}
