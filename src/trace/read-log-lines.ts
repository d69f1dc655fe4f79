import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { RetractError } from '../errors/index.js';
import { LineSplitter } from './line-splitter.js';

const CHUNK_BYTES = 1 << 20;

/** Why a log could not be read, in words, from the system or zlib error code. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  Z_BUF_ERROR: 'the gzip data is cut short',
  Z_DATA_ERROR: 'the gzip data is damaged',
};

/** `TRACE_LOG_UNREADABLE` for `path`, with the reason in words when the error code tells it. */
export function unreadable(path: string, verb: 'open' | 'read', cause: unknown): RetractError {
  const code = (cause as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? REASONS[code] : undefined;
  const message = `cannot ${verb} log file ${path}${reason ? `: ${reason}` : ''}`;
  return new RetractError('TRACE_LOG_UNREADABLE', message, {
    failureClass: 'config',
    cause,
    context: { path },
  });
}

async function isGzipFile(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw unreadable(path, 'open', cause);
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } catch (cause) {
    throw unreadable(path, 'read', cause);
  } finally {
    await handle.close();
  }
}

/**
 * Fails, naming the file and why, unless every log can be opened and read:
 * an import checks this before it writes anything, so a mistyped second
 * path does not leave the first file imported with no report.
 */
export async function assertLogsReadable(paths: readonly string[]): Promise<void> {
  for (const path of paths) await isGzipFile(path);
}

/**
 * The lines of a log file in batches (one per chunk read, about 1 MB),
 * streamed: memory stays flat whatever the file's size. Gzip is recognised
 * by its magic bytes, not the name, since rotated logs are named every
 * which way (`zimbra.log.1.gz`, `maillog-20261204`). CRLF ends are accepted.
 */
export async function* readLogBatches(path: string): AsyncGenerator<string[]> {
  const { input, close } = await openLogBytes(path);
  const splitter = new LineSplitter();
  try {
    for await (const chunk of input) {
      const lines = splitter.push(chunk as Buffer);
      if (lines.length > 0) yield lines;
    }
    const last = splitter.finish();
    if (last.length > 0) yield last;
  } catch (cause) {
    throw unreadable(path, 'read', cause);
  } finally {
    close();
  }
}

/**
 * A log file's bytes as a stream of chunks of about 1 MB, gunzipped when the
 * file is gzip (by its magic bytes). Read errors reach the stream's reader;
 * `close` lets the file go, read to the end or not.
 */
export async function openLogBytes(path: string): Promise<{ input: Readable; close(): void }> {
  const gzip = await isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const input: Readable = gzip ? file.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : file;
  file.on('error', (error) => input.destroy(error));
  const close = () => {
    input.destroy();
    file.destroy();
  };
  return { input, close };
}

/** The lines of a log file, one by one; see `readLogBatches`. */
export async function* readLogLines(path: string): AsyncGenerator<string> {
  for await (const lines of readLogBatches(path)) yield* lines;
}
