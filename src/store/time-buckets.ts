const DAY_MS = 86_400_000;

/**
 * Length of a `deliveries.time_bucket`: one UTC day. Indexes lead with the
 * bucket so an import writes into a small, recent part of each of them.
 */
export const TIME_BUCKET_MS = DAY_MS;

/**
 * How long a pending delivery (deferred, or handed to a content filter) may
 * wait for its final outcome and still be merged into one row with it:
 * twice Postfix's default `maximal_queue_lifetime` of 5 days.
 */
export const PENDING_LOOKBACK_MS = 10 * DAY_MS;

/** The bucket holding the instant `timeMs` (ms since epoch). */
export function timeBucketOf(timeMs: number): number {
  return Math.floor(timeMs / TIME_BUCKET_MS);
}

/** Every bucket from the one holding `fromMs` to the one holding `toMs`, both included, oldest first. */
export function timeBucketsBetween(fromMs: number, toMs: number): number[] {
  const buckets: number[] = [];
  for (let b = timeBucketOf(fromMs); b <= timeBucketOf(toMs); b++) buckets.push(b);
  return buckets;
}
