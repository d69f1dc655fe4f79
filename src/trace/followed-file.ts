import { createHash } from 'node:crypto';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RetractError } from '../errors/index.js';

/** Bytes before a resume point that must be unchanged for the resume to be trusted. */
const TAIL_BYTES = 256;
const CHUNK_BYTES = 1 << 20;

/** `dev:inode`: the identity of a file across renames. */
export function fileIdOf(info: { dev: number | bigint; ino: number | bigint }): string {
  return `${info.dev}:${info.ino}`;
}

function unreadable(path: string, cause: unknown): RetractError {
  return new RetractError('TRACE_LOG_UNREADABLE', `cannot read log file ${path}`, {
    failureClass: 'config',
    cause,
    context: { path },
  });
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
      throw unreadable(path, cause);
    }
  }

  /** The next chunk from `position`, empty at the end of the file for now. */
  async read(position: number): Promise<Buffer> {
    try {
      const { bytesRead } = await this.#handle.read(this.#buffer, 0, CHUNK_BYTES, position);
      return Buffer.from(this.#buffer.subarray(0, bytesRead));
    } catch (cause) {
      throw unreadable(this.path, cause);
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
 * (`zimbra.log.1`, `maillog-20261204`). Compressed rotations are other files
 * and are not found.
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
