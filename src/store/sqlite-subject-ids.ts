import type SQLite from 'better-sqlite3';
import { foldText } from './fold-text.js';

/** Subjects whose ids are kept in memory; past it the cache starts over. */
const CACHE_LIMIT = 100_000;

/**
 * Ids of distinct subjects (`trace_subjects`), creating a subject the first
 * time it is seen. A bounded cache saves the lookup for the recipients of
 * one message and for a campaign's many messages.
 *
 * New subjects reach the word index in one statement per batch
 * (`indexNewSubjects`): FTS5 writes its pending terms to disk at the start
 * of every statement that touches it, so one insert per subject would cost
 * a flush and a merge each.
 */
export class SubjectIds {
  readonly #tenantId: string;
  readonly #select: SQLite.Statement;
  readonly #insert: SQLite.Statement;
  readonly #indexWords: SQLite.Statement;
  #cache = new Map<string, number>();
  #firstNewId: number | null = null;

  constructor(db: SQLite.Database, tenantId: string) {
    this.#tenantId = tenantId;
    this.#select = db
      .prepare('SELECT id FROM trace_subjects WHERE tenant_id = ? AND subject = ?')
      .pluck();
    this.#insert = db
      .prepare(
        `INSERT INTO trace_subjects (tenant_id, subject, subject_folded) VALUES (?, ?, ?)
        ON CONFLICT DO NOTHING RETURNING id`,
      )
      .pluck();
    this.#indexWords = db.prepare(
      'INSERT INTO trace_subject_words (rowid, subject) SELECT id, subject FROM trace_subjects WHERE id >= ?',
    );
  }

  /** Must run inside the caller's transaction: a rolled-back id must not stay cached. */
  idOf(subject: string): number {
    const cached = this.#cache.get(subject);
    if (cached !== undefined) return cached;

    // Most subjects missing from the cache are new: try the insert first.
    let id = this.#insert.get(this.#tenantId, subject, foldText(subject)) as number | undefined;
    if (id === undefined) id = this.#select.get(this.#tenantId, subject) as number;
    else this.#firstNewId ??= id;
    if (this.#cache.size >= CACHE_LIMIT) this.#cache = new Map();
    this.#cache.set(subject, id);
    return id;
  }

  /**
   * Adds the subjects created since the last call to the word index. Call it
   * before the transaction commits; the write lock it holds means every
   * subject id from the first new one on is this batch's.
   */
  indexNewSubjects(): void {
    if (this.#firstNewId === null) return;
    this.#indexWords.run(this.#firstNewId);
    this.#firstNewId = null;
  }

  /** Forgets every id, after a transaction that may have created some was rolled back. */
  clear(): void {
    this.#cache = new Map();
    this.#firstNewId = null;
  }
}
