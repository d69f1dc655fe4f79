import { afterEach, describe, expect, it } from 'vitest';
import { SoapTransport } from '../../src/zimbra/transport.js';
import { ZimbraClient, ZimbraError, computePreAuth } from '../../src/zimbra/index.js';
import { FakeServer, requestNameOf } from './helpers/fake-server.js';
import { KEY, authOk, html, ok, requestElement } from './helpers/scripted.js';

const NOW = 1_700_000_000_000;
const servers: FakeServer[] = [];
const clients: ZimbraClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(handler: Parameters<typeof FakeServer.start>[0]): Promise<FakeServer> {
  const server = await FakeServer.start(handler);
  servers.push(server);
  return server;
}

function client(
  server: FakeServer,
  extra: Partial<ConstructorParameters<typeof ZimbraClient>[0]> = {},
) {
  const sleeps: number[] = [];
  const c = new ZimbraClient({
    soapUrl: server.soapUrl,
    preauthKey: KEY,
    now: () => NOW,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    ...extra,
  });
  clients.push(c);
  return { client: c, sleeps };
}

/** Logs in, then answers every other request with `rest`. */
function afterLogin(
  rest: Parameters<typeof FakeServer.start>[0],
): Parameters<typeof FakeServer.start>[0] {
  return (request, res) =>
    requestNameOf(request) === 'AuthRequest' ? authOk(res) : rest(request, res);
}

async function failureOf(promise: Promise<unknown>): Promise<ZimbraError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZimbraError);
  return error as ZimbraError;
}

describe('SoapTransport over loopback HTTP', () => {
  it('reuses one keep-alive connection for successive calls', async () => {
    const server = await start(
      afterLogin((_r, res) => ok(res, 'SearchResponse', { more: false, offset: 0 })),
    );
    const { client: c } = client(server, { connections: 1 });
    const mailbox = await c.openMailbox('alice@example.com');
    await mailbox.search('in:inbox');
    await mailbox.search('in:inbox');

    const ports = new Set(server.requests.map((r) => r.remotePort));
    expect(server.requests).toHaveLength(4);
    expect(ports.size).toBe(1);
  });

  it('gives up on a server that never answers with ZIMBRA_TIMEOUT', async () => {
    const server = await start(afterLogin(() => undefined));
    const { client: c } = client(server, {
      timeoutMs: 150,
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const mailbox = await c.openMailbox('alice@example.com');
    const error = await failureOf(mailbox.search('in:inbox'));
    expect(error).toMatchObject({
      code: 'ZIMBRA_TIMEOUT',
      failureClass: 'transient',
      soapRequest: 'SearchRequest',
    });
  });

  it('retries a 429 HTML page from the DoS filter as throttling, never reading it as SOAP', async () => {
    const server = await start(
      afterLogin((_r, res) => html(res, 429, { DoSFilter: 'unavailable' })),
    );
    const { client: c, sleeps } = client(server);
    const mailbox = await c.openMailbox('alice@example.com');
    const error = await failureOf(mailbox.search('in:inbox'));

    expect(error).toMatchObject({
      code: 'ZIMBRA_THROTTLED',
      httpStatus: 429,
      faultCode: undefined,
    });
    expect(error.context['dosFilter']).toBe('unavailable');
    expect(server.posts.filter((r) => requestNameOf(r) === 'SearchRequest')).toHaveLength(3);
    // Each resend waits its jittered backoff, then the rest of the host's 1 s throttle pause.
    expect(sleeps).toEqual([50, 950, 100, 900]);
  });

  it('maps a bare 503 to ZIMBRA_SERVICE_UNAVAILABLE and recovers when the next try succeeds', async () => {
    let searches = 0;
    const server = await start(
      afterLogin((_r, res) =>
        ++searches === 1 ? html(res, 503) : ok(res, 'SearchResponse', { more: false }),
      ),
    );
    const { client: c, sleeps } = client(server);
    const mailbox = await c.openMailbox('alice@example.com');
    await expect(mailbox.search('in:inbox')).resolves.toEqual({ hits: [], more: false, offset: 0 });
    expect(searches).toBe(2);
    expect(sleeps).toEqual([50, 950]);
  });

  it('reports a 503 that does not recover as ZIMBRA_SERVICE_UNAVAILABLE', async () => {
    const server = await start(afterLogin((_r, res) => html(res, 503)));
    const { client: c } = client(server);
    const mailbox = await c.openMailbox('alice@example.com');
    const error = await failureOf(mailbox.search('in:inbox'));
    expect(error).toMatchObject({
      code: 'ZIMBRA_SERVICE_UNAVAILABLE',
      failureClass: 'transient',
      httpStatus: 503,
    });
  });

  it('maps a connection reset mid-request to ZIMBRA_CONNECTION_RESET', async () => {
    const server = await start(afterLogin((_r, res) => void res.socket?.destroy()));
    const { client: c } = client(server, { retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    const mailbox = await c.openMailbox('alice@example.com');
    const error = await failureOf(mailbox.search('in:inbox'));
    expect(error).toMatchObject({
      code: 'ZIMBRA_CONNECTION_RESET',
      failureClass: 'transient',
      retry: 'backoff',
    });
  });

  it('maps a refused connection to ZIMBRA_CONNECTION_REFUSED', async () => {
    const server = await start(() => undefined);
    const url = server.soapUrl;
    await server.close();
    servers.length = 0;
    const { client: c } = client({ soapUrl: url } as FakeServer, {
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const error = await failureOf(c.openMailbox('alice@example.com'));
    expect(error).toMatchObject({ code: 'ZIMBRA_CONNECTION_REFUSED' });
  });

  it('reads the XML wrong-port fault sent with text/xml', async () => {
    const xml =
      '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text>system failure: Request not allowed on port 7071</soap:Text></soap:Reason><soap:Detail><Error xmlns="urn:zimbra"><Code>service.FAILURE</Code><Trace>qtp-1</Trace></Error></soap:Detail></soap:Fault></soap:Body></soap:Envelope>';
    const server = await start(
      (_r, res) => void res.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' }).end(xml),
    );
    const { client: c } = client(server);
    const error = await failureOf(c.openMailbox('alice@example.com'));
    expect(error).toMatchObject({
      code: 'ZIMBRA_WRONG_SOAP_URL',
      failureClass: 'config',
      soapRequest: 'AuthRequest',
    });
    // A config error is not retried.
    expect(server.posts).toHaveLength(1);
  });

  it('refuses an answer larger than the limit', async () => {
    const server = await start((_r, res) => void res.writeHead(200).end('x'.repeat(5000)));
    const transport = new SoapTransport({
      origin: new URL(server.soapUrl).origin,
      userAgent: 't',
      maxResponseBytes: 1000,
      allowLoopback: true,
    });
    const error = await failureOf(transport.postJson('/service/soap/', '{}', 'SearchRequest'));
    expect(error.code).toBe('ZIMBRA_RESPONSE_TOO_LARGE');
    await transport.close();
  });

  it('sends JSON with the Retract user agent', async () => {
    const server = await start((_r, res) => authOk(res));
    const { client: c } = client(server, { userAgentVersion: '9.9.9' });
    await c.openMailbox('alice@example.com');
    const auth = server.posts[0]!;
    expect(auth.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(auth.headers['user-agent']).toBe('Retract/9.9.9');
    expect(auth.url).toBe('/service/soap/');
  });
});

describe('clock skew', () => {
  it('reads the server clock before the first login and signs with the corrected timestamp', async () => {
    const serverNow = NOW + 10 * 60_000;
    const server = await start((_r, res) => authOk(res));
    server.serverDateMs = serverNow;
    const { client: c } = client(server);
    expect(c.clockSkewMs).toBeUndefined();
    await c.openMailbox('alice@example.com');

    expect(server.requests[0]!.method).toBe('GET');
    expect(c.clockSkewMs).toBe(serverNow + 500 - NOW);
    const preauth = requestElement(server.posts[0]!)['preauth'] as {
      timestamp: number;
      _content: string;
    };
    expect(preauth.timestamp).toBe(serverNow + 500);
    expect(preauth._content).toBe(
      computePreAuth({ account: 'alice@example.com', timestampMs: serverNow + 500, key: KEY }),
    );
  });
});
