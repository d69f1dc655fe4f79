import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/index.js';
import {
  HostLimiterRegistry,
  ZimbraClient,
  ZimbraError,
  type ZimbraClientOptions,
} from '../../src/zimbra/index.js';

/** The domain and mailbox every conformance case uses. */
export const DOMAIN = 'example.test';
export const ACCOUNT = `alice@${DOMAIN}`;

/** Retries of the client under test: three sends in all, short virtual waits. */
export const RETRY = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };

/**
 * A simulator with one domain and one mailbox, and a client whose waits
 * (retry backoff, limiter pauses) run on a virtual clock: a test never waits
 * in real time, and `sleeps` shows what it would have waited.
 */
export class ConformanceWorld {
  readonly sim: Simulator;
  readonly preauthKey: string;
  readonly sleeps: number[] = [];
  readonly limiters: HostLimiterRegistry;
  readonly #clients: ZimbraClient[] = [];
  #virtualMs = 0;

  private constructor(sim: Simulator, preauthKey: string) {
    this.sim = sim;
    this.preauthKey = preauthKey;
    this.limiters = new HostLimiterRegistry({ now: () => this.#virtualMs, sleep: this.sleep });
  }

  static async start(options: SimulatorOptions = {}): Promise<ConformanceWorld> {
    const sim = await startSimulator(options);
    const { preauthKey } = sim.addDomain(DOMAIN);
    sim.addAccount(ACCOUNT);
    return new ConformanceWorld(sim, preauthKey);
  }

  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.#virtualMs += ms;
  };

  client(overrides: Partial<ZimbraClientOptions> = {}): ZimbraClient {
    const client = new ZimbraClient({
      soapUrl: this.sim.soapUrl,
      preauthKey: this.preauthKey,
      caPem: this.sim.caPem,
      retry: RETRY,
      sleep: this.sleep,
      random: () => 0.5,
      limiters: this.limiters,
      ...overrides,
    });
    this.#clients.push(client);
    return client;
  }

  /** How many requests of this name reached the simulator. */
  sent(requestName: string): number {
    return this.sim.countRequests(requestName);
  }

  async close(): Promise<void> {
    await Promise.all(this.#clients.map((c) => c.close()));
    await this.sim.close();
  }
}

/** The ZimbraError a promise rejects with; fails the test if it resolves. */
export async function failureOf(promise: Promise<unknown>): Promise<ZimbraError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome))
    throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof ZimbraError)) throw outcome.error;
  return outcome.error;
}
