// PreAuth vectors and failure matrix: /work/shared/reference/zimbra-soap.md §1.4 and §1.7,
// from zm-mailbox store/src/java/com/zimbra/cs/account/PreAuthKey.java,
// LdapProvisioning.java (verifyPreAuth) and service/account/Auth.java.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { faultCode, preauthBody, sign, soap, type SoapAnswer } from './sim-helpers.js';

const KEY = '0b1c2d3e4f5a6b7c8d9e0fa1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5';
const T = 1_700_000_000_000;
const ALICE_ID = '7b1c2a3e-1111-4a2b-9c3d-0123456789ab';
const NS = 'urn:zimbraAccount';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ now: () => T });
  sim.addDomain('example.com', { preauthKey: KEY });
  sim.addAccount('alice@example.com', { id: ALICE_ID });
  sim.addDomain('nokey.example', { preauthKey: null });
  sim.addAccount('bob@nokey.example');
  for (const status of ['locked', 'closed', 'pending', 'maintenance'] as const) {
    sim.addAccount(`${status}@example.com`, { status });
  }
});

afterAll(async () => {
  await sim.close();
});

function auth(body: object): Promise<SoapAnswer> {
  return soap(sim.soapUrl, 'AuthRequest', NS, body);
}

function withValue(account: string, value: string, ts = T, expires = 0, by = 'name') {
  return {
    account: { by, _content: account },
    preauth: { timestamp: ts, expires, _content: value },
  };
}

function expectFault(answer: SoapAnswer, code: string, value: string, reason: string) {
  expect(answer.status).toBe(500);
  expect(faultCode(answer)).toBe(code);
  expect(answer.json.Body.Fault.Code.Value).toBe(value);
  expect(answer.json.Body.Fault.Reason.Text).toBe(reason);
}

describe('preauth worked vectors (§1.4)', () => {
  it('accepts the published value for alice by name with expires 0', async () => {
    const answer = await auth(
      withValue('alice@example.com', 'a8ba8f9142ae38da760a759f568afcf3d3a1cfbf'),
    );
    expect(answer.status).toBe(200);
    const response = answer.json.Body.AuthResponse;
    expect(response._jsns).toBe('urn:zimbraAccount');
    expect(response.authToken[0]._content).toMatch(/^0_[0-9a-f]{40}_[0-9a-f]+$/);
    expect(response.lifetime).toBe(172_800_000);
    expect(response.skin[0]._content).toBe('harmony');
    expect(answer.json._jsns).toBe('urn:zimbraSoap');
    expect(typeof answer.json.Header.context.change.token).toBe('number');
  });

  it('takes a non-zero expires as an absolute instant, giving the remaining lifetime', async () => {
    const answer = await auth(
      withValue(
        'alice@example.com',
        'd7a24663fdd2f444de64254149de8c20e49168d5',
        T,
        1_700_003_600_000,
      ),
    );
    expect(answer.status).toBe(200);
    expect(answer.json.Body.AuthResponse.lifetime).toBe(3_600_000);
  });

  it('accepts the by-id vector', async () => {
    const value = 'cf727846ae784e309c2677050426f06d0568c64c';
    const answer = await auth(withValue(ALICE_ID, value, T, 0, 'id'));
    expect(answer.status).toBe(200);
  });

  it('signs the account exactly as sent: mixed case works only when signed mixed case', async () => {
    const mixed = 'a8975fe87d04aca3fda87a26fe4676b6f4c81c49';
    expect((await auth(withValue('Alice@Example.com', mixed))).status).toBe(200);
    const answer = await auth(withValue('alice@example.com', mixed));
    expect(faultCode(answer)).toBe('account.AUTH_FAILED');
  });

  it('compares the submitted value case-insensitively after trimming', async () => {
    const value = '  A8BA8F9142AE38DA760A759F568AFCF3D3A1CFBF ';
    expect((await auth(withValue('alice@example.com', value))).status).toBe(200);
  });

  it('rejects the hex-decoded-key negative control', async () => {
    const answer = await auth(
      withValue('alice@example.com', 'e199b626c9d1aec8c2d0bcaf56c921bf5c303e76'),
    );
    expectFault(
      answer,
      'account.AUTH_FAILED',
      'soap:Sender',
      'authentication failed for [alice@example.com]',
    );
  });

  it('rejects the admin-console variant of the signed string', async () => {
    const answer = await auth(
      withValue('alice@example.com', '942dbe1f9c10d4e2fdb69aaeb6a2789aaea19d80'),
    );
    expect(faultCode(answer)).toBe('account.AUTH_FAILED');
  });
});

describe('preauth timestamp window', () => {
  for (const offset of [300_001, -300_001]) {
    it(`rejects a timestamp ${offset} ms from the server clock`, async () => {
      const answer = await auth(preauthBody(KEY, 'alice@example.com', T + offset));
      expectFault(
        answer,
        'account.AUTH_FAILED',
        'soap:Sender',
        'authentication failed for [alice@example.com]',
      );
    });
  }

  for (const offset of [299_999, -299_999, 300_000]) {
    it(`accepts a timestamp ${offset} ms from the server clock`, async () => {
      const answer = await auth(preauthBody(KEY, 'alice@example.com', T + offset));
      expect(answer.status).toBe(200);
    });
  }

  it('measures the window against the skewed simulator clock', async () => {
    sim.setClockOffsetMs(400_000);
    try {
      const answer = await auth(preauthBody(KEY, 'alice@example.com', T));
      expect(faultCode(answer)).toBe('account.AUTH_FAILED');
      expect((await auth(preauthBody(KEY, 'alice@example.com', T + 400_000))).status).toBe(200);
    } finally {
      sim.setClockOffsetMs(0);
    }
  });

  it('accepts timestamp and expires given as numeric strings', async () => {
    const value = sign(KEY, 'alice@example.com', 'name', 0, T);
    const body = {
      account: { by: 'name', _content: 'alice@example.com' },
      preauth: { timestamp: String(T), expires: '0', _content: value },
    };
    expect((await auth(body)).status).toBe(200);
  });
});

describe('preauth failure matrix (§1.7)', () => {
  const authFailed = (account: string) => `authentication failed for [${account}]`;

  it('answers AUTH_FAILED, not NO_SUCH_ACCOUNT, for an unknown account, naming it as sent', async () => {
    const answer = await auth(preauthBody(KEY, 'Nobody@Example.com', T));
    expectFault(answer, 'account.AUTH_FAILED', 'soap:Sender', authFailed('Nobody@Example.com'));
  });

  it('answers AUTH_FAILED for an unknown id', async () => {
    const answer = await auth(preauthBody(KEY, '00000000-0000-4000-8000-000000000000', T, 0, 'id'));
    expect(faultCode(answer)).toBe('account.AUTH_FAILED');
  });

  it('answers AUTH_FAILED for a value signed with another key', async () => {
    const answer = await auth(preauthBody('f'.repeat(64), 'alice@example.com', T));
    expectFault(answer, 'account.AUTH_FAILED', 'soap:Sender', authFailed('alice@example.com'));
  });

  it('answers AUTH_FAILED for fields signed in the wrong order', async () => {
    const wrongOrder = sign(KEY, 'alice@example.com', 'name', T, 0);
    const answer = await auth(withValue('alice@example.com', wrongOrder));
    expect(faultCode(answer)).toBe('account.AUTH_FAILED');
  });

  for (const status of ['locked', 'closed', 'pending']) {
    it(`answers AUTH_FAILED for a ${status} account even with a valid signature`, async () => {
      const account = `${status}@example.com`;
      const answer = await auth(preauthBody(KEY, account, T));
      expectFault(answer, 'account.AUTH_FAILED', 'soap:Sender', authFailed(account));
    });
  }

  it('answers MAINTENANCE_MODE as a Receiver fault for an account in maintenance', async () => {
    const answer = await auth(preauthBody(KEY, 'maintenance@example.com', T));
    expectFault(
      answer,
      'account.MAINTENANCE_MODE',
      'soap:Receiver',
      'account is in maintenance mode',
    );
  });

  it('answers INVALID_REQUEST when the domain has no preauth key', async () => {
    const answer = await auth(preauthBody(KEY, 'bob@nokey.example', T));
    expectFault(
      answer,
      'service.INVALID_REQUEST',
      'soap:Sender',
      'invalid request: domain is not configured for preauth',
    );
  });

  it('answers INVALID_REQUEST for an empty preauth value', async () => {
    const answer = await auth(withValue('alice@example.com', '   '));
    expectFault(
      answer,
      'service.INVALID_REQUEST',
      'soap:Sender',
      'invalid request: preAuth must not be empty',
    );
  });

  it('answers INVALID_REQUEST for a missing timestamp', async () => {
    const body = {
      account: { by: 'name', _content: 'alice@example.com' },
      preauth: { expires: 0, _content: sign(KEY, 'alice@example.com', 'name', 0, T) },
    };
    const answer = await auth(body);
    expectFault(
      answer,
      'service.INVALID_REQUEST',
      'soap:Sender',
      'invalid request: missing required attribute: timestamp',
    );
  });

  it('answers INVALID_REQUEST naming an unknown by value', async () => {
    const answer = await auth(preauthBody(KEY, 'alice@example.com', T, 0, 'email'));
    expectFault(
      answer,
      'service.INVALID_REQUEST',
      'soap:Sender',
      'invalid request: unknown key: email',
    );
  });

  it('fails when account is a bare string instead of an element', async () => {
    const body = { ...preauthBody(KEY, 'alice@example.com', T), account: 'alice@example.com' };
    const answer = await auth(body);
    expect(answer.status).toBe(500);
    expect(faultCode(answer)).toBe('service.INVALID_REQUEST');
  });

  it('fails when preauth is a bare string instead of an element', async () => {
    const body = {
      account: { by: 'name', _content: 'alice@example.com' },
      preauth: sign(KEY, 'alice@example.com', 'name', 0, T),
    };
    const answer = await auth(body);
    expect(answer.status).toBe(500);
    expect(faultCode(answer)).toBe('account.AUTH_FAILED');
  });

  it('accepts account and preauth given as one-element arrays', async () => {
    const good = preauthBody(KEY, 'alice@example.com', T);
    const answer = await auth({ account: [good.account], preauth: [good.preauth] });
    expect(answer.status).toBe(200);
  });
});
