// Envelope, ports, tokens and injection hooks: /work/shared/reference/zimbra-soap.md §2,
// §8.2 and §9, from zm-mailbox store/src/java/com/zimbra/soap/SoapServlet.java,
// SoapEngine.java, ZimbraSoapContext.java and store/conf/web.xml.production.
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { envelope, faultCode, login, postRaw, rawMessage, soap } from './sim-helpers.js';

const T = 1_700_000_000_000;
let sim: Simulator;
let key: string;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ now: () => T });
  key = sim.addDomain('example.com').preauthKey;
  sim.addAccount('alice@example.com');
  sim.fileMessage('alice@example.com', rawMessage('<t@x.example>'));
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  sim.clearInjections();
  token = await login(sim.soapUrl, key, 'alice@example.com', T);
  sim.clearRequests();
});

/** POSTs with node:http and reports whether the request went out on a reused socket. */
function postReportingReuse(url: string, body: string, agent: Agent): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(req.reusedSocket));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const search = { types: 'message', query: 'msgid:"t@x.example"' };

describe('JSON envelope', () => {
  it('answers with Zimbra content type, no-cache, a Date header and a change token', async () => {
    const answer = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store, no-cache');
    expect(answer.headers.date).toBeTruthy();
    expect(answer.json.Header.context).toMatchObject({ _jsns: 'urn:zimbra' });
    expect(typeof answer.json.Header.context.change.token).toBe('number');
    expect(answer.json._jsns).toBe('urn:zimbraSoap');
  });

  it('serves any suffix under /service/soap/', async () => {
    const url = `${sim.soapUrl}SearchRequest`;
    expect((await soap(url, 'SearchRequest', 'urn:zimbraMail', search, token)).status).toBe(200);
  });

  it('accepts the auth token as a string, an object or an array of objects', async () => {
    for (const shape of [token, { _content: token }, [{ _content: token }]]) {
      const body = {
        Header: { context: { _jsns: 'urn:zimbra', authToken: shape } },
        Body: { SearchRequest: { _jsns: 'urn:zimbraMail', ...search } },
      };
      expect((await postRaw(sim.soapUrl, JSON.stringify(body))).status).toBe(200);
    }
  });

  it('answers PARSE_ERROR without a Header for unparseable JSON', async () => {
    const answer = await postRaw(sim.soapUrl, '{"Body": ');
    expect(answer.status).toBe(500);
    expect(faultCode(answer)).toBe('service.PARSE_ERROR');
    expect(answer.json.Header).toBeUndefined();
  });

  it('answers UNKNOWN_DOCUMENT for a wrong namespace or an unknown request', async () => {
    const wrongNs = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraAccount', search, token);
    expect(faultCode(wrongNs)).toBe('service.UNKNOWN_DOCUMENT');
    const unknown = await soap(sim.soapUrl, 'FrobnicateRequest', 'urn:zimbraMail', {}, token);
    expect(faultCode(unknown)).toBe('service.UNKNOWN_DOCUMENT');
    expect(unknown.json.Body.Fault.Code.Value).toBe('soap:Sender');
  });

  it('answers an XML service.FAILURE when Header.context lacks urn:zimbra', async () => {
    const body = {
      Header: { context: { authToken: token } },
      Body: { SearchRequest: { _jsns: 'urn:zimbraMail', ...search } },
    };
    const answer = await postRaw(sim.soapUrl, JSON.stringify(body));
    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(answer.text).toContain('<Code>service.FAILURE</Code>');
  });

  it('refuses XML requests with an XML fault', async () => {
    const answer = await postRaw(sim.soapUrl, '<soap:Envelope/>');
    expect(answer.status).toBe(500);
    expect(answer.text).toMatch(
      /^<soap:Envelope xmlns:soap="http:\/\/www.w3.org\/2003\/05\/soap-envelope">/,
    );
  });

  it('keeps the connection alive between requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const payload = JSON.stringify(envelope('SearchRequest', 'urn:zimbraMail', search, token));
    const reused: boolean[] = [];
    for (let i = 0; i < 3; i += 1) {
      reused.push(await postReportingReuse(sim.soapUrl, payload, agent));
    }
    agent.destroy();
    expect(reused).toEqual([false, true, true]);
  });
});

describe('ports', () => {
  const swap = (url: string, from: string, to: string) => url.replace(from, to);

  it('answers an XML FAILURE naming the port for /service/soap on the admin listener', async () => {
    const url = swap(sim.adminSoapUrl, '/service/admin/soap/', '/service/soap/');
    const answer = await soap(url, 'SearchRequest', 'urn:zimbraMail', search, token);
    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(answer.text).toContain(`system failure: Request not allowed on port ${sim.adminPort}`);
    expect(answer.text).toContain('<soap:Value>soap:Receiver</soap:Value>');
  });

  it('answers the same for /service/admin/soap on the user listener', async () => {
    const url = swap(sim.soapUrl, '/service/soap/', '/service/admin/soap/');
    const answer = await soap(url, 'SearchRequest', 'urn:zimbraMail', search, token);
    expect(answer.text).toContain(`Request not allowed on port ${sim.port}`);
  });

  it('serves AuthRequest and mail requests on the admin URL', async () => {
    const adminToken = await login(sim.adminSoapUrl, key, 'alice@example.com', T);
    const answer = await soap(
      sim.adminSoapUrl,
      'SearchRequest',
      'urn:zimbraMail',
      search,
      adminToken,
    );
    expect(answer.json.Body.SearchResponse.m).toHaveLength(1);
    expect(sim.requests.map((r) => r.port)).toEqual(['admin', 'admin']);
  });
});

describe('auth tokens', () => {
  it('answers AUTH_EXPIRED without a Header once the token has expired', async () => {
    sim.expireTokens('alice@example.com');
    const answer = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token);
    expect(faultCode(answer)).toBe('service.AUTH_EXPIRED');
    expect(answer.json.Header).toBeUndefined();
  });

  it('expires tokens by the simulator clock', async () => {
    sim.setClockOffsetMs(172_800_000);
    try {
      const answer = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token);
      expect(faultCode(answer)).toBe('service.AUTH_EXPIRED');
    } finally {
      sim.setClockOffsetMs(0);
    }
  });

  it('answers AUTH_REQUIRED for a forged token and for none', async () => {
    const forged = `0_${'ab'.repeat(20)}_${'00'.repeat(8)}`;
    expect(
      faultCode(await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, forged)),
    ).toBe('service.AUTH_REQUIRED');
    expect(faultCode(await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search))).toBe(
      'service.AUTH_REQUIRED',
    );
  });

  it('refuses the token of an account that was closed after login', async () => {
    sim.addAccount('carol@example.com');
    const carol = await login(sim.soapUrl, key, 'carol@example.com', T);
    sim.setAccountStatus('carol@example.com', 'closed');
    expect(
      faultCode(await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, carol)),
    ).toBe('service.AUTH_EXPIRED');
  });
});

describe('request log', () => {
  it('records name, account, fault code and status and counts per name', async () => {
    await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token);
    await soap(
      sim.soapUrl,
      'MsgActionRequest',
      'urn:zimbraMail',
      { action: { op: 'move', id: '9999', l: '2' } },
      token,
    );
    expect(sim.countRequests('SearchRequest')).toBe(1);
    expect(sim.countRequests('MsgActionRequest')).toBe(1);
    expect(sim.requests[1]).toMatchObject({
      requestName: 'MsgActionRequest',
      account: 'alice@example.com',
      faultCode: 'mail.NO_SUCH_MSG',
      httpStatus: 500,
    });
    sim.clearRequests();
    expect(sim.requests).toEqual([]);
    expect(sim.countRequests('SearchRequest')).toBe(0);
  });
});

describe('injection hooks', () => {
  it('answers 429 with a DoSFilter header and an HTML body, for the next N requests only', async () => {
    sim.inject({
      request: 'SearchRequest',
      times: 2,
      http: { status: 429, headers: { DoSFilter: 'unavailable' } },
    });
    for (let i = 0; i < 2; i += 1) {
      const answer = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token);
      expect(answer.status).toBe(429);
      expect(answer.headers.dosfilter).toBe('unavailable');
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.text).toContain('HTTP ERROR 429');
    }
    expect((await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token)).status).toBe(
      200,
    );
    expect(sim.requests.map((r) => r.injected)).toEqual(['http', 'http', null]);
  });

  it('answers a bare 503 for any request while the rule is in place', async () => {
    const remove = sim.inject({ request: '*', http: { status: 503 } });
    expect((await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token)).status).toBe(
      503,
    );
    expect((await soap(sim.soapUrl, 'GetFolderRequest', 'urn:zimbraMail', {}, token)).status).toBe(
      503,
    );
    remove();
    expect((await soap(sim.soapUrl, 'GetFolderRequest', 'urn:zimbraMail', {}, token)).status).toBe(
      200,
    );
  });

  it('answers an injected fault with the right Sender/Receiver and leaves state untouched', async () => {
    const id = sim.listMessages('alice@example.com')[0]?.id as string;
    sim.inject({ request: 'MsgActionRequest', times: 1, fault: { code: 'mail.MAINTENANCE' } });
    const answer = await soap(
      sim.soapUrl,
      'MsgActionRequest',
      'urn:zimbraMail',
      { action: { op: 'trash', id } },
      token,
    );
    expect(answer.status).toBe(500);
    expect(faultCode(answer)).toBe('mail.MAINTENANCE');
    expect(answer.json.Body.Fault.Code.Value).toBe('soap:Receiver');
    expect(sim.listMessages('alice@example.com')[0]?.folderId).toBe('2');
    expect(sim.requests[0]).toMatchObject({ injected: 'fault', faultCode: 'mail.MAINTENANCE' });
  });

  it('drops the connection without an answer', async () => {
    sim.inject({ request: 'SearchRequest', times: 1, drop: true });
    await expect(
      soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token),
    ).rejects.toThrow();
    expect(sim.requests[0]).toMatchObject({ injected: 'drop', httpStatus: null });
    expect((await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token)).status).toBe(
      200,
    );
  });

  it('handles a delayed request normally after the delay', async () => {
    sim.inject({ request: 'SearchRequest', times: 1, delayMs: 20 });
    const answer = await soap(sim.soapUrl, 'SearchRequest', 'urn:zimbraMail', search, token);
    expect(answer.json.Body.SearchResponse.m).toHaveLength(1);
  });
});

describe('BatchRequest', () => {
  it('runs sub-requests, echoes requestId and answers 200 with faults inside', async () => {
    const id = sim.listMessages('alice@example.com')[0]?.id as string;
    const body = {
      Header: { context: { _jsns: 'urn:zimbra', authToken: token } },
      Body: {
        BatchRequest: {
          _jsns: 'urn:zimbra',
          onerror: 'continue',
          MsgActionRequest: [
            { _jsns: 'urn:zimbraMail', requestId: '0', action: { op: 'move', id, l: '2' } },
            { _jsns: 'urn:zimbraMail', requestId: '1', action: { op: 'move', id: '999', l: '2' } },
          ],
        },
      },
    };
    const answer = await postRaw(sim.soapUrl, JSON.stringify(body));
    expect(answer.status).toBe(200);
    const batch = answer.json.Body.BatchResponse;
    expect(batch.MsgActionResponse[0]).toMatchObject({
      requestId: '0',
      action: { id, op: 'move' },
    });
    expect(batch.Fault[0]).toMatchObject({
      requestId: '1',
      Detail: { Error: { Code: 'mail.NO_SUCH_MSG' } },
    });
  });
});
