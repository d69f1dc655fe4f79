import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { RetractError } from '../errors/index.js';

async function isGzipFile(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new RetractError('TRACE_LOG_UNREADABLE', `cannot open log file ${path}`, {
      failureClass: 'config',
      cause,
      context: { path },
    });
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * The lines of a log file, streamed. Gzip is recognised by its magic bytes,
 * not the name, since rotated logs are named every which way
 * (`zimbra.log.1.gz`, `maillog-20261204`). CRLF endings are accepted.
 */
export async function* readLogLines(path: string): AsyncGenerator<string> {
  const gzip = await isGzipFile(path);
  const file = createReadStream(path);
  const input: Readable = gzip ? file.pipe(createGunzip()) : file;
  file.on('error', (error) => input.destroy(error));

  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } catch (cause) {
    throw new RetractError('TRACE_LOG_UNREADABLE', `cannot read log file ${path}`, {
      failureClass: 'config',
      cause,
      context: { path },
    });
  } finally {
    lines.close();
    input.destroy();
    file.destroy();
  }
}
