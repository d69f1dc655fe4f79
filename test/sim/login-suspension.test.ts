// ZimbraInvalidLoginFilter (reference §1.7; zm-mailbox store/src/java/com/zimbra/cs/servlet/
// ZimbraInvalidLoginFilter.java, SoapEngine.java): AUTH_FAILED answers count per client IP
// with no reset on success; past the limit the IP gets a bare HTTP 503 for every request.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type LoginSuspensionOptions, type Simulator } from '../../sim/index.js';
import { faultCode, postRaw, preauthBody, sign, soap } from './sim-helpers.js';

const T = 1_700_000_000_000;
let sim: Simulator;
let key: string;

async function start(loginSuspension: LoginSuspensionOptions | undefined) {
  sim = await startSimulator({ now: () => T, loginSuspension });
  key = sim.addDomain('example.com').preauthKey;
  sim.addAccount('alice@example.com');
}

afterEach(async () => {
  await sim.close();
});

function badAuth(url = sim.soapUrl) {
  const body = {
    account: { by: 'name', _content: 'alice@example.com' },
    preauth: { timestamp: T, expires: 0, _content: '0'.repeat(40) },
  };
  return soap(url, 'AuthRequest', 'urn:zimbraAccount', body);
}

function goodAuth(url = sim.soapUrl) {
  return soap(url, 'AuthRequest', 'urn:zimbraAccount', preauthBody(key, 'alice@example.com', T));
}

async function failTimes(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) expect(faultCode(await badAuth())).toBe('account.AUTH_FAILED');
}

describe('invalid-login suspension', () => {
  it('answers every failure up to the limit, then suspends the IP with a bare 503', async () => {
    await start({});
    await failTimes(11);
    const answer = await goodAuth();
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.json).toBeUndefined();
    expect(answer.text).toContain('HTTP ERROR 503');
    expect(sim.requests.at(-1)).toMatchObject({
      filter: 'login-suspension',
      requestName: 'AuthRequest',
      clientIp: '127.0.0.1',
      httpStatus: 503,
    });
  });

  it('does not suspend at exactly the limit', async () => {
    await start({ maxFailures: 3 });
    await failTimes(3);
    expect((await goodAuth()).status).toBe(200);
  });

  it('keeps counting across successful logins', async () => {
    await start({ maxFailures: 4 });
    await failTimes(2);
    expect((await goodAuth()).status).toBe(200);
    await failTimes(3);
    expect((await goodAuth()).status).toBe(503);
  });

  it('counts unknown accounts as failures too', async () => {
    await start({ maxFailures: 1 });
    for (const account of ['ghost@example.com', 'spook@example.com']) {
      const body = preauthBody(key, account, T);
      expect(faultCode(await soap(sim.soapUrl, 'AuthRequest', 'urn:zimbraAccount', body))).toBe(
        'account.AUTH_FAILED',
      );
    }
    expect((await goodAuth()).status).toBe(503);
  });

  it('suspends the IP on every listener and for every request', async () => {
    await start({ maxFailures: 1 });
    await failTimes(2);
    expect((await goodAuth(sim.adminSoapUrl)).status).toBe(503);
    const other = await postRaw(sim.soapUrl.replace('/service/soap/', '/anything'), '{}');
    expect(other.status).toBe(503);
    expect(sim.countStatus(503)).toBe(2);
  });

  it('reinstates the IP once the period has passed on the simulator clock', async () => {
    await start({ maxFailures: 1, suspendMs: 60_000 });
    await failTimes(2);
    sim.setClockOffsetMs(59_999);
    expect((await goodAuth()).status).toBe(503);
    sim.setClockOffsetMs(60_000);
    expect((await goodAuth()).status).toBe(200);
    await failTimes(1);
    expect((await goodAuth()).status).toBe(200);
  });

  it('counts one HTTP request once however many batch parts failed', async () => {
    await start({ maxFailures: 1 });
    const part = (id: string) => ({
      _jsns: 'urn:zimbraAccount',
      requestId: id,
      account: { by: 'name', _content: 'alice@example.com' },
      preauth: { timestamp: T, expires: 0, _content: sign(key, 'x', 'name', 0, T) },
    });
    const batch = {
      Header: { context: { _jsns: 'urn:zimbra' } },
      Body: { BatchRequest: { _jsns: 'urn:zimbra', AuthRequest: [part('0'), part('1')] } },
    };
    const answer = await postRaw(sim.soapUrl, JSON.stringify(batch));
    expect(answer.json.Body.BatchResponse.Fault).toHaveLength(2);
    expect((await goodAuth()).status).toBe(200);
  });

  it('ignores other faults', async () => {
    await start({ maxFailures: 1 });
    for (let i = 0; i < 3; i += 1) {
      const answer = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', {});
      expect(faultCode(answer)).toBe('service.AUTH_REQUIRED');
    }
    expect((await goodAuth()).status).toBe(200);
  });
});

describe('exemptions', () => {
  it('is off unless configured', async () => {
    await start(undefined);
    await failTimes(15);
    expect((await goodAuth()).status).toBe(200);
  });

  it('leaves loopback alone with exemptLoopback, as Zimbra always does', async () => {
    await start({ maxFailures: 1, exemptLoopback: true });
    await failTimes(3);
    expect((await goodAuth()).status).toBe(200);
  });

  it('leaves safe IPs and ranges alone', async () => {
    await start({ maxFailures: 1, safeIps: ['10.0.0.1', '127.0.0.0/8'] });
    await failTimes(3);
    expect((await goodAuth()).status).toBe(200);
  });

  it('shares the DoS filter safe list, as zimbraHttpThrottleSafeIPs does', async () => {
    await start({ maxFailures: 1 });
    sim.configureDosFilter({ maxRequestsPerSec: 1000, safeIps: ['127.0.0.1'] });
    sim.configureLoginSuspension({ maxFailures: 1 });
    await failTimes(3);
    expect((await goodAuth()).status).toBe(200);
  });

  it('refuses a safe IP that is not an address', async () => {
    await expect(
      startSimulator({ loginSuspension: { safeIps: ['mail.example.com'] } }),
    ).rejects.toThrow(TypeError);
    await start({});
  });
});
