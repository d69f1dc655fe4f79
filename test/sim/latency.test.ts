// Injectable latency per request name: base + uniform jitter from a seeded PRNG, so a load
// test can replay the same service times. No timing is asserted, only the draws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { Latency } from '../../sim/latency.js';
import { createPrng } from '../../sim/prng.js';
import { login, soap } from './sim-helpers.js';

describe('latency distribution', () => {
  it('draws base plus a jitter within [0, jitterMs]', () => {
    const latency = new Latency(createPrng(7), { SearchRequest: { baseMs: 40, jitterMs: 10 } });
    const draws = Array.from({ length: 200 }, () => latency.draw('SearchRequest'));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...draws)).toBeLessThanOrEqual(50);
    expect(new Set(draws).size).toBeGreaterThan(100);
  });

  it('gives the same draws for the same seed', () => {
    const spec = { '*': { baseMs: 1, jitterMs: 100 } };
    const a = new Latency(createPrng(3), spec);
    const b = new Latency(createPrng(3), spec);
    const draw = (l: Latency) => Array.from({ length: 20 }, () => l.draw('X'));
    expect(draw(a)).toEqual(draw(b));
  });

  it('prefers the request name over `*` and answers 0 when nothing applies', () => {
    const latency = new Latency(createPrng(1), {
      '*': { baseMs: 5 },
      MsgActionRequest: { baseMs: 80 },
    });
    expect(latency.draw('MsgActionRequest')).toBe(80);
    expect(latency.draw('SearchRequest')).toBe(5);
    expect(latency.draw(null)).toBe(5);
    latency.set('*', null);
    expect(latency.draw('SearchRequest')).toBe(0);
  });

  it('refuses negative values', () => {
    expect(() => new Latency(createPrng(1), { X: { baseMs: -1 } })).toThrow(TypeError);
    expect(() => new Latency(createPrng(1), { X: { baseMs: 1, jitterMs: -2 } })).toThrow(TypeError);
  });
});

describe('latency on the wire', () => {
  const T = 1_700_000_000_000;
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ now: () => T, latency: { '*': { baseMs: 1, jitterMs: 3 } } });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('answers normally after the added latency', async () => {
    const key = sim.addDomain('example.com').preauthKey;
    sim.addAccount('alice@example.com');
    sim.setLatency('SearchRequest', { baseMs: 2 });
    const token = await login(sim.soapUrl, key, 'alice@example.com', T);
    const answer = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', {}, token);
    expect(answer.status).toBe(200);
  });
});
