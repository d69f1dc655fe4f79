import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSoapResponse } from '../../src/zimbra/envelope.js';
import {
  ZimbraClient,
  ZimbraError,
  messageIdQuery,
  type MailboxSession,
} from '../../src/zimbra/index.js';
import { FixtureServer } from './helpers/fixture-server.js';
import {
  VECTOR_KEY,
  VECTOR_TIMESTAMP_MS,
  fixtureNames,
  loadFixture,
  responseOf,
} from './helpers/fixtures.js';

// Each case: the fixtures the server answers with, in order (after the login),
// what the session does, and what it must return or throw.
interface Case {
  fixtures: string[];
  act: (session: MailboxSession) => Promise<unknown>;
  returns?: unknown;
  throws?: Partial<
    Pick<ZimbraError, 'code' | 'failureClass' | 'faultCode' | 'httpStatus' | 'gone' | 'retry'>
  >;
}

const MESSAGE_ID = 'CAF123abc@mail.evil.example';

const CASES: Record<string, Case> = {
  'search by msgid reads hits, more and offset, ids kept exactly': {
    fixtures: ['search-msgid-page'],
    act: (s) => s.search(messageIdQuery(MESSAGE_ID), { limit: 2 }),
    returns: {
      more: true,
      offset: 0,
      hits: [
        {
          id: '301',
          folderId: '2',
          dateMs: 1700000123000,
          sizeBytes: 4711,
          subject: 'Urgent: confirm your payroll details',
          from: 'payroll@evil.example',
          conversationId: '-301',
        },
        {
          id: '7b1c2a3e-1111-4a2b-9c3d-0123456789ab:302',
          folderId: '3',
          dateMs: 1700000122000,
          sizeBytes: 4711,
          subject: 'Urgent: confirm your payroll details',
          from: 'payroll@evil.example',
          conversationId: '-302',
        },
      ],
    },
  },
  'an empty SearchResponse without m finds nothing': {
    fixtures: ['search-empty'],
    act: (s) => s.findMessages(MESSAGE_ID),
    returns: [],
  },
  'a bad query is QUERY_PARSE_ERROR, internal, not retried': {
    fixtures: ['search-query-parse-error'],
    act: (s) => s.search('msgid:"unterminated'),
    throws: {
      code: 'ZIMBRA_QUERY_PARSE_ERROR',
      failureClass: 'internal',
      faultCode: 'mail.QUERY_PARSE_ERROR',
      httpStatus: 500,
      retry: 'never',
    },
  },
  'move sends comma-joined ids and the target folder': {
    fixtures: ['msg-action-move'],
    act: (s) => s.moveMessages(['301', '302'], '310'),
    returns: undefined,
  },
  'trash sends op trash': {
    fixtures: ['msg-action-trash'],
    act: (s) => s.trashMessages(['301']),
    returns: undefined,
  },
  'delete sends op delete': {
    fixtures: ['msg-action-delete'],
    act: (s) => s.deleteMessages(['301', '999']),
    returns: undefined,
  },
  'moving a vanished message is NO_SUCH_MSG, marked gone': {
    fixtures: ['msg-action-no-such-msg'],
    act: (s) => s.moveMessages(['999'], '310'),
    throws: {
      code: 'ZIMBRA_NO_SUCH_MSG',
      failureClass: 'mailbox',
      faultCode: 'mail.NO_SUCH_MSG',
      gone: true,
    },
  },
  'trashing a vanished message is NO_SUCH_ITEM, marked gone': {
    fixtures: ['msg-action-no-such-item'],
    act: (s) => s.trashMessages(['999']),
    throws: {
      code: 'ZIMBRA_NO_SUCH_ITEM',
      failureClass: 'mailbox',
      faultCode: 'mail.NO_SUCH_ITEM',
      gone: true,
    },
  },
  'GetFolder by path reads id, name, path and parent': {
    fixtures: ['get-folder'],
    act: (s) => s.getFolder('Quarantine'),
    returns: { id: '310', name: 'Quarantine', path: '/Quarantine', parentId: '1' },
  },
  'a missing folder is NO_SUCH_FOLDER': {
    fixtures: ['get-folder-no-such-folder'],
    act: (s) => s.getFolder('/Nope'),
    throws: {
      code: 'ZIMBRA_NO_SUCH_FOLDER',
      failureClass: 'mailbox',
      faultCode: 'mail.NO_SUCH_FOLDER',
      gone: false,
    },
  },
  'ensureFolder creates under the root with fie': {
    fixtures: ['create-folder'],
    act: (s) => s.ensureFolder('Quarantine'),
    returns: { id: '310', name: 'Quarantine', path: '/Quarantine', parentId: '1' },
  },
  'GetMsg reads the folder and the Message-ID with brackets': {
    fixtures: ['get-msg'],
    act: (s) => s.getMessage('301'),
    returns: { id: '301', folderId: '2', messageId: '<CAF123abc@mail.evil.example>' },
  },
  'an expired token is refreshed by one new login, then the call is sent again': {
    fixtures: ['search-auth-expired', 'auth-request', 'search-empty'],
    act: (s) => s.findMessages(MESSAGE_ID),
    returns: [],
  },
  'a PROXY_ERROR fault is transient and retried with backoff': {
    fixtures: ['proxy-error'],
    act: (s) => s.findMessages(MESSAGE_ID),
    throws: {
      code: 'ZIMBRA_PROXY_ERROR',
      failureClass: 'transient',
      faultCode: 'service.PROXY_ERROR',
      httpStatus: 500,
      retry: 'backoff',
    },
  },
  "the DoS filter's HTML 429 is ZIMBRA_THROTTLED, never read as SOAP": {
    fixtures: ['dos-filter-throttled'],
    act: (s) => s.findMessages(MESSAGE_ID),
    throws: {
      code: 'ZIMBRA_THROTTLED',
      failureClass: 'transient',
      faultCode: undefined,
      httpStatus: 429,
      retry: 'backoff',
    },
  },
  'a GAL entry carrying the address as an alias is an account; a substring match is not': {
    fixtures: ['search-gal-account'],
    act: (s) => s.lookupAddress('Alice@Example.com'),
    returns: 'account',
  },
  'a GAL entry of type group is a list': {
    fixtures: ['search-gal-list'],
    act: (s) => s.lookupAddress('all-staff@example.com'),
    returns: 'list',
  },
  'a list expands to its members, each looked up in the GAL': {
    fixtures: ['get-dl-members', 'search-gal-account'],
    act: (s) => s.expandDistributionList('all-staff@example.com'),
    returns: { accounts: ['alice@example.com'], lists: ['all-staff@example.com'], unknown: [] },
  },
  'an unknown or hidden list is NO_SUCH_DISTRIBUTION_LIST': {
    fixtures: ['get-dl-members-no-such-list'],
    act: (s) => s.expandDistributionList('secret-board@example.com'),
    throws: {
      code: 'ZIMBRA_NO_SUCH_DISTRIBUTION_LIST',
      failureClass: 'mailbox',
      faultCode: 'account.NO_SUCH_DISTRIBUTION_LIST',
      retry: 'never',
    },
  },
  'the XML wrong-port fault becomes ZIMBRA_WRONG_SOAP_URL with the right URL forms': {
    fixtures: ['wrong-port'],
    act: (s) => s.findMessages(MESSAGE_ID),
    throws: {
      code: 'ZIMBRA_WRONG_SOAP_URL',
      failureClass: 'config',
      faultCode: 'service.FAILURE',
      httpStatus: 500,
    },
  },
};

describe('golden fixtures through ZimbraClient', () => {
  let server: FixtureServer;
  let client: ZimbraClient;

  beforeAll(async () => {
    server = await FixtureServer.start();
  });

  afterAll(async () => {
    await server.close();
  });

  function newClient(): ZimbraClient {
    // No Date header from the fake server, so the timestamp stays the injected one.
    return new ZimbraClient({
      soapUrl: server.soapUrl,
      preauthKey: VECTOR_KEY,
      now: () => VECTOR_TIMESTAMP_MS,
      userAgentVersion: '0.1.0',
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    });
  }

  it.each(Object.entries(CASES))('%s', async (_name, testCase) => {
    client = newClient();
    server.exchanges.length = 0;
    server.queue('auth-request', ...testCase.fixtures);
    const session = await client.openMailbox('alice@example.com');

    const outcome = testCase.act(session);
    if (testCase.throws === undefined) {
      await expect(outcome).resolves.toEqual(testCase.returns);
    } else {
      const error = await outcome.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZimbraError);
      expect(error).toMatchObject(testCase.throws);
    }

    expect(server.exchanges.map((e) => e.fixture)).toEqual(['auth-request', ...testCase.fixtures]);
    server.expectExactRequests();
    await client.close();
  });

  it.each([
    ['auth-failed', { code: 'ZIMBRA_AUTH_FAILED', failureClass: 'config', retry: 'never' }],
    [
      'auth-maintenance',
      {
        code: 'ZIMBRA_ACCOUNT_MAINTENANCE',
        failureClass: 'mailbox',
        retry: 'later',
        retryable: true,
      },
    ],
    [
      'login-suspended',
      {
        code: 'ZIMBRA_SERVICE_UNAVAILABLE',
        failureClass: 'transient',
        retry: 'backoff',
        httpStatus: 503,
      },
    ],
  ])(
    'a login answered with %s fails openMailbox with the mapped error',
    async (fixture, expected) => {
      client = newClient();
      server.exchanges.length = 0;
      server.queue(fixture);
      const error = await client.openMailbox('alice@example.com').catch((e: unknown) => e);
      expect(error).toMatchObject({
        ...expected,
        faultCode: loadFaultCode(fixture),
        soapRequest: 'AuthRequest',
      });
      // Only the login went out: the suspension page was never read as an answer.
      expect(server.exchanges).toHaveLength(1);
      server.expectExactRequests();
      await client.close();
    },
  );

  it('the wrong-port error names both URL forms for the host', async () => {
    client = newClient();
    server.queue('auth-request', 'wrong-port');
    const session = await client.openMailbox('alice@example.com');
    const error = (await session.search('x').catch((e: unknown) => e)) as ZimbraError;
    expect(error.context['suggestedUrls']).toEqual([
      'https://127.0.0.1/service/soap/',
      'https://127.0.0.1:7071/service/admin/soap/',
    ]);
    expect(error.message).toContain('https://127.0.0.1:7071/service/admin/soap/');
    await client.close();
  });
});

describe('every fixture response reads as its request expects', () => {
  it.each(fixtureNames())('%s', (name) => {
    const fixture = loadFixture(name);
    const soapRequest = Object.keys(fixture.request.Body)[0]!;
    const { text, contentType, headers } = responseOf(fixture);
    const answer = {
      status: fixture.httpStatus,
      headers: { ...lowerCased(headers), 'content-type': contentType },
      bodyText: text,
    };

    const read = (): unknown => readSoapResponse(answer, { soapRequest });
    if (fixture.httpStatus === 200) {
      expect(read()).toEqual(
        (fixture.response!['Body'] as Record<string, unknown>)[
          soapRequest.replace(/Request$/, 'Response')
        ],
      );
    } else {
      expect(read).toThrow(ZimbraError);
      expect(() => read()).toThrow(
        expect.objectContaining({ soapRequest, httpStatus: fixture.httpStatus }) as Error,
      );
    }
  });
});

/** Zimbra's fault code in the fixture's answer; undefined for an answer that is no SOAP fault. */
function loadFaultCode(name: string): string | undefined {
  const body = loadFixture(name).response?.['Body'] as
    { Fault: { Detail: { Error: { Code: string } } } } | undefined;
  return body?.Fault.Detail.Error.Code;
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
