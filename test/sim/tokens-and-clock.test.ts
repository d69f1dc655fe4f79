// Token expiry (reference §1.3 `expires` is an absolute epoch-ms instant; §2.4
// AUTH_EXPIRED vs AUTH_REQUIRED, authTokenControl voidOnExpired) and the HTTP Date header
// a client measures clock skew from. zm-mailbox ZimbraAuthToken.java, ZimbraSoapContext.java.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { faultCode, login, postRaw, preauthBody, soap } from './sim-helpers.js';

const T = 1_700_000_000_000;
const search = { types: 'message', query: 'in:inbox' };
let sim: Simulator;
let key: string;

beforeAll(async () => {
  sim = await startSimulator({ now: () => T });
  key = sim.addDomain('example.com').preauthKey;
  sim.addAccount('alice@example.com');
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.setClockOffsetMs(0);
});

async function authWithExpires(expires: number) {
  const body = preauthBody(key, 'alice@example.com', T, expires);
  const answer = await soap(sim.soapUrl, 'AuthRequest', 'urn:zimbraAccount', body);
  expect(answer.status).toBe(200);
  return answer.json.Body.AuthResponse as { authToken: { _content: string }[]; lifetime: number };
}

function searchWith(token: string) {
  return soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token);
}

describe('non-zero expires is an absolute instant', () => {
  it('issues a token that is already expired for a duration mistaken as expires', async () => {
    const response = await authWithExpires(3_600_000);
    expect(response.lifetime).toBe(3_600_000 - T);
    expect(faultCode(await searchWith(response.authToken[0]!._content))).toBe(
      'service.AUTH_EXPIRED',
    );
  });

  it('keeps a token valid until the instant passes on the simulator clock', async () => {
    const response = await authWithExpires(T + 60_000);
    const token = response.authToken[0]!._content;
    expect(response.lifetime).toBe(60_000);
    expect((await searchWith(token)).status).toBe(200);
    sim.setClockOffsetMs(60_000);
    expect(faultCode(await searchWith(token))).toBe('service.AUTH_EXPIRED');
  });

  it('gives the default two-day lifetime for expires 0', async () => {
    expect((await authWithExpires(0)).lifetime).toBe(172_800_000);
  });
});

describe('AUTH_EXPIRED versus AUTH_REQUIRED', () => {
  it('fails even a request that needs no auth when its token has expired', async () => {
    const token = await login(sim.soapUrl, key, 'alice@example.com', T);
    sim.expireTokens('alice@example.com');
    const answer = await soap(
      sim.soapUrl,
      'AuthRequest',
      'urn:zimbraAccount',
      preauthBody(key, 'alice@example.com', T),
      token,
    );
    expect(faultCode(answer)).toBe('service.AUTH_EXPIRED');
    expect(answer.json.Header).toBeUndefined();
  });

  it('treats an expired token as none with authTokenControl voidOnExpired', async () => {
    const token = await login(sim.soapUrl, key, 'alice@example.com', T);
    sim.expireTokens('alice@example.com');
    const context = {
      _jsns: 'urn:zimbra',
      authToken: token,
      authTokenControl: { voidOnExpired: '1' },
    };
    const send = (name: string, ns: string, body: object) =>
      postRaw(
        sim.soapUrl,
        JSON.stringify({ Header: { context }, Body: { [name]: { _jsns: ns, ...body } } }),
      );
    const searchAnswer = await send('SearchRequest', 'urn:zimbraMail', search);
    expect(faultCode(searchAnswer)).toBe('service.AUTH_REQUIRED');
    const authAnswer = await send(
      'AuthRequest',
      'urn:zimbraAccount',
      preauthBody(key, 'alice@example.com', T),
    );
    expect(authAnswer.status).toBe(200);
  });

  it('answers AUTH_REQUIRED for a forged token and AUTH_EXPIRED for an expired one', async () => {
    const token = await login(sim.soapUrl, key, 'alice@example.com', T);
    const forged = token.replace(/^0_[0-9a-f]{8}/, '0_00000000');
    expect(faultCode(await searchWith(forged))).toBe('service.AUTH_REQUIRED');
    sim.setClockOffsetMs(172_800_000);
    expect(faultCode(await searchWith(token))).toBe('service.AUTH_EXPIRED');
  });
});

describe('HTTP Date header', () => {
  const offsets = [0, 7 * 60_000, -42 * 60_000];

  for (const offset of offsets) {
    it(`follows the simulator clock with an offset of ${offset} ms`, async () => {
      sim.setClockOffsetMs(offset);
      const answer = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search);
      expect(answer.headers.date).toBe(new Date(T + offset).toUTCString());
    });
  }

  it('is set on non-SOAP answers too', async () => {
    sim.setClockOffsetMs(-90_000);
    const answer = await postRaw(sim.soapUrl.replace('/service/soap/', '/nowhere'), '{}');
    expect(answer.status).toBe(404);
    expect(answer.headers.date).toBe(new Date(T - 90_000).toUTCString());
  });
});
