import { createHash } from 'node:crypto';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { openLogBytes, unreadable } from './read-log-lines.js';

/** Bytes before a resume point that must be unchanged for the resume to be trusted. */
const TAIL_BYTES = 256;
const CHUNK_BYTES = 1 << 20;

/** `dev:inode`: the identity of a file across renames. */
export function fileIdOf(info: { dev: number | bigint; ino: number | bigint }): string {
  return `${info.dev}:${info.ino}`;
}

/**
 * One open log file read from a byte offset: chunks as the file grows, the
 * hash of the bytes before a position, and whether the file was truncated
 * or renamed away since it was opened.
 */
export class FollowedFile {
  readonly path: string;
  readonly fileId: string;
  readonly #handle: FileHandle;
  readonly #buffer = Buffer.allocUnsafe(CHUNK_BYTES);

  private constructor(path: string, fileId: string, handle: FileHandle) {
    this.path = path;
    this.fileId = fileId;
    this.#handle = handle;
  }

  /** @throws RetractError `TRACE_LOG_UNREADABLE` when the file cannot be opened. */
  static async open(path: string): Promise<FollowedFile> {
    try {
      const handle = await open(path, 'r');
      return new FollowedFile(path, fileIdOf(await handle.stat()), handle);
    } catch (cause) {
      throw unreadable(path, 'open', cause);
    }
  }

  /** The next chunk from `position`, empty at the end of the file for now. */
  async read(position: number): Promise<Buffer> {
    try {
      const { bytesRead } = await this.#handle.read(this.#buffer, 0, CHUNK_BYTES, position);
      return Buffer.from(this.#buffer.subarray(0, bytesRead));
    } catch (cause) {
      throw unreadable(this.path, 'read', cause);
    }
  }

  async sizeBytes(): Promise<number> {
    return (await this.#handle.stat()).size;
  }

  /** SHA-256 (hex) of the bytes just before `position`: tells a resume point still stands. */
  async hashBefore(position: number): Promise<string> {
    const start = Math.max(0, position - TAIL_BYTES);
    const tail = Buffer.alloc(position - start);
    await this.#handle.read(tail, 0, tail.length, start);
    return createHash('sha256').update(tail).digest('hex');
  }

  /** Whether the name now leads to another file: logrotate renamed this one away. */
  async isRenamedAway(): Promise<boolean> {
    try {
      return fileIdOf(await stat(this.path)) !== this.fileId;
    } catch {
      // Between the rename and the new file's creation there is no file at all.
      return false;
    }
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}

/**
 * The file in the same folder that is `fileId` under another name: where
 * logrotate moved the followed file while Retract was not running
 * (`zimbra.log.1`, `maillog-20261204`). A compressed rotation is another
 * file: `findRotatedCopy` looks for it.
 */
export async function findRenamed(path: string, fileId: string): Promise<string | null> {
  const folder = dirname(path);
  const prefix = basename(path);
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names.filter((n) => n !== prefix && n.startsWith(prefix.split('.')[0]!))) {
    const candidate = join(folder, name);
    const info = await stat(candidate).catch(() => null);
    if (info !== null && info.isFile() && fileIdOf(info) === fileId) return candidate;
  }
  return null;
}

/**
 * Rotated siblings of the followed file modified since `sinceMs`, oldest
 * first, leaving out `except`: when logrotate ran more than once while follow
 * was stopped, the files between the one it stopped in and the current one,
 * which it has never read.
 */
export async function listNewerRotations(
  path: string,
  except: string,
  sinceMs: number,
): Promise<string[]> {
  // At or after: file times are coarse, and a file read twice only merges.
  const siblings = await listSiblings(path);
  const newer = siblings.filter((f) => f.path !== except && f.mtimeMs >= sinceMs);
  return newer.sort((a, b) => a.mtimeMs - b.mtimeMs).map((f) => f.path);
}

/** The file's modification time, ms. */
export async function modifiedMs(path: string): Promise<number> {
  return (await stat(path)).mtimeMs;
}

/** Rotated files looked at by `findRotatedCopy`, newest first. */
const MAX_COPY_CANDIDATES = 3;

/** A rotated copy of a followed file and what it holds after the resume point. */
export interface RotatedCopy {
  path: string;
  /** The bytes after the resume point, to its end, streamed. */
  rest: AsyncIterable<Buffer>;
}

/**
 * A rotated copy of the followed file, in its folder, that holds the resume
 * point: the same bytes just before `offset`. It finds what `findRenamed`
 * cannot, because the copy is another file: a rotation compressed at once
 * (`zimbra.log.1.gz` with logrotate's `compress` and no `delaycompress`) and
 * the copy copytruncate made. The newest few candidates are tried; a gzip one
 * is read through up to `offset`, which costs a pass over the old file.
 */
export async function findRotatedCopy(
  path: string,
  offset: number,
  tailHash: string,
): Promise<RotatedCopy | null> {
  for (const candidate of await listRotationCandidates(path)) {
    const rest = await readAfterResumePoint(candidate, offset, tailHash).catch(() => null);
    if (rest !== null) return { path: candidate, rest };
  }
  return null;
}

async function listRotationCandidates(path: string): Promise<string[]> {
  const found = await listSiblings(path);
  found.sort((a, b) => b.mtimeMs - a.mtimeMs);
  return found.slice(0, MAX_COPY_CANDIDATES).map((f) => f.path);
}

/** Regular files next to `path` whose names start with its name (`maillog.1`, `maillog-20261204.gz`). */
async function listSiblings(path: string): Promise<{ path: string; mtimeMs: number }[]> {
  const folder = dirname(path);
  const own = basename(path);
  const names = await readdir(folder).catch(() => [] as string[]);
  const found: { path: string; mtimeMs: number }[] = [];
  for (const name of names.filter((n) => n !== own && n.startsWith(own))) {
    const info = await stat(join(folder, name)).catch(() => null);
    if (info?.isFile()) found.push({ path: join(folder, name), mtimeMs: info.mtimeMs });
  }
  return found;
}

/**
 * The content of `path` (gzip read through) after `offset`, or null when the
 * bytes before it do not hash to `tailHash`. Only the check reads the file
 * before returning; the rest streams.
 */
async function readAfterResumePoint(
  path: string,
  offset: number,
  tailHash: string,
): Promise<AsyncIterable<Buffer> | null> {
  const { input, close } = await openLogBytes(path);
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

  const tailStart = Math.max(0, offset - TAIL_BYTES);
  const tail = Buffer.alloc(offset - tailStart);
  let position = 0;
  let leftover: Buffer | null = null;
  while (position < offset) {
    const next = await chunks.next();
    if (next.done === true) break;
    const chunk = next.value;
    const from = Math.max(tailStart, position);
    const to = Math.min(offset, position + chunk.length);
    if (to > from) chunk.copy(tail, from - tailStart, from - position, to - position);
    if (position + chunk.length > offset) leftover = chunk.subarray(offset - position);
    position += chunk.length;
  }
  if (position < offset || createHash('sha256').update(tail).digest('hex') !== tailHash) {
    close();
    return null;
  }
  return (async function* () {
    try {
      if (leftover !== null && leftover.length > 0) yield leftover;
      for (;;) {
        const next = await chunks.next();
        if (next.done === true) return;
        yield next.value;
      }
    } catch (cause) {
      throw unreadable(path, 'read', cause);
    } finally {
      close();
    }
  })();
}
