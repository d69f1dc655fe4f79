import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { RetractError } from '../errors/index.js';

/**
 * Opens (creating if needed) the SQLite file with the pragmas every
 * connection of Retract uses.
 *
 * @throws RetractError `STORE_OPEN_FAILED` (class `config`, context `path`).
 */
export function openDatabaseFile(path: string): SQLite.Database {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const sqlite = new SQLite(path);
    // The file holds sealed keys and who received what: owner only. SQLite
    // gives its -wal and -shm files the same mode.
    chmodSync(path, 0o600);
    // WAL lets the CLI read while a long retraction writes; NORMAL sync is
    // durable across a process crash, which is the failure we design for.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    return sqlite;
  } catch (err) {
    throw new RetractError('STORE_OPEN_FAILED', `cannot open the database at ${path}`, {
      failureClass: 'config',
      cause: err,
      context: { path },
    });
  }
}
