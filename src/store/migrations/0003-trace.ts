import { sql, type Kysely } from 'kysely';
import { foldText } from '../fold-text.js';

/**
 * The trace at ten million deliveries: `deliveries` rebuilt around a UTC day
 * number (`time_bucket`), subjects in their own table with a word index, and
 * the state of `trace follow`.
 *
 * Why the day leads the keys: queue ids, Message-IDs, senders and recipients
 * arrive in random order, so an index led by them takes every insert at a
 * random page, and an import of millions of rows spends its time walking
 * and rewriting the whole index. Led by the day, today's inserts land in
 * today's small corner of each index. A search names the days it covers
 * (store/time-buckets.ts), a few hundred seeks at most.
 *
 * The unique key becomes (day, queue id, recipient, tenant). A delivery whose
 * first attempt was deferred on an earlier day is found through the small
 * partial index of rows still pending (deferred or handed to a filter), so it
 * stays one row; see store/sqlite-delivery-writer.ts.
 *
 * Subjects: one row per distinct subject per tenant (a campaign to 4,000
 * mailboxes has one), an FTS5 index of their words (unicode61 without
 * diacritics) and a folded copy for substring search. PostgreSQL would put
 * a tsvector GIN and a pg_trgm index on the same table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createSubjects(db);
  await rebuildDeliveries(db);
  await createTraceSources(db);
  await fillSubjects(db);
}

async function createSubjects(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trace_subjects')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('subject_folded', 'text', (c) => c.notNull())
    .addUniqueConstraint('trace_subjects_tenant_subject', ['tenant_id', 'subject'])
    .execute();
  // Contentless: a search needs only the ids of matching subjects.
  await sql`CREATE VIRTUAL TABLE trace_subject_words USING fts5(
    subject, content='', tokenize='unicode61 remove_diacritics 2')`.execute(db);
}

async function rebuildDeliveries(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deliveries_new')
    // No AUTOINCREMENT: it writes sqlite_sequence on every insert, and ids
    // still only grow while the newest row is never deleted.
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('time_ms', 'bigint', (c) => c.notNull())
    .addColumn('time_bucket', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('message_id_raw', 'text')
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('queue_ids', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('header_from', 'text')
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('original_recipient', 'text')
    .addColumn('size_bytes', 'bigint')
    .addColumn('client_address', 'text')
    .addColumn('client_host', 'text')
    .addColumn('subject', 'text')
    .addColumn('subject_raw', 'text')
    .addColumn('subject_id', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dsn', 'text')
    .addColumn('relay', 'text')
    .addColumn('detail', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('deliveries_day_queue_recipient', [
      'time_bucket',
      'queue_id',
      'recipient',
      'tenant_id',
    ])
    .execute();

  await sql`INSERT INTO deliveries_new (id, tenant_id, time_ms, time_bucket, message_id,
      message_id_raw, queue_id, queue_ids, sender, recipient, original_recipient, size_bytes,
      client_address, client_host, subject, subject_raw, status, dsn, relay, detail, source,
      imported_at)
    SELECT id, tenant_id, time_ms, time_ms / 86400000, message_id, message_id_raw, queue_id,
      queue_ids, sender, recipient, original_recipient, size_bytes, client_address, client_host,
      subject, subject_raw, status, dsn, relay, detail, source, imported_at
    FROM deliveries`.execute(db);
  await db.schema.dropTable('deliveries').execute();
  await sql`ALTER TABLE deliveries_new RENAME TO deliveries`.execute(db);
  await createDeliveryIndexes(db);
}

async function createDeliveryIndexes(db: Kysely<unknown>): Promise<void> {
  // The tenant comes after the values searched for: it tells rows apart only
  // when all else is equal, so putting it first would only lengthen every
  // comparison an insert makes. Searches name it, so it is still matched in
  // the index.
  const indexes: [string, string[]][] = [
    ['deliveries_message_id', ['time_bucket', 'message_id', 'tenant_id']],
    ['deliveries_recipient', ['time_bucket', 'recipient', 'tenant_id', 'time_ms']],
    ['deliveries_sender', ['time_bucket', 'sender', 'tenant_id', 'time_ms']],
    ['deliveries_time', ['tenant_id', 'time_ms']],
    // Subject ids belong to one tenant and grow as new subjects come: no day needed.
    ['deliveries_subject', ['subject_id', 'time_ms']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on('deliveries').columns(columns).execute();
  }
  await sql`CREATE INDEX deliveries_pending ON deliveries (queue_id, recipient, tenant_id, time_ms)
    WHERE status IN ('deferred', 'filtered')`.execute(db);
}

/** Where `trace follow` stopped in each file it follows, and what the parser held open. */
async function createTraceSources(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trace_sources')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('offset_bytes', 'bigint', (c) => c.notNull())
    .addColumn('line_hash', 'text', (c) => c.notNull())
    .addColumn('parser_state', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('trace_sources_pk', ['tenant_id', 'name'])
    .execute();
}

/** Gives deliveries imported before this migration their subject ids. */
async function fillSubjects(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ tenant_id: string; subject: string }>`
    SELECT DISTINCT tenant_id, subject FROM deliveries WHERE subject IS NOT NULL`.execute(db);
  for (const row of rows) {
    const { rows: inserted } = await sql<{ id: number }>`
      INSERT INTO trace_subjects (tenant_id, subject, subject_folded)
      VALUES (${row.tenant_id}, ${row.subject}, ${foldText(row.subject)}) RETURNING id`.execute(db);
    const id = inserted[0]?.id;
    await sql`INSERT INTO trace_subject_words (rowid, subject) VALUES (${id}, ${row.subject})`.execute(
      db,
    );
  }
  await sql`UPDATE deliveries SET subject_id = (
    SELECT s.id FROM trace_subjects s
    WHERE s.tenant_id = deliveries.tenant_id AND s.subject = deliveries.subject)
    WHERE subject IS NOT NULL`.execute(db);
}
