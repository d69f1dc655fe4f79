// Jetty's DoSFilter as Zimbra configures it (reference §9.1; zm-mailbox
// store/conf/web.xml.production: remotePort=true, Jetty 9.4 RateTracker): the budget is
// per remote IP + port, i.e. per keep-alive connection, and a rejection is HTTP 429 with
// header `DoSFilter: unavailable` and a Jetty HTML page, not SOAP.
import { Agent, request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type DosFilterOptions, type Simulator } from '../../sim/index.js';
import { envelope } from './sim-helpers.js';

const T = 1_700_000_000_000;
const LIMIT = 5;
const body = JSON.stringify(envelope('SearchRequest', 'urn:zimbraMail', { query: 'in:inbox' }));
let sim: Simulator;
const agents: Agent[] = [];

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function start(dosFilter?: DosFilterOptions) {
  sim = await startSimulator({ now: () => T, dosFilter });
}

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await sim.close();
});

/** One keep-alive connection: every request on it shares one remote port. */
function connection(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

function post(agent: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(sim.soapUrl, { method: 'POST', agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function statuses(agent: Agent, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) out.push((await post(agent)).status);
  return out;
}

describe('DoS filter', () => {
  it('answers the request past the limit within one second with 429', async () => {
    await start({ maxRequestsPerSec: LIMIT });
    const conn = connection();
    expect(await statuses(conn, LIMIT)).toEqual(Array(LIMIT).fill(500));
    const rejected = await post(conn);
    expect(rejected.status).toBe(429);
    expect(rejected.headers.dosfilter).toBe('unavailable');
    expect(rejected.headers['content-type']).toMatch(/^text\/html/);
    expect(rejected.text).toContain('HTTP ERROR 429');
    expect(rejected.text).not.toContain('Fault');
  });

  it('counts the 429s it sent and names the filter in the request log', async () => {
    await start({ maxRequestsPerSec: LIMIT });
    await statuses(connection(), LIMIT + 3);
    expect(sim.countStatus(429)).toBe(3);
    expect(sim.requests.filter((r) => r.filter === 'dos-filter')).toHaveLength(3);
    expect(sim.requests.at(-1)).toMatchObject({ requestName: 'SearchRequest', server: null });
  });

  it('gives each keep-alive connection its own budget', async () => {
    await start({ maxRequestsPerSec: LIMIT });
    const first = connection();
    await statuses(first, LIMIT);
    expect((await post(first)).status).toBe(429);
    expect(await statuses(connection(), LIMIT)).not.toContain(429);
  });

  it('lets a connection through again a second later on the simulator clock', async () => {
    await start({ maxRequestsPerSec: LIMIT });
    const conn = connection();
    await statuses(conn, LIMIT + 1);
    sim.setClockOffsetMs(999);
    expect((await post(conn)).status).toBe(429);
    sim.setClockOffsetMs(2_000);
    expect(await statuses(conn, LIMIT)).not.toContain(429);
  });

  it('never throttles a safe IP', async () => {
    await start({ maxRequestsPerSec: 1, safeIps: ['127.0.0.1'] });
    expect(await statuses(connection(), 10)).not.toContain(429);
  });

  it('is off by default and can be switched on and off at run time', async () => {
    await start();
    const conn = connection();
    expect(await statuses(conn, 40)).not.toContain(429);
    sim.configureDosFilter({ maxRequestsPerSec: 2 });
    expect(await statuses(conn, 3)).toEqual([500, 500, 429]);
    sim.configureDosFilter(null);
    expect(await statuses(conn, 3)).not.toContain(429);
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(startSimulator({ dosFilter: { maxRequestsPerSec: 0 } })).rejects.toThrow(
      TypeError,
    );
    await start();
  });
});
