import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/** Makes fresh directories and removes them all when `cleanUp` runs its hook. */
function tempDirs(prefix: string, cleanUp: (hook: () => void) => void): () => string {
  const made: string[] = [];
  cleanUp(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/** A fresh directory per test, removed after it. */
export function useTempDir(prefix = 'retract-test-'): () => string {
  return tempDirs(prefix, afterEach);
}

/**
 * A directory that lives as long as the enclosing suite: for state built in
 * `beforeAll`. A per-test directory would be removed under it after the first
 * test, and any connection opened later would find a new, empty database.
 */
export function useSuiteTempDir(prefix = 'retract-test-'): () => string {
  return tempDirs(prefix, afterAll);
}
