/** A small seeded PRNG (mulberry32): the same seed gives the same sequence on every run. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, between: (min, max) => min + int(max - min + 1) };
}

/**
 * `count` distinct indices from [0, size), in draw order: a partial Fisher-Yates over a
 * sparse map, so the cost follows `count`, not `size`.
 */
export function sampleIndices(prng: Prng, size: number, count: number): number[] {
  const swapped = new Map<number, number>();
  const at = (i: number) => swapped.get(i) ?? i;
  const picked: number[] = [];
  for (let i = 0; i < Math.min(count, size); i += 1) {
    const j = i + prng.int(size - i);
    const chosen = at(j);
    swapped.set(j, at(i));
    picked.push(chosen);
  }
  return picked;
}
