import type { DeliveryFilter, DeliveryStore } from '../../src/trace/index.js';
import type { Prng } from './log-vocabulary.js';

/** One kind of search the benchmark times, built afresh from a random pick each run. */
export interface SearchKind {
  name: string;
  /** Target median, ms, when the issue sets one. */
  targetMedianMs?: number;
  /** Runs for this kind; default the benchmark's. Slow kinds without a target take fewer. */
  runs?: number;
  makeFilter: (prng: Prng) => DeliveryFilter;
}

export interface SearchFigures {
  name: string;
  runs: number;
  medianMs: number;
  p99Ms: number;
  meanRows: number;
  targetMedianMs: number | null;
  /** EXPLAIN QUERY PLAN of one run, to show which index served it. */
  plan: string[];
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * Times `runs` searches of one kind through `DeliveryStore.search` (100 rows,
 * newest first: what the CLI, API and portal ask for). A few warm-up runs
 * first, so the figures are of a store in use rather than of cold caches.
 */
export async function timeSearches(
  store: DeliveryStore,
  kind: SearchKind,
  prng: Prng,
  runs: number,
): Promise<SearchFigures> {
  for (let i = 0; i < Math.min(5, kind.runs ?? 5); i++) await store.search(kind.makeFilter(prng));

  const times: number[] = [];
  let rows = 0;
  runs = kind.runs ?? runs;
  for (let i = 0; i < runs; i++) {
    const filter = kind.makeFilter(prng);
    const started = performance.now();
    rows += (await store.search(filter)).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    name: kind.name,
    runs,
    medianMs: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    meanRows: Math.round(rows / runs),
    targetMedianMs: kind.targetMedianMs ?? null,
    plan: await store.explainSearch(kind.makeFilter(prng)),
  };
}
