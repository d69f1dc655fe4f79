// Several mailbox servers behind one SOAP URL: AuthRequest is never proxied, mail requests
// for an account homed elsewhere are, and a broken hop answers service.PROXY_ERROR
// (Receiver). Reference §8.1 and §10; zm-mailbox store/src/java/com/zimbra/soap/
// DocumentHandler.java (proxyIfNecessary), common/.../service/ServiceException.java.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { faultCode, login, postRaw, preauthBody, rawMessage, soap } from './sim-helpers.js';

const T = 1_700_000_000_000;
const MAIL = 'urn:zimbraMail';
const search = { types: 'message', query: 'msgid:"m@x.example"' };
let sim: Simulator;
let key: string;

beforeAll(async () => {
  sim = await startSimulator({ now: () => T, mailboxServers: ['mbs1', 'mbs2'] });
  key = sim.addDomain('example.com').preauthKey;
  sim.addAccount('one@example.com');
  sim.addAccount('two@example.com', { server: 'mbs2' });
  for (const account of ['one@example.com', 'two@example.com']) {
    sim.fileMessage(account, rawMessage('<m@x.example>'));
  }
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.setFrontServer('mbs1');
  sim.clearProxyFailures();
  sim.clearRequests();
});

function searchAs(token: string) {
  return soap(sim.soapUrl, 'SearchRequest', MAIL, search, token);
}

describe('proxying to the home server', () => {
  it('places accounts on the first server unless told otherwise', () => {
    expect(sim.mailboxServers).toEqual(['mbs1', 'mbs2']);
    expect(sim.getAccount('one@example.com')?.server).toBe('mbs1');
    expect(sim.getAccount('two@example.com')?.server).toBe('mbs2');
  });

  it('authenticates an account of another server without proxying', async () => {
    await login(sim.soapUrl, key, 'two@example.com', T);
    expect(sim.requests[0]).toMatchObject({
      requestName: 'AuthRequest',
      server: 'mbs1',
      proxiedTo: null,
      httpStatus: 200,
    });
  });

  it('proxies a mail request for a remote mailbox and relays its answer', async () => {
    const token = await login(sim.soapUrl, key, 'two@example.com', T);
    const answer = await searchAs(token);
    expect(answer.status).toBe(200);
    expect(answer.json.Body.SearchResponse.m).toHaveLength(1);
    expect(sim.requests[1]).toMatchObject({ server: 'mbs1', proxiedTo: 'mbs2' });
  });

  it('serves a local mailbox without a hop', async () => {
    const token = await login(sim.soapUrl, key, 'one@example.com', T);
    await searchAs(token);
    expect(sim.requests[1]).toMatchObject({ server: 'mbs1', proxiedTo: null });
  });

  it('accepts a token issued by one server on every other', async () => {
    const token = await login(sim.soapUrl, key, 'one@example.com', T);
    sim.setFrontServer('mbs2');
    expect((await searchAs(token)).status).toBe(200);
    expect(sim.requests[1]).toMatchObject({ server: 'mbs2', proxiedTo: 'mbs1' });
  });

  it('spreads requests over all servers round-robin when asked', async () => {
    sim.setFrontServer('round-robin');
    const token = await login(sim.soapUrl, key, 'one@example.com', T);
    for (let i = 0; i < 3; i += 1) await searchAs(token);
    const entries = sim.requests;
    for (let i = 1; i < entries.length; i += 1) {
      expect(entries[i]?.server).not.toBe(entries[i - 1]?.server);
    }
    for (const entry of entries.slice(1)) {
      expect(entry.proxiedTo).toBe(entry.server === 'mbs2' ? 'mbs1' : null);
    }
  });
});

describe('proxy failures', () => {
  it('answers PROXY_ERROR as a Receiver fault for N proxied requests, then recovers', async () => {
    const token = await login(sim.soapUrl, key, 'two@example.com', T);
    sim.failProxy({ server: 'mbs2', times: 2 });
    for (let i = 0; i < 2; i += 1) {
      const answer = await searchAs(token);
      expect(answer.status).toBe(500);
      expect(faultCode(answer)).toBe('service.PROXY_ERROR');
      expect(answer.json.Body.Fault.Code.Value).toBe('soap:Receiver');
    }
    expect((await searchAs(token)).status).toBe(200);
    expect(sim.requests.slice(1).map((r) => r.faultCode)).toEqual([
      'service.PROXY_ERROR',
      'service.PROXY_ERROR',
      null,
    ]);
  });

  it('fails every proxied request until the switch is removed', async () => {
    const token = await login(sim.soapUrl, key, 'two@example.com', T);
    const restore = sim.failProxy({ server: 'mbs2' });
    for (let i = 0; i < 3; i += 1)
      expect(faultCode(await searchAs(token))).toBe('service.PROXY_ERROR');
    restore();
    expect((await searchAs(token)).status).toBe(200);
  });

  it('leaves local mailboxes and AuthRequest alone while a hop is broken', async () => {
    sim.failProxy({ server: 'mbs2' });
    const two = await login(sim.soapUrl, key, 'two@example.com', T);
    const one = await login(sim.soapUrl, key, 'one@example.com', T);
    expect((await searchAs(one)).status).toBe(200);
    expect(faultCode(await searchAs(two))).toBe('service.PROXY_ERROR');
  });

  it('fails only the server it names', async () => {
    sim.setFrontServer('mbs2');
    sim.failProxy({ server: 'mbs2' });
    const one = await login(sim.soapUrl, key, 'one@example.com', T);
    expect((await searchAs(one)).status).toBe(200);
  });

  it('refuses unknown servers in its own API', () => {
    expect(() => sim.failProxy({ server: 'mbs9' })).toThrow(TypeError);
    expect(() => sim.addAccount('x@example.com', { server: 'mbs9' })).toThrow(TypeError);
    expect(() => sim.setFrontServer('mbs9')).toThrow(TypeError);
  });
});

describe('AuthRequest inside a BatchRequest', () => {
  function batchAuthThenSearch(account: string) {
    const body = {
      Header: { context: { _jsns: 'urn:zimbra' } },
      Body: {
        BatchRequest: {
          _jsns: 'urn:zimbra',
          AuthRequest: [
            { _jsns: 'urn:zimbraAccount', requestId: '0', ...preauthBody(key, account, T) },
          ],
          SearchRequest: [{ _jsns: MAIL, requestId: '1', ...search }],
        },
      },
    };
    return postRaw(sim.soapUrl, JSON.stringify(body));
  }

  it('carries the new token to later parts on the account home server', async () => {
    const batch = (await batchAuthThenSearch('one@example.com')).json.Body.BatchResponse;
    expect(batch.AuthResponse[0].requestId).toBe('0');
    expect(batch.SearchResponse[0].m).toHaveLength(1);
  });

  it('leaves later parts unauthenticated on another server', async () => {
    const batch = (await batchAuthThenSearch('two@example.com')).json.Body.BatchResponse;
    expect(batch.AuthResponse[0].requestId).toBe('0');
    expect(batch.Fault[0]).toMatchObject({
      requestId: '1',
      Detail: { Error: { Code: 'service.AUTH_REQUIRED' } },
    });
  });
});

describe('moving a mailbox', () => {
  it('proxies to the new home once the account moves', async () => {
    sim.addAccount('mover@example.com');
    const token = await login(sim.soapUrl, key, 'mover@example.com', T);
    sim.setAccountServer('mover@example.com', 'mbs2');
    await searchAs(token);
    expect(sim.requests.at(-1)).toMatchObject({ proxiedTo: 'mbs2' });
  });
});
