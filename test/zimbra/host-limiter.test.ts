import { describe, expect, it } from 'vitest';
import { HostLimiter, type HostLimiterSettings } from '../../src/zimbra/host-limiter.js';
import { HostLimiterRegistry } from '../../src/zimbra/index.js';

const SETTINGS: HostLimiterSettings = {
  maxConcurrency: 4,
  initialConcurrency: 2,
  requestsPerSecond: 'unlimited',
  burst: 1,
  growAfter: 3,
  throttlePauseMs: 1000,
  maxPauseMs: 60_000,
  latencyFactor: 3,
  latencyMarginMs: 250,
};

/** A clock that only moves when someone sleeps, and records every sleep. */
function fakeClock() {
  const clock = {
    nowMs: 0,
    sleeps: [] as number[],
    now: () => clock.nowMs,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.nowMs += ms;
    },
  };
  return clock;
}

function limiter(overrides: Partial<HostLimiterSettings> = {}) {
  const clock = fakeClock();
  return {
    clock,
    limiter: new HostLimiter('https://mail.example.com', { ...SETTINGS, ...overrides }, clock),
  };
}

/** Starts `n` acquisitions and reports which have been granted so far. */
function contenders(l: HostLimiter, n: number) {
  const granted: number[] = [];
  const permits = Array.from({ length: n }, (_, i) =>
    l.acquire().then((permit) => {
      granted.push(i);
      return permit;
    }),
  );
  return { granted, permits };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('HostLimiter concurrency', () => {
  it('lets initialConcurrency requests in and queues the rest in arrival order', async () => {
    const { limiter: l } = limiter();
    const { granted, permits } = contenders(l, 4);
    await tick();
    expect(granted).toEqual([0, 1]);
    expect(l.stats()).toMatchObject({ limit: 2, inFlight: 2, waiting: 2 });

    (await permits[1]!).release({ kind: 'ok' });
    await tick();
    expect(granted).toEqual([0, 1, 2]);
  });

  it('allows one more in flight after each stretch of growAfter clean answers, up to the maximum', async () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 3 * 10; i++) (await l.acquire()).release({ kind: 'ok' });
    expect(l.stats().limit).toBe(4);
  });

  it('halves the limit on a timeout, but never below one', async () => {
    const { limiter: l } = limiter({ initialConcurrency: 4 });
    (await l.acquire()).release({ kind: 'timeout' });
    expect(l.stats()).toMatchObject({ limit: 2, timeouts: 1, slowdowns: 1 });
    (await l.acquire()).release({ kind: 'timeout' });
    (await l.acquire()).release({ kind: 'timeout' });
    expect(l.stats().limit).toBe(1);
  });

  it('cuts once for one congestion episode: answers to requests sent before the cut do not cut again', async () => {
    const { limiter: l } = limiter({ initialConcurrency: 4 });
    const permits = await Promise.all([l.acquire(), l.acquire(), l.acquire(), l.acquire()]);
    for (const permit of permits) permit.release({ kind: 'timeout' });
    expect(l.stats()).toMatchObject({ limit: 2, timeouts: 4, slowdowns: 1 });
  });

  it('does not grow on failures that are not answers', async () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 10; i++) {
      (await l.acquire()).release({ kind: 'ok' });
      (await l.acquire()).release({ kind: 'failed' });
    }
    expect(l.stats().limit).toBe(2);
  });

  it('counts a release only once', async () => {
    const { limiter: l } = limiter({ initialConcurrency: 1 });
    const permit = await l.acquire();
    permit.release({ kind: 'ok' });
    permit.release({ kind: 'ok' });
    expect(l.stats().inFlight).toBe(0);
    const { granted } = contenders(l, 2);
    await tick();
    expect(granted).toEqual([0]);
  });
});

describe('HostLimiter latency', () => {
  async function answer(l: HostLimiter, clock: ReturnType<typeof fakeClock>, latencyMs: number) {
    const permit = await l.acquire();
    clock.nowMs += latencyMs;
    permit.release({ kind: 'ok' });
  }

  it('halves the limit when answers get much slower than their moving baseline', async () => {
    const { limiter: l, clock } = limiter({ initialConcurrency: 4 });
    for (let i = 0; i < 6; i++) await answer(l, clock, 100);
    await answer(l, clock, 1200);
    expect(l.stats()).toMatchObject({ limit: 2, slowdowns: 1 });
  });

  it('ignores jitter that stays within the margin, even when it triples a fast baseline', async () => {
    const { limiter: l, clock } = limiter({ initialConcurrency: 4 });
    for (let i = 0; i < 6; i++) await answer(l, clock, 5);
    await answer(l, clock, 200);
    expect(l.stats()).toMatchObject({ limit: 4, slowdowns: 0 });
  });
});

describe('HostLimiter throttling', () => {
  it('pauses the whole host after a 429 for Retry-After, and halves the limit', async () => {
    const { limiter: l, clock } = limiter({ initialConcurrency: 4 });
    (await l.acquire()).release({ kind: 'throttled', retryAfterMs: 2500 });
    expect(l.stats()).toMatchObject({ limit: 2, throttled: 1, pausedForMs: 2500 });

    await l.acquire();
    expect(clock.nowMs).toBe(2500);
    expect(l.stats().pausedForMs).toBe(0);
  });

  it('pauses for throttlePauseMs when the answer gave no Retry-After, and never past maxPauseMs', async () => {
    const plain = limiter({ maxPauseMs: 5000 });
    (await plain.limiter.acquire()).release({ kind: 'throttled' });
    await plain.limiter.acquire();
    expect(plain.clock.nowMs).toBe(1000);

    const long = limiter({ maxPauseMs: 5000 });
    (await long.limiter.acquire()).release({ kind: 'throttled', retryAfterMs: 3_600_000 });
    await long.limiter.acquire();
    expect(long.clock.nowMs).toBe(5000);
  });
});

describe('HostLimiter request rate', () => {
  it('starts at most requestsPerSecond requests a second after the burst', async () => {
    const { limiter: l, clock } = limiter({
      requestsPerSecond: 10,
      burst: 5,
      initialConcurrency: 4,
    });
    const starts: number[] = [];
    for (let i = 0; i < 15; i++) {
      const permit = await l.acquire();
      starts.push(clock.nowMs);
      permit.release({ kind: 'ok' });
    }
    expect(starts.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(starts.slice(5, 8)).toEqual([100, 200, 300]);
    expect(starts[14]).toBe(1000);
  });

  it('never waits for the rate when it is unlimited', async () => {
    const { limiter: l, clock } = limiter();
    for (let i = 0; i < 100; i++) (await l.acquire()).release({ kind: 'ok' });
    expect(clock.sleeps).toEqual([]);
  });

  it('after a throttle, caps the rate at 70% of what went through in the last second and creeps back up', async () => {
    const { limiter: l, clock } = limiter({ initialConcurrency: 4, throttlePauseMs: 0 });
    for (let i = 0; i < 40; i++) (await l.acquire()).release({ kind: 'ok' });
    (await l.acquire()).release({ kind: 'throttled' });
    expect(l.stats().rate).toMatchObject({ configured: 'unlimited', current: 28 });

    for (let i = 0; i < 3 * 4; i++) (await l.acquire()).release({ kind: 'ok' });
    expect(l.stats().rate.current).toBe(32);
    expect(clock.sleeps.length).toBeGreaterThan(0);
  });

  it('grows eight times slower once near the rate the host throttled at', async () => {
    const { limiter: l } = limiter({ initialConcurrency: 4, throttlePauseMs: 0, growAfter: 1 });
    for (let i = 0; i < 40; i++) (await l.acquire()).release({ kind: 'ok' });
    (await l.acquire()).release({ kind: 'throttled' });
    // 28 → 36 (90% of 41) one step per answer, then an eighth of a step.
    for (let i = 0; i < 8; i++) (await l.acquire()).release({ kind: 'ok' });
    expect(l.stats().rate.current).toBe(36);
    for (let i = 0; i < 8; i++) (await l.acquire()).release({ kind: 'ok' });
    expect(l.stats().rate.current).toBe(37);
  });

  it('takes a new rate at once, e.g. unlimited once Retract is on the safe list', async () => {
    const { limiter: l, clock } = limiter({ requestsPerSecond: 1 });
    (await l.acquire()).release({ kind: 'ok' });
    l.setRequestsPerSecond('unlimited');
    for (let i = 0; i < 20; i++) (await l.acquire()).release({ kind: 'ok' });
    expect(clock.sleeps).toEqual([]);
  });
});

describe('HostLimiterRegistry', () => {
  it('hands out one limiter per origin and lists them all in stats', () => {
    const registry = new HostLimiterRegistry();
    const a = registry.limiterFor('https://a.example.com', { isLoopback: false });
    expect(registry.limiterFor('https://a.example.com', { isLoopback: false })).toBe(a);
    registry.limiterFor('https://b.example.com:7071', { isLoopback: false });
    expect(registry.stats().map((s) => s.origin)).toEqual([
      'https://a.example.com',
      'https://b.example.com:7071',
    ]);
  });

  it('caps a remote host at 10 requests a second by default and leaves loopback uncapped', () => {
    const registry = new HostLimiterRegistry();
    registry.limiterFor('https://a.example.com', { isLoopback: false });
    registry.limiterFor('http://127.0.0.1:7070', { isLoopback: true });
    expect(registry.stats().map((s) => s.rate.configured)).toEqual([10, 'unlimited']);
  });

  it('applies an explicit default rate to loopback too, so tests can throttle the simulator', () => {
    const registry = new HostLimiterRegistry({ defaults: { requestsPerSecond: 25 } });
    registry.limiterFor('http://127.0.0.1:7070', { isLoopback: true });
    expect(registry.stats()[0]?.rate.configured).toBe(25);
  });
});
