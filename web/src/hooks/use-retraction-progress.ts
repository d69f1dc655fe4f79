import { useEffect, useRef, useState } from 'react';
import { api } from '../api/api-client.js';
import type { RetractionDetail } from '../api/types.js';

/** Streams open at once; browsers allow about six connections per origin over HTTP/1.1. */
const MAX_STREAMS = 3;
/** Refresh a retraction's counts at most this often while its events pour in. */
const REFRESH_EVERY_MS = 400;

/**
 * Follows retractions live through each one's Server-Sent Events stream
 * (`/api/v1/retractions/{id}/events`): `state` and `finished` carry the
 * counts; after a `task` event the counts are read back from the API, at
 * most every REFRESH_EVERY_MS, so what is shown is always the server's own
 * tally. Returns the latest detail per id. A new `restartKey` follows them
 * again (after a restore started, say).
 */
export function useRetractionProgress(
  ids: readonly string[],
  restartKey = 0,
): Record<string, RetractionDetail> {
  const [details, setDetails] = useState<Record<string, RetractionDetail>>({});
  const key = ids.join(',');
  const idsRef = useRef(ids);
  idsRef.current = ids;

  useEffect(() => {
    const tracker = new ProgressTracker(idsRef.current, (d) =>
      setDetails((prev) => ({ ...prev, [d.id]: d })),
    );
    tracker.start();
    return () => tracker.stop();
  }, [key, restartKey]);

  return details;
}

/** Whether a retraction (or its restore) has nothing left to do. */
export function isSettled(d: RetractionDetail | undefined): boolean {
  if (!d) return false;
  return d.status !== 'running' && d.restoreStatus !== 'running' && !d.busy;
}

class ProgressTracker {
  readonly #waiting: string[];
  readonly #open = new Map<string, EventSource>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #onDetail: (d: RetractionDetail) => void;
  #stopped = false;

  constructor(ids: readonly string[], onDetail: (d: RetractionDetail) => void) {
    this.#waiting = [...ids];
    this.#onDetail = onDetail;
  }

  start(): void {
    while (this.#open.size < MAX_STREAMS && this.#waiting.length > 0)
      this.#follow(this.#waiting.shift()!);
  }

  stop(): void {
    this.#stopped = true;
    for (const source of this.#open.values()) source.close();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#open.clear();
  }

  #follow(id: string): void {
    const source = new EventSource(`/api/v1/retractions/${encodeURIComponent(id)}/events`);
    this.#open.set(id, source);
    source.addEventListener('state', (e) => this.#adopt(e));
    source.addEventListener('task', () => this.#scheduleRefresh(id));
    source.addEventListener('finished', (e) => {
      this.#adopt(e);
      this.#close(id);
    });
    // A dropped stream: read the state once, and stop watching if nothing is left to do.
    source.onerror = () => {
      void this.#refresh(id).then((d) => {
        if (d && isSettled(d)) this.#close(id);
      });
    };
  }

  /** `state` and `finished` carry the retraction's detail with its counts. */
  #adopt(event: MessageEvent<string>): void {
    const data = JSON.parse(event.data) as { retraction?: RetractionDetail };
    if (data.retraction && !this.#stopped) this.#onDetail(data.retraction);
  }

  #scheduleRefresh(id: string): void {
    if (this.#timers.has(id)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(id);
      void this.#refresh(id);
    }, REFRESH_EVERY_MS);
    this.#timers.set(id, timer);
  }

  async #refresh(id: string): Promise<RetractionDetail | null> {
    try {
      const detail = await api.get<RetractionDetail>(`/retractions/${encodeURIComponent(id)}`);
      if (!this.#stopped) this.#onDetail(detail);
      return detail;
    } catch {
      return null;
    }
  }

  #close(id: string): void {
    this.#open.get(id)?.close();
    this.#open.delete(id);
    const timer = this.#timers.get(id);
    if (timer) clearTimeout(timer);
    this.#timers.delete(id);
    if (!this.#stopped) this.start();
  }
}
