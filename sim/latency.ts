import type { Prng } from './prng.js';

/** A latency distribution: `baseMs` plus a uniform draw from [0, `jitterMs`]. */
export interface LatencySpec {
  baseMs: number;
  jitterMs?: number;
}

/**
 * Added service time per request name (`*` for any request without its own entry), drawn
 * from a seeded PRNG so a load test can be replayed.
 */
export class Latency {
  readonly #specs = new Map<string, LatencySpec>();
  readonly #prng: Prng;

  constructor(prng: Prng, specs: Readonly<Record<string, LatencySpec>> = {}) {
    this.#prng = prng;
    for (const [request, spec] of Object.entries(specs)) this.set(request, spec);
  }

  /** Sets or (with null) removes the distribution for `request`. */
  set(request: string, spec: LatencySpec | null): void {
    if (spec === null) {
      this.#specs.delete(request);
      return;
    }
    const jitterMs = spec.jitterMs ?? 0;
    if (!(spec.baseMs >= 0) || !(jitterMs >= 0)) {
      throw new TypeError(`latency for ${request}: baseMs and jitterMs must be >= 0`);
    }
    this.#specs.set(request, { baseMs: spec.baseMs, jitterMs });
  }

  /** The delay for one request, in ms; 0 when none is configured. */
  draw(requestName: string | null): number {
    const spec =
      (requestName === null ? undefined : this.#specs.get(requestName)) ?? this.#specs.get('*');
    if (spec === undefined) return 0;
    const jitterMs = spec.jitterMs ?? 0;
    return spec.baseMs + (jitterMs === 0 ? 0 : this.#prng.next() * jitterMs);
  }
}
