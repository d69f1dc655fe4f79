import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { ZimbraClient, ZimbraError } from '../../src/zimbra/index.js';
import { FakeServer, requestNameOf, type Handler } from './helpers/fake-server.js';
import {
  KEY,
  TOKEN,
  authOk,
  fault,
  html,
  ok,
  requestElement,
  tokenOf,
} from './helpers/scripted.js';

const servers: FakeServer[] = [];
const clients: ZimbraClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Setup {
  server: FakeServer;
  client: ZimbraClient;
  sleeps: number[];
  clock: { nowMs: number };
  logLines: string[];
}

/** A server whose AuthRequests are answered by `auth` (default: success) and the rest by `rest`. */
async function setup(rest: Handler, auth: Handler = (_r, res) => authOk(res)): Promise<Setup> {
  const server = await FakeServer.start((request, res) =>
    requestNameOf(request) === 'AuthRequest' ? auth(request, res) : rest(request, res),
  );
  servers.push(server);
  const sleeps: number[] = [];
  const clock = { nowMs: 1_700_000_000_000 };
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const client = new ZimbraClient({
    soapUrl: server.soapUrl,
    preauthKey: KEY,
    now: () => clock.nowMs,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 },
    logger: pino({ level: 'trace' }, sink),
  });
  clients.push(client);
  return { server, client, sleeps, clock, logLines };
}

function named(server: FakeServer, name: string) {
  return server.posts.filter((r) => requestNameOf(r) === name);
}

async function failureOf(promise: Promise<unknown>): Promise<ZimbraError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZimbraError);
  return error as ZimbraError;
}

/** A mailbox of `total` copies that answers Search pages by limit and offset. */
function pagedSearch(total: number): Handler {
  return (request, res) => {
    const { limit, offset } = requestElement(request) as { limit: number; offset: number };
    const end = Math.min(total, offset + limit);
    const m = Array.from({ length: end - offset }, (_v, i) => ({
      id: String(1000 + offset + i),
      l: '2',
      d: 1_700_000_000_000 - i,
      s: 100,
      cid: `-${1000 + offset + i}`,
    }));
    ok(res, 'SearchResponse', {
      sortBy: 'dateDesc',
      offset,
      ...(m.length > 0 ? { m } : {}),
      more: end < total,
    });
  };
}

describe('re-authentication', () => {
  it('logs in again once on AUTH_EXPIRED and sends the call again with the new token', async () => {
    let searches = 0;
    const tokens = ['0_first', '0_second'];
    const { server, client } = await setup(
      (_r, res) =>
        ++searches === 1
          ? fault(res, 'service.AUTH_EXPIRED')
          : ok(res, 'SearchResponse', { more: false }),
      (_r, res) => authOk(res, tokens.shift()),
    );
    const mailbox = await client.openMailbox('alice@example.com');
    await expect(mailbox.search('in:inbox')).resolves.toMatchObject({ hits: [] });

    expect(named(server, 'AuthRequest')).toHaveLength(2);
    expect(named(server, 'SearchRequest').map(tokenOf)).toEqual(['0_first', '0_second']);
  });

  it('gives up with a config error advising to check the SOAP URL when a fresh token is refused too', async () => {
    const { server, client } = await setup((_r, res) => fault(res, 'service.AUTH_REQUIRED'));
    const mailbox = await client.openMailbox('alice@example.com');
    const error = await failureOf(mailbox.trashMessages(['301']));

    expect(error).toMatchObject({
      code: 'ZIMBRA_TOKEN_REJECTED',
      failureClass: 'config',
      faultCode: 'service.AUTH_REQUIRED',
      soapRequest: 'MsgActionRequest',
    });
    expect(error.message).toMatch(/SOAP URL/);
    expect(named(server, 'AuthRequest')).toHaveLength(2);
    expect(named(server, 'MsgActionRequest')).toHaveLength(2);
  });

  it('never retries AUTH_FAILED', async () => {
    const { server, client, sleeps } = await setup(
      () => undefined,
      (_r, res) =>
        fault(
          res,
          'account.AUTH_FAILED',
          'soap:Sender',
          'authentication failed for [alice@example.com]',
        ),
    );
    const error = await failureOf(client.openMailbox('alice@example.com'));
    expect(error).toMatchObject({ code: 'ZIMBRA_AUTH_FAILED', failureClass: 'config' });
    expect(named(server, 'AuthRequest')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries a login that failed in transport', async () => {
    let logins = 0;
    const { server, client } = await setup(
      () => undefined,
      (_r, res) => (++logins === 1 ? html(res, 503) : authOk(res)),
    );
    await client.openMailbox('alice@example.com');
    expect(named(server, 'AuthRequest')).toHaveLength(2);
  });

  it('does not resend a login answered with a Receiver fault', async () => {
    const { server, client } = await setup(
      () => undefined,
      (_r, res) => fault(res, 'service.FAILURE', 'soap:Receiver'),
    );
    await failureOf(client.openMailbox('alice@example.com'));
    expect(named(server, 'AuthRequest')).toHaveLength(1);
  });

  it('reuses a cached token and logs in again when it nears its lifetime', async () => {
    const { server, client, clock } = await setup((_r, res) => ok(res, 'SearchResponse', {}));
    await client.openMailbox('alice@example.com');
    await client.openMailbox('ALICE@example.com');
    expect(named(server, 'AuthRequest')).toHaveLength(1);

    clock.nowMs += 172_799_985 - 60_000;
    await client.openMailbox('alice@example.com');
    expect(named(server, 'AuthRequest')).toHaveLength(2);
  });

  it('shares one login among concurrent opens of the same mailbox', async () => {
    const { server, client } = await setup(() => undefined);
    const sessions = await Promise.all(
      [1, 2, 3].map(() => client.openMailbox('alice@example.com')),
    );
    expect(sessions.map((s) => s.account)).toEqual(Array(3).fill('alice@example.com'));
    expect(named(server, 'AuthRequest')).toHaveLength(1);
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('signs and sends the account in lower case', async () => {
    const { server, client } = await setup(() => undefined);
    const mailbox = await client.openMailbox('  Alice@Example.COM ');
    expect(mailbox.account).toBe('alice@example.com');
    const account = requestElement(named(server, 'AuthRequest')[0]!)['account'];
    expect(account).toEqual({ by: 'name', _content: 'alice@example.com' });
  });
});

describe('finding every copy', () => {
  it('pages on more until false: 137 copies give 137 hits', async () => {
    const { server, client } = await setup(pagedSearch(137));
    const mailbox = await client.openMailbox('alice@example.com');
    const hits = await mailbox.findMessages('CAF123abc@mail.evil.example');

    expect(hits).toHaveLength(137);
    expect(new Set(hits.map((h) => h.id)).size).toBe(137);
    const pages = named(server, 'SearchRequest').map((r) => requestElement(r));
    expect(pages.map((p) => [p['offset'], p['limit']])).toEqual([
      [0, 100],
      [100, 100],
    ]);
    expect(pages[0]).toMatchObject({
      types: 'message',
      query: 'msgid:"CAF123abc@mail.evil.example" is:anywhere',
    });
  });

  it('stops with a bad-response error when more stays true on an empty page', async () => {
    const { client } = await setup((_r, res) =>
      ok(res, 'SearchResponse', { more: true, offset: 0 }),
    );
    const mailbox = await client.openMailbox('alice@example.com');
    const error = await failureOf(mailbox.findMessages('x@y'));
    expect(error.code).toBe('ZIMBRA_BAD_RESPONSE');
  });

  it('refuses an unsafe Message-ID before sending anything', async () => {
    const { server, client } = await setup(pagedSearch(1));
    const mailbox = await client.openMailbox('alice@example.com');
    await expect(mailbox.findMessages('abc@x\\')).rejects.toBeInstanceOf(InputError);
    expect(named(server, 'SearchRequest')).toHaveLength(0);
  });
});

describe('retries of actions', () => {
  it('never resends a delete, even on a transient error', async () => {
    const { server, client, sleeps } = await setup((_r, res) => html(res, 503));
    const mailbox = await client.openMailbox('alice@example.com');
    const error = await failureOf(mailbox.deleteMessages(['301']));
    expect(error.code).toBe('ZIMBRA_SERVICE_UNAVAILABLE');
    expect(named(server, 'MsgActionRequest')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('never resends a delete after a server failure fault', async () => {
    const { server, client } = await setup((_r, res) =>
      fault(res, 'service.FAILURE', 'soap:Receiver'),
    );
    const mailbox = await client.openMailbox('alice@example.com');
    await failureOf(mailbox.deleteMessages(['301']));
    expect(named(server, 'MsgActionRequest')).toHaveLength(1);
  });

  it('resends a move after PROXY_ERROR with jittered backoff', async () => {
    let moves = 0;
    const { server, client, sleeps } = await setup((_r, res) =>
      ++moves <= 2
        ? fault(res, 'service.PROXY_ERROR', 'soap:Receiver')
        : ok(res, 'MsgActionResponse', { action: { id: '301', op: 'move' } }),
    );
    const mailbox = await client.openMailbox('alice@example.com');
    await mailbox.moveMessages(['301'], '310');
    expect(named(server, 'MsgActionRequest')).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('stops after the configured attempts and reports the last error', async () => {
    const { server, client, sleeps } = await setup((_r, res) =>
      fault(res, 'service.TEMPORARILY_UNAVAILABLE', 'soap:Receiver'),
    );
    const mailbox = await client.openMailbox('alice@example.com');
    const error = await failureOf(mailbox.trashMessages(['301']));
    expect(error).toMatchObject({
      code: 'ZIMBRA_TEMPORARILY_UNAVAILABLE',
      failureClass: 'transient',
    });
    expect(named(server, 'MsgActionRequest')).toHaveLength(4);
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('honours Retry-After on a 429: the call backs off at most its maximum delay, the host stays paused', async () => {
    let searches = 0;
    const { client, sleeps } = await setup((_r, res) =>
      ++searches === 1 ? html(res, 429, { 'Retry-After': '30' }) : ok(res, 'SearchResponse', {}),
    );
    const mailbox = await client.openMailbox('alice@example.com');
    await mailbox.search('in:inbox');
    expect(sleeps).toEqual([1000, 29_000]);
  });

  it('does not wait in-process for a mailbox in maintenance', async () => {
    const { server, client, sleeps } = await setup((_r, res) =>
      fault(res, 'mail.MAINTENANCE', 'soap:Receiver'),
    );
    const mailbox = await client.openMailbox('alice@example.com');
    const error = await failureOf(mailbox.search('in:inbox'));
    expect(error).toMatchObject({
      code: 'ZIMBRA_MAILBOX_MAINTENANCE',
      retry: 'later',
      retryable: true,
    });
    expect(named(server, 'SearchRequest')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('sends nothing for an empty id list', async () => {
    const { server, client } = await setup(() => undefined);
    const mailbox = await client.openMailbox('alice@example.com');
    await mailbox.moveMessages([], '310');
    await mailbox.deleteMessages([]);
    expect(named(server, 'MsgActionRequest')).toHaveLength(0);
  });

  it('refuses an id that would smuggle in other ids', async () => {
    const { client } = await setup(() => undefined);
    const mailbox = await client.openMailbox('alice@example.com');
    await expect(mailbox.trashMessages(['301,302'])).rejects.toBeInstanceOf(TypeError);
  });
});

describe('folders', () => {
  it('creates a nested path one level at a time under the user root', async () => {
    let nextId = 300;
    const { server, client } = await setup((request, res) => {
      const folder = requestElement(request)['folder'] as { name: string; l: string };
      const parentPath = folder.l === '1' ? '' : '/Security';
      ok(res, 'CreateFolderResponse', {
        folder: [
          {
            id: String(++nextId),
            name: folder.name,
            absFolderPath: `${parentPath}/${folder.name}`,
            l: folder.l,
          },
        ],
      });
    });
    const mailbox = await client.openMailbox('alice@example.com');
    const folder = await mailbox.ensureFolder('/Security/Quarantine');

    expect(folder).toEqual({
      id: '302',
      name: 'Quarantine',
      path: '/Security/Quarantine',
      parentId: '301',
    });
    const sent = named(server, 'CreateFolderRequest').map((r) => requestElement(r)['folder']);
    expect(sent).toEqual([
      { name: 'Security', l: '1', view: 'message', fie: 1 },
      { name: 'Quarantine', l: '301', view: 'message', fie: 1 },
    ]);
  });

  it.each(['', '/', 'a//b', 'bad"name', 'tab\there'])(
    'refuses the folder path %j',
    async (path) => {
      const { client } = await setup(() => undefined);
      const mailbox = await client.openMailbox('alice@example.com');
      await expect(mailbox.ensureFolder(path)).rejects.toMatchObject({
        code: 'ZIMBRA_INVALID_FOLDER_PATH',
        field: 'folderPath',
      });
    },
  );
});

describe('construction and lifecycle', () => {
  it('refuses a malformed PreAuth key without echoing it', () => {
    const bad = 'not-a-key-but-a-secret';
    let thrown: unknown;
    try {
      new ZimbraClient({ soapUrl: 'https://mail.example.com/service/soap/', preauthKey: bad });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ZIMBRA_INVALID_PREAUTH_KEY', field: 'preauthKey' });
    expect((thrown as Error).message).not.toContain(bad);
  });

  it('refuses a metadata SOAP URL even if the caller skipped parseSoapUrl', () => {
    expect(
      () => new ZimbraClient({ soapUrl: 'http://169.254.169.254/service/soap/', preauthKey: KEY }),
    ).toThrow(expect.objectContaining({ code: 'ZIMBRA_INVALID_SOAP_URL' }) as Error);
  });

  it.each([
    'alice',
    'alice@',
    '@example.com',
    'a b@example.com',
    'alice\u0000@example.com',
    'alice@exa\r\nmple.com',
  ])('refuses the account %j', async (account) => {
    const { client } = await setup(() => undefined);
    await expect(client.openMailbox(account)).rejects.toMatchObject({
      code: 'ZIMBRA_INVALID_ACCOUNT',
      field: 'account',
    });
  });

  it('refuses new mailboxes after close', async () => {
    const { client } = await setup(() => undefined);
    await client.close();
    await expect(client.openMailbox('alice@example.com')).rejects.toMatchObject({
      code: 'ZIMBRA_CLIENT_CLOSED',
    });
  });
});

describe('secrets', () => {
  it('puts no key or token in any log line or error', async () => {
    let searches = 0;
    const { client, logLines } = await setup((_r, res) => {
      searches++;
      if (searches === 1) return fault(res, 'service.AUTH_EXPIRED');
      if (searches === 2) return html(res, 429, { DoSFilter: 'unavailable' });
      return fault(res, 'service.AUTH_REQUIRED');
    });
    const mailbox = await client.openMailbox('alice@example.com');
    const errors: unknown[] = [await failureOf(mailbox.search('in:inbox'))];
    errors.push(await failureOf(mailbox.deleteMessages(['1'])));

    expect(logLines.length).toBeGreaterThan(3);
    expect(logLines.some((line) => line.includes('"soapRequest":"SearchRequest"'))).toBe(true);
    const texts = [
      ...logLines,
      ...errors.map((e) => `${(e as Error).message} ${JSON.stringify((e as ZimbraError).context)}`),
    ];
    for (const text of texts) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toMatch(/[0-9a-f]{40}/);
    }
  });
});
