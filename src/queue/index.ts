/** The queue layer: where mailbox tasks run. In-process for the embedded default. */
export { InProcessQueue } from './in-process-queue.js';
export type { QueueEvents, QueueJob } from './in-process-queue.js';
export { KeyedLimiter } from './keyed-limiter.js';
