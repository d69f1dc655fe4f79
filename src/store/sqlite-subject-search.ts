import { sql } from 'kysely';
import { foldText } from './fold-text.js';
import type { SubjectSearch } from './subject-search.js';

/** An FTS5 string literal: in double quotes, inner quotes doubled; operators lose their meaning. */
function quoteFtsWord(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

/** Every word, as a phrase of its own: `"free" "gift"` matches subjects holding both. */
function toFtsQuery(words: readonly string[]): string {
  return words.map(quoteFtsWord).join(' ');
}

/**
 * Word search through the FTS5 index of distinct subjects (unicode61,
 * diacritics removed, so `koln` finds `Köln`); substring search over their
 * folded text. Either way the matching subject ids are few next to the
 * deliveries, and `deliveries_subject_time` takes it from there.
 */
export const sqliteSubjectSearch: SubjectSearch = {
  hasWords(_tenantId, words) {
    return sql<boolean>`deliveries.subject_id IN (
      SELECT rowid FROM trace_subject_words WHERE trace_subject_words MATCH ${toFtsQuery(words)})`;
  },

  countWithWords(_tenantId, words) {
    return sql<number>`(SELECT count(*) FROM trace_subject_words
      WHERE trace_subject_words MATCH ${toFtsQuery(words)})`;
  },

  contains(tenantId, text) {
    // Every subject is read either way; through the (tenant, subject) index
    // that would be one random table read per subject, so the tenant test is
    // kept off the index and the table is read in order instead.
    return sql<boolean>`deliveries.subject_id IN (
      SELECT id FROM trace_subjects
      WHERE tenant_id || '' = ${tenantId} AND instr(subject_folded, ${foldText(text)}) > 0)`;
  },
};
