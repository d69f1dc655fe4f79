import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RetractError } from '../errors/index.js';
import { packRow } from './delivery-row-pack.js';
import type { DeliveryWriteCounts, DeliveryWriter, DeliveryWriteRow } from './delivery-writer.js';
import type { WriteReply, WriterThreadData, WriteRequest } from './sqlite-writer-thread.js';

interface Waiting {
  resolve: (counts: DeliveryWriteCounts) => void;
  reject: (err: RetractError) => void;
}

/**
 * Starts the writer thread. Built code runs the `.js` file as it is; from
 * TypeScript sources (tests, `tsx`) the thread loads tsx first, since a
 * worker does not inherit the loader of the thread that started it.
 */
function startThread(data: WriterThreadData): Worker {
  const isSource = import.meta.url.endsWith('.ts');
  const url = new URL(`./sqlite-writer-thread.${isSource ? 'ts' : 'js'}`, import.meta.url);
  if (!isSource) return new Worker(url, { workerData: data });

  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx'));
  const api = pathToFileURL(join(tsxRoot, 'esm', 'api', 'index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}));`;
  return new Worker(boot, { eval: true, workerData: data });
}

function writeFailed(message: string, cause?: unknown): RetractError {
  return new RetractError('STORE_WRITE_FAILED', `writing deliveries failed: ${message}`, {
    failureClass: 'internal',
    cause,
  });
}

/**
 * A DeliveryWriter whose SQLite work runs on a worker thread, so an import
 * parses and writes at the same time on two cores. `write` may be called
 * again before the previous promise settles; batches are written in order.
 */
export class SqliteThreadedWriter implements DeliveryWriter {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  readonly #now: () => number;
  #nextId = 1;
  #failure: RetractError | null = null;

  constructor(data: WriterThreadData, now: () => number) {
    this.#now = now;
    this.#worker = startThread(data);
    this.#worker.on('message', (reply: WriteReply) => this.#settle(reply));
    this.#worker.on('error', (err) => this.#fail(writeFailed(err.message, err)));
    this.#worker.on('exit', () => this.#fail(writeFailed('the writer thread stopped')));
  }

  write(rows: readonly DeliveryWriteRow[]): Promise<DeliveryWriteCounts> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const request: WriteRequest = {
      id: this.#nextId++,
      rows: JSON.stringify(rows.map(packRow)),
      count: rows.length,
      importedAt: this.#now(),
    };
    return new Promise((resolve, reject) => {
      this.#waiting.set(request.id, { resolve, reject });
      this.#worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    if (this.#failure !== null) return;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.postMessage('close');
    await exited;
  }

  #settle(reply: WriteReply): void {
    const waiting = this.#waiting.get(reply.id);
    this.#waiting.delete(reply.id);
    if (waiting === undefined) return;
    if ('counts' in reply) waiting.resolve(reply.counts);
    else waiting.reject(writeFailed(reply.error.message, reply.error));
  }

  #fail(err: RetractError): void {
    this.#failure ??= err;
    for (const waiting of this.#waiting.values()) waiting.reject(err);
    this.#waiting.clear();
  }
}
