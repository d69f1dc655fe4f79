// Account status on AuthRequest (reference §1.7: LdapProvisioning.checkAccountStatus) and
// on later requests carrying a token issued while the account was active (zm-mailbox
// store/src/java/com/zimbra/cs/service/AuthProvider.java validateAuthToken: any status
// other than active answers service.AUTH_EXPIRED, maintenance included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type AccountStatus, type Simulator } from '../../sim/index.js';
import { faultCode, login, preauthBody, soap } from './sim-helpers.js';

const T = 1_700_000_000_000;
const search = { types: 'message', query: 'in:inbox' };
let sim: Simulator;
let key: string;

beforeAll(async () => {
  sim = await startSimulator({ now: () => T });
  key = sim.addDomain('example.com').preauthKey;
});

afterAll(async () => {
  await sim.close();
});

const AUTH_ANSWERS: [AccountStatus, string | null, string | null][] = [
  ['active', null, null],
  ['locked', 'account.AUTH_FAILED', 'soap:Sender'],
  ['closed', 'account.AUTH_FAILED', 'soap:Sender'],
  ['pending', 'account.AUTH_FAILED', 'soap:Sender'],
  ['maintenance', 'account.MAINTENANCE_MODE', 'soap:Receiver'],
];

describe('AuthRequest per account status', () => {
  for (const [status, code, value] of AUTH_ANSWERS) {
    it(`answers ${code ?? 'a token'} for a ${status} account`, async () => {
      const address = `auth-${status}@example.com`;
      sim.addAccount(address, { status });
      const answer = await soap(
        sim.soapUrl,
        'AuthRequest',
        'urn:zimbraAccount',
        preauthBody(key, address, T),
      );
      expect(faultCode(answer)).toBe(code ?? undefined);
      if (value !== null) expect(answer.json.Body.Fault.Code.Value).toBe(value);
      else expect(answer.json.Body.AuthResponse.authToken[0]._content).toMatch(/^0_/);
    });
  }

  it('answers AUTH_FAILED, never NO_SUCH_ACCOUNT, for an unknown account', async () => {
    const answer = await soap(
      sim.soapUrl,
      'AuthRequest',
      'urn:zimbraAccount',
      preauthBody(key, 'nobody@example.com', T),
    );
    expect(faultCode(answer)).toBe('account.AUTH_FAILED');
  });
});

describe('an existing token after the status changed', () => {
  for (const status of ['locked', 'closed', 'pending', 'maintenance'] as const) {
    it(`answers AUTH_EXPIRED to a mail request once the account is ${status}`, async () => {
      const address = `token-${status}@example.com`;
      sim.addAccount(address);
      const token = await login(sim.soapUrl, key, address, T);
      sim.setAccountStatus(address, status);
      const answer = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token);
      expect(answer.status).toBe(500);
      expect(faultCode(answer)).toBe('service.AUTH_EXPIRED');
      expect(answer.json.Body.Fault.Code.Value).toBe('soap:Sender');
    });
  }

  it('accepts the same token again once the account is active again', async () => {
    sim.addAccount('back@example.com');
    const token = await login(sim.soapUrl, key, 'back@example.com', T);
    sim.setAccountStatus('back@example.com', 'locked');
    sim.setAccountStatus('back@example.com', 'active');
    const answer = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token);
    expect(answer.status).toBe(200);
  });

  it('does not check the token account on a request that needs no auth', async () => {
    sim.addAccount('stale@example.com');
    sim.addAccount('fresh@example.com');
    const stale = await login(sim.soapUrl, key, 'stale@example.com', T);
    sim.setAccountStatus('stale@example.com', 'closed');
    const answer = await soap(
      sim.soapUrl,
      'AuthRequest',
      'urn:zimbraAccount',
      preauthBody(key, 'fresh@example.com', T),
      stale,
    );
    expect(answer.status).toBe(200);
  });
});
