import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TlsMode } from '../../sim/index.js';
import {
  TRANSPORT_RULES,
  type TransportErrorCode,
  type ZimbraError,
} from '../../src/zimbra/index.js';
import { ACCOUNT, ConformanceWorld, RETRY, failureOf } from './world.js';

// Every row of the transport table: HTTP statuses without SOAP (reference §9:
// 429 from the DoS filter, bare 503 from the login suspension, gateway pages),
// network and TLS failures, and misread answers, produced by the simulator
// (natively or with `inject`) or by a socket that misbehaves on purpose.
const worlds: ConformanceWorld[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.close()));
  for (const server of servers.splice(0)) {
    const closed = new Promise((r) => server.close(r));
    server.emit('close');
    await closed;
  }
});

async function world(options: Parameters<typeof ConformanceWorld.start>[0] = {}) {
  const w = await ConformanceWorld.start(options);
  worlds.push(w);
  return w;
}

/** A port where nothing listens, or where a listener accepts and never speaks. */
async function port(silentListener: boolean): Promise<number> {
  const server = createServer((socket) => server.once('close', () => socket.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  if (silentListener) servers.push(server);
  else await new Promise((r) => server.close(r));
  return bound;
}

interface Outcome {
  error: ZimbraError;
  /** [request name, times it reached the simulator], when it matters. */
  sent?: [string, number];
  world?: ConformanceWorld;
}

async function searchAfter(w: ConformanceWorld, inject: Parameters<typeof w.sim.inject>[0]) {
  const session = await w.client().openMailbox(ACCOUNT);
  w.sim.inject(inject);
  return failureOf(session.search('in:inbox'));
}

async function tlsCase(mode: TlsMode): Promise<Outcome> {
  const w = await world({ tls: { mode } });
  return {
    error: await failureOf(w.client().openMailbox(ACCOUNT)),
    sent: ['AuthRequest', 0],
    world: w,
  };
}

const CASES: Record<TransportErrorCode, () => Promise<Outcome>> = {
  async ZIMBRA_THROTTLED() {
    const w = await world();
    w.sim.inject({
      request: 'AuthRequest',
      http: { status: 429, headers: { DoSFilter: 'unavailable' } },
    });
    return {
      error: await failureOf(w.client().openMailbox(ACCOUNT)),
      sent: ['AuthRequest', RETRY.attempts],
      world: w,
    };
  },
  async ZIMBRA_SERVICE_UNAVAILABLE() {
    const w = await world();
    w.sim.configureLoginSuspension({ maxFailures: 2, exemptLoopback: false });
    const wrong = w.client({ preauthKey: '9'.repeat(64) });
    for (let i = 0; i < 3; i++) await failureOf(wrong.openMailbox(ACCOUNT));
    const before = w.sent('AuthRequest');
    const error = await failureOf(w.client().openMailbox(ACCOUNT));
    return { error, sent: ['AuthRequest', before + RETRY.attempts], world: w };
  },
  async ZIMBRA_BAD_GATEWAY() {
    const w = await world();
    const error = await searchAfter(w, { request: 'SearchRequest', http: { status: 502 } });
    return { error, sent: ['SearchRequest', RETRY.attempts], world: w };
  },
  async ZIMBRA_HTTP_SERVER_ERROR() {
    const w = await world();
    const error = await searchAfter(w, { request: 'SearchRequest', http: { status: 500 } });
    return { error, sent: ['SearchRequest', RETRY.attempts], world: w };
  },
  async ZIMBRA_HTTP_REJECTED() {
    const w = await world();
    const error = await searchAfter(w, { request: 'SearchRequest', http: { status: 403 } });
    return { error, sent: ['SearchRequest', 1], world: w };
  },
  async ZIMBRA_BAD_RESPONSE() {
    const w = await world();
    const error = await searchAfter(w, {
      request: 'SearchRequest',
      http: { status: 200, body: 'Welcome to the captive portal' },
    });
    return { error, sent: ['SearchRequest', 1], world: w };
  },
  async ZIMBRA_RESPONSE_TOO_LARGE() {
    const w = await world();
    const body = `{"Body":{"SearchResponse":{"m":[${'{"id":"1"},'.repeat(1_600_000)}{}]}}}`;
    const error = await searchAfter(w, { request: 'SearchRequest', http: { status: 200, body } });
    return { error, sent: ['SearchRequest', 1], world: w };
  },
  async ZIMBRA_TIMEOUT() {
    const w = await world();
    const session = await w.client({ timeoutMs: 150 }).openMailbox(ACCOUNT);
    w.sim.inject({ request: 'SearchRequest', delayMs: 1500 });
    const error = await failureOf(session.search('in:inbox'));
    // The simulator logs a request when it answers, so the last delayed one is
    // not counted yet; the limiter saw every send time out, and cut its limit.
    expect(w.limiters.stats()[0]).toMatchObject({ timeouts: RETRY.attempts, limit: 1 });
    return { error, world: w };
  },
  async ZIMBRA_CONNECT_TIMEOUT() {
    const w = await world();
    const silent = await port(true);
    const client = w.client({
      soapUrl: `https://127.0.0.1:${silent}/service/soap/`,
      connectTimeoutMs: 150,
    });
    return { error: await failureOf(client.openMailbox(ACCOUNT)) };
  },
  async ZIMBRA_CONNECTION_RESET() {
    const w = await world();
    const error = await searchAfter(w, { request: 'SearchRequest', drop: true });
    return { error, sent: ['SearchRequest', RETRY.attempts], world: w };
  },
  async ZIMBRA_CONNECTION_REFUSED() {
    const w = await world();
    const client = w.client({ soapUrl: `http://127.0.0.1:${await port(false)}/service/soap/` });
    return { error: await failureOf(client.openMailbox(ACCOUNT)) };
  },
  async ZIMBRA_HOST_NOT_FOUND() {
    const w = await world();
    const lookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const client = w.client({ soapUrl: 'https://zimbra.invalid/service/soap/', lookup });
    return { error: await failureOf(client.openMailbox(ACCOUNT)) };
  },
  async ZIMBRA_ADDRESS_REFUSED() {
    const w = await world();
    const lookup = async () => [{ address: '169.254.169.254', family: 4 }];
    const client = w.client({ soapUrl: 'https://zimbra.example.test/service/soap/', lookup });
    return { error: await failureOf(client.openMailbox(ACCOUNT)) };
  },
  async ZIMBRA_NETWORK_ERROR() {
    const w = await world();
    const lookup = async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
    };
    const client = w.client({ soapUrl: 'https://zimbra.example.test/service/soap/', lookup });
    return { error: await failureOf(client.openMailbox(ACCOUNT)) };
  },
  ZIMBRA_TLS_UNTRUSTED: () => tlsCase('self-signed'),
  ZIMBRA_TLS_EXPIRED: () => tlsCase('expired'),
  ZIMBRA_TLS_HOST_MISMATCH: () => tlsCase('wrong-host'),
  async ZIMBRA_TLS_FAILURE() {
    const w = await world();
    const client = w.client({ soapUrl: w.sim.soapUrl.replace('http:', 'https:') });
    return {
      error: await failureOf(client.openMailbox(ACCOUNT)),
      sent: ['AuthRequest', 0],
      world: w,
    };
  },
  async ZIMBRA_WRONG_SOAP_URL() {
    const w = await world();
    const client = w.client({
      soapUrl: w.sim.adminSoapUrl.replace('/service/admin/soap/', '/service/soap/'),
    });
    return { error: await failureOf(client.openMailbox(ACCOUNT)), world: w };
  },
  async ZIMBRA_TOKEN_REJECTED() {
    const w = await world();
    const error = await searchAfter(w, {
      request: 'SearchRequest',
      fault: { code: 'service.AUTH_REQUIRED' },
    });
    return { error, sent: ['AuthRequest', 2], world: w };
  },
  async ZIMBRA_CLIENT_CLOSED() {
    const w = await world();
    const client = w.client();
    await client.close();
    return {
      error: await failureOf(client.openMailbox(ACCOUNT)),
      sent: ['AuthRequest', 0],
      world: w,
    };
  },
};

describe('every transport-table row', () => {
  it('has a case here', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(TRANSPORT_RULES).sort());
  });

  it.each(Object.keys(CASES) as TransportErrorCode[])('%s', async (code) => {
    const { error, sent, world: w } = await CASES[code]();
    const rule = TRANSPORT_RULES[code];

    expect(error).toMatchObject({ code, failureClass: rule.failureClass, retry: rule.retry });
    if (sent !== undefined) expect(w!.sent(sent[0]), sent[0]).toBe(sent[1]);
  });
});

describe('throttling is not a SOAP answer, and it slows the client down', () => {
  it('reads the DoS filter 429 by status and header, pausing the host before each resend', async () => {
    const w = await world();
    const session = await w.client().openMailbox(ACCOUNT);
    w.sim.inject({
      request: 'SearchRequest',
      times: 2,
      http: { status: 429, headers: { DoSFilter: 'unavailable' } },
    });

    await expect(session.search('in:inbox')).resolves.toMatchObject({ hits: [] });
    expect(w.sent('SearchRequest')).toBe(3);
    const [stats] = w.limiters.stats();
    expect(stats).toMatchObject({ throttled: 2, limit: 1 });
    // Backoff first, then the rest of the host's one-second pause: a full second each time.
    expect(w.sleeps).toEqual([50, 950, 100, 900]);
  });

  it('resends even a delete after a 429: the filter answered before Zimbra ran anything', async () => {
    const w = await world();
    const session = await w.client().openMailbox(ACCOUNT);
    w.sim.inject({ request: 'MsgActionRequest', times: 1, http: { status: 429 } });
    await session.deleteMessages(['99999']);
    expect(w.sent('MsgActionRequest')).toBe(2);
  });

  it('never resends a delete after a bare 503', async () => {
    const w = await world();
    const session = await w.client().openMailbox(ACCOUNT);
    w.sim.inject({ request: 'MsgActionRequest', times: 1, http: { status: 503 } });
    await expect(session.deleteMessages(['99999'])).rejects.toMatchObject({
      code: 'ZIMBRA_SERVICE_UNAVAILABLE',
    });
    expect(w.sent('MsgActionRequest')).toBe(1);
  });
});
