import type { Expression, RawBuilder, SqlBool } from 'kysely';

/**
 * Conditions on `deliveries.subject_id` for trace search, in the back end's
 * own SQL (SQLite: FTS5 and a folded column; PostgreSQL would use a tsvector
 * and pg_trgm). Both are case- and accent-insensitive.
 */
export interface SubjectSearch {
  /** The subject holds every one of `words` as a whole word; `words` is non-empty. */
  hasWords(tenantId: string, words: readonly string[]): Expression<SqlBool>;
  /** How many distinct subjects hold every one of `words`: a scalar subquery. */
  countWithWords(tenantId: string, words: readonly string[]): RawBuilder<number>;
  /** The subject contains `text` anywhere. */
  contains(tenantId: string, text: string): Expression<SqlBool>;
}
