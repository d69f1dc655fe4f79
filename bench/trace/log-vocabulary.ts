/** A small, fast, seeded PRNG (mulberry32): the benchmark log is the same on every run. */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** Zipf-like pick in [0, n): low indexes are much more frequent, as senders are. */
  skewed(n: number): number {
    return Math.floor(n * this.next() ** 3);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/** Subject words, some with accents so accent-insensitive search has something to find. */
export const SUBJECT_WORDS = `
invoice payment order shipped delivery account password reset security alert update
meeting agenda minutes project report quarterly budget review contract proposal offer
newsletter webinar invitation reminder confirmation receipt statement overdue urgent
action required verify login unusual activity document shared signed pending approval
schedule change travel booking itinerary expense claim holiday calendar team lunch
training course certificate welcome onboarding feedback survey results product launch
release notes maintenance outage incident ticket support request question answer draft
final version summary weekly monthly annual plan strategy roadmap sales marketing
customer partner vendor supplier price quote discount sale free gift voucher winner
prize claim bank transfer wire refund tax return salary payroll bonus benefits
résumé café Grüße Köln Zürich München naïve façade señor coördination Ærø
`
  .trim()
  .split(/\s+/);

export const TLDS = ['test', 'example', 'invalid'];

const SYLLABLES = 'ka lo mi ne ru sa ti vo xe ba de fi gu ho ja ki lu ma no pe'.split(' ');

/** A pronounceable name of 2 to 4 syllables, deterministic per `n`. */
export function nameOf(n: number): string {
  let rest = n;
  let name = '';
  do {
    name += SYLLABLES[rest % SYLLABLES.length];
    rest = Math.floor(rest / SYLLABLES.length);
  } while (rest > 0);
  return name.length < 4 ? `${name}to` : name;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Classic syslog stamps (`Dec  4 15:56:36`, UTC), cached per second: most lines share one. */
export class StampCache {
  #second = -1;
  #stamp = '';

  format(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second === this.#second) return this.#stamp;
    const d = new Date(second * 1000);
    const day = d.getUTCDate();
    const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    this.#second = second;
    this.#stamp = `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${time}`;
    return this.#stamp;
  }
}
