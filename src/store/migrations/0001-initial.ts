import { sql, type Kysely } from 'kysely';

/**
 * The first schema. `tenant_id` is on every tenant-owned table from the start,
 * so a second tenant is a row, not a migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('domains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('soap_url', 'text', (c) => c.notNull())
    .addColumn('soap_url_kind', 'text', (c) => c.notNull())
    .addColumn('preauth_key_enc', 'text', (c) => c.notNull())
    .addColumn('key_fingerprint', 'text', (c) => c.notNull())
    .addColumn('key_set_at', 'bigint', (c) => c.notNull())
    .addColumn('ca_pem', 'text')
    .addColumn('max_concurrency', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('domains_tenant_name', ['tenant_id', 'name'])
    .execute();

  await createDeliveries(db);
  await createRetractions(db);
  await createMailboxTasks(db);
  await createAuditLog(db);
}

async function createDeliveries(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('time_ms', 'bigint', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('message_id_raw', 'text')
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('queue_ids', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('original_recipient', 'text')
    .addColumn('size_bytes', 'bigint')
    .addColumn('client_address', 'text')
    .addColumn('client_host', 'text')
    .addColumn('subject', 'text')
    .addColumn('subject_raw', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dsn', 'text')
    .addColumn('relay', 'text')
    .addColumn('detail', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('deliveries_queue_recipient', ['tenant_id', 'queue_id', 'recipient'])
    .execute();

  const indexes: [string, string[]][] = [
    ['deliveries_message_id', ['tenant_id', 'message_id']],
    ['deliveries_recipient_time', ['tenant_id', 'recipient', 'time_ms']],
    ['deliveries_sender_time', ['tenant_id', 'sender', 'time_ms']],
    ['deliveries_time', ['tenant_id', 'time_ms']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on('deliveries').columns(columns).execute();
  }
}

async function createRetractions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('retractions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('restore_status', 'text')
    .addColumn('restored_at', 'bigint')
    .execute();

  await db.schema
    .createIndex('retractions_tenant_created')
    .on('retractions')
    .columns(['tenant_id', 'created_at'])
    .execute();
}

async function createMailboxTasks(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mailbox_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('retraction_id', 'text', (c) => c.notNull().references('retractions.id'))
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('error_class', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('receipt', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('mailbox_tasks_retraction_account', ['retraction_id', 'account'])
    .execute();

  await db.schema
    .createIndex('mailbox_tasks_state')
    .on('mailbox_tasks')
    .columns(['tenant_id', 'state'])
    .execute();
}

async function createAuditLog(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  // Append-only: the database itself refuses to change or remove an audit
  // row, so no code path (and no stray SQL from a console) rewrites history
  // unnoticed. SQLite trigger syntax; the hash chain catches what a trigger
  // cannot (a file edited outside SQLite).
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
}
