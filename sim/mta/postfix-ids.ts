import type { Prng } from '../prng.js';

/** Postfix's long-queue-id alphabet: digits and consonants, 52 symbols (src/global/mail_queue.h). */
const BASE52 = '0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz';
/** The inode part uses base 51 so that `z` can separate it from the time part. */
const BASE51 = BASE52.slice(0, 51);

function encode(value: number, alphabet: string, width: number): string {
  let out = '';
  let rest = Math.floor(value);
  do {
    out = (alphabet[rest % alphabet.length] as string) + out;
    rest = Math.floor(rest / alphabet.length);
  } while (rest > 0);
  return out.padStart(width, alphabet[0]);
}

/**
 * Long queue ids like `4dQw1N2kXhz3`: seconds (6) and microseconds (4) in base 52, `z`,
 * then an inode number in base 51. Unique per generator.
 */
export class QueueIdGenerator {
  readonly #prng: Prng;
  readonly #used = new Set<string>();

  constructor(prng: Prng) {
    this.#prng = prng;
  }

  next(timeMs: number): string {
    for (;;) {
      const seconds = Math.floor(timeMs / 1000);
      const micros = (timeMs % 1000) * 1000 + this.#prng.int(1000);
      const inode = 1 + this.#prng.int(BASE51.length * BASE51.length - 1);
      const id = `${encode(seconds, BASE52, 6)}${encode(micros, BASE52, 4)}z${encode(inode, BASE51, 1)}`;
      if (!this.#used.has(id)) {
        this.#used.add(id);
        return id;
      }
    }
  }
}

/** Pids of the Postfix daemons; qmgr lives as long as the server, the others come and go. */
export class PostfixPids {
  readonly qmgr: number;
  readonly #prng: Prng;
  readonly #pools: Record<'smtpd' | 'cleanup' | 'lmtp', number[]>;

  constructor(prng: Prng) {
    this.#prng = prng;
    this.qmgr = prng.between(1000, 4000);
    const pool = (size: number) => Array.from({ length: size }, () => prng.between(4000, 32000));
    this.#pools = { smtpd: pool(4), cleanup: pool(2), lmtp: pool(3) };
  }

  pick(daemon: 'smtpd' | 'cleanup' | 'lmtp'): number {
    const pool = this.#pools[daemon];
    return pool[this.#prng.int(pool.length)] as number;
  }
}
