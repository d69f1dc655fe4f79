import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../sim/index.js';
import { parseXmlFault } from '../../src/zimbra/xml-fault.js';
import {
  VECTOR_KEY,
  VECTOR_TIMESTAMP_MS,
  fixtureNames,
  loadFixture,
  type Fixture,
} from './helpers/fixtures.js';

// The simulator (sim/) and the client (src/zimbra/) share no protocol code; both
// are held to the golden fixtures. Here each fixture's request is sent to the
// simulator, with only volatile values (token, item and folder ids) swapped for
// the simulator's own, and its answer must have the fixture's structure: the
// same keys with the same value types, the same HTTP status, and the same
// values where they are not volatile (namespaces, fault codes, ops, `more`).

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type Json = Record<string, unknown>;

const MESSAGE_ID = 'CAF123abc@mail.evil.example';
const ACCOUNT = 'alice@example.com';
const STABLE_KEYS = new Set(['_jsns', 'Code', 'Value', 'op', 'more', 'sortBy', 'view', 'name']);

// Keys Zimbra emits only when they apply, present in a fixture but legitimately
// absent from a given simulator answer (reference §3.5, §5, §6): flags (`f`),
// the fragment (`fr`) and tags (`tn`, `t`) are omitted when empty, `u` only when
// unread > 0, and GetMsg's body parts (`mp`) are outside the simulator's scope.
const OPTIONAL_KEYS = new Set(['f', 'fr', 'u', 'tn', 't', 'mp']);

let sim: Sim;
let token = '';
const ids = { copies: [] as string[], quarantine: '' };

function raw(id: string): string {
  return [
    'From: Payroll <payroll@evil.example>',
    `To: ${ACCOUNT}`,
    'Subject: Urgent: confirm your payroll details',
    `Message-ID: <${id}>`,
    'Date: Tue, 14 Nov 2023 22:13:20 +0000',
    'Content-Type: text/plain',
    '',
    'Please sign in at the link below.',
    '',
  ].join('\r\n');
}

async function post(url: string, envelope: unknown) {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(envelope),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    contentType: String(response.headers['content-type'] ?? ''),
    headers: response.headers,
    text,
  };
}

/** The fixture's request with the simulator's token and ids put in. */
function adapt(name: string, fixture: Fixture): Fixture['request'] {
  const envelope = structuredClone(fixture.request);
  if ('authToken' in envelope.Header.context) envelope.Header.context['authToken'] = token;
  const element = Object.values(envelope.Body)[0] as Json;
  const action = element['action'] as Json | undefined;
  if (action !== undefined) {
    const real = String(action['id'])
      .split(',')
      .map((id, i) => (id === '999' ? '999' : (ids.copies[i] ?? id)));
    action['id'] = real.join(',');
    if (action['l'] !== undefined) action['l'] = ids.quarantine;
  }
  const m = element['m'] as Json | undefined;
  if (name === 'get-msg' && m !== undefined) m['id'] = ids.copies[0];
  return envelope;
}

/** Keys and value types, recursively; arrays by their first element. */
function shapeOf(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0], key)];
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shapeOf(v, k)]),
    );
  }
  return STABLE_KEYS.has(key) ? value : typeof value;
}

/** The fixture's shape without the optional keys the simulator's answer lacks. */
function withoutAbsentOptionals(expected: unknown, actual: unknown): unknown {
  if (Array.isArray(expected)) {
    const first = Array.isArray(actual) ? actual[0] : undefined;
    return expected.map((e: unknown) => withoutAbsentOptionals(e, first));
  }
  if (typeof expected !== 'object' || expected === null) return expected;
  const present = (typeof actual === 'object' && actual !== null ? actual : {}) as Json;
  return Object.fromEntries(
    Object.entries(expected as Json)
      .filter(([k]) => k in present || !OPTIONAL_KEYS.has(k))
      .map(([k, v]) => [k, withoutAbsentOptionals(v, present[k])]),
  );
}

function expectSameStructure(
  name: string,
  fixture: Fixture,
  answer: { status: number; text: string },
) {
  expect(answer.status, name).toBe(fixture.httpStatus);
  const actual = shapeOf(JSON.parse(answer.text));
  const expected = withoutAbsentOptionals(shapeOf(fixture.response), actual);
  expect(actual, name).toEqual(expected);
}

/** A fresh token, after a test expired the old one. */
async function login(): Promise<void> {
  const answer = await post(sim.soapUrl, loadFixture('auth-request').request);
  const body = JSON.parse(answer.text) as {
    Body: { AuthResponse: { authToken: { _content: string }[] } };
  };
  token = body.Body.AuthResponse.authToken[0]!._content;
}

async function exchange(name: string, target: Sim = sim) {
  const fixture = loadFixture(name);
  const answer = await post(target.soapUrl, adapt(name, fixture));
  expectSameStructure(name, fixture, answer);
  return JSON.parse(answer.text) as Json;
}

/**
 * A GAL answer reduced to what does not depend on the installation's GAL
 * attribute map (zimbraGalLdapAttrMap) or mode: each `cn` with its `id` and
 * `email`, `type` only when it says `group`, and `more`.
 */
function galCore(envelope: unknown): unknown {
  const response = (envelope as { Body: { SearchGalResponse: Json } }).Body.SearchGalResponse;
  const entries = (response['cn'] as { id: unknown; _attrs: Json }[] | undefined) ?? [];
  return {
    more: response['more'],
    cn: entries.map((cn) => ({
      id: typeof cn.id,
      email: typeof cn._attrs['email'],
      group: cn._attrs['type'] === 'group',
    })),
  };
}

/** A non-SOAP answer: the status, an HTML page, and no SOAP envelope in it. */
function expectHtmlPage(fixture: Fixture, answer: Awaited<ReturnType<typeof post>>) {
  expect(answer.status).toBe(fixture.httpStatus);
  expect(answer.contentType).toBe(fixture.contentType);
  expect(answer.text).toMatch(/^<html>/);
  expect(answer.text).not.toMatch(/Envelope|Fault/);
  for (const [name, value] of Object.entries(fixture.headers ?? {})) {
    expect(answer.headers[name.toLowerCase()]).toBe(value);
  }
}

describe('golden fixtures against the simulator', () => {
  beforeAll(async () => {
    sim = await startSimulator({ now: () => VECTOR_TIMESTAMP_MS });
    sim.addDomain('example.com', { preauthKey: VECTOR_KEY });
    sim.addAccount(ACCOUNT);
  });

  afterAll(async () => {
    await sim.close();
  });

  // One mailbox walked through the fixtures in an order that makes each true.
  it('auth-request', async () => {
    const answer = await exchange('auth-request');
    const body = answer['Body'] as { AuthResponse: { authToken: { _content: string }[] } };
    token = body.AuthResponse.authToken[0]!._content;
  });

  it('auth-failed (locked account)', async () => {
    sim.setAccountStatus(ACCOUNT, 'locked');
    await exchange('auth-failed');
    sim.setAccountStatus(ACCOUNT, 'active');
  });

  it('auth-maintenance', async () => {
    sim.setAccountStatus(ACCOUNT, 'maintenance');
    await exchange('auth-maintenance');
    sim.setAccountStatus(ACCOUNT, 'active');
  });

  it('search-empty (nothing delivered yet)', async () => {
    await exchange('search-empty');
  });

  it('search-msgid-page (three copies, limit 2)', async () => {
    const delivered = sim.deliver(raw(MESSAGE_ID), [ACCOUNT]);
    ids.copies.push(...delivered.items.map((item) => item.id));
    ids.copies.push(sim.fileMessage(ACCOUNT, raw(MESSAGE_ID), { folderId: '3' }));
    ids.copies.push(sim.fileMessage(ACCOUNT, raw(MESSAGE_ID), { folderId: '4' }));
    await exchange('search-msgid-page');
  });

  it('search-query-parse-error', async () => {
    await exchange('search-query-parse-error');
  });

  it('create-folder, get-folder, get-folder-no-such-folder', async () => {
    const created = await exchange('create-folder');
    ids.quarantine = (
      created['Body'] as { CreateFolderResponse: { folder: { id: string }[] } }
    ).CreateFolderResponse.folder[0]!.id;
    await exchange('get-folder');
    await exchange('get-folder-no-such-folder');
  });

  it('get-msg', async () => {
    await exchange('get-msg');
  });

  it('msg-action-move, -trash, -delete and the missing-id faults', async () => {
    await exchange('msg-action-move');
    await exchange('msg-action-no-such-msg');
    await exchange('msg-action-no-such-item');
    await exchange('msg-action-trash');
    await exchange('msg-action-delete');
  });

  it('search-auth-expired (no Header)', async () => {
    sim.expireTokens(ACCOUNT);
    const answer = await exchange('search-auth-expired');
    expect(answer).not.toHaveProperty('Header');
  });

  it('get-dl-members and get-dl-members-no-such-list', async () => {
    await login();
    sim.addDistributionList('all-staff@example.com', [ACCOUNT]);
    await exchange('get-dl-members');
    await exchange('get-dl-members-no-such-list');
  });

  it('search-gal-account and search-gal-list (the GAL-independent core)', async () => {
    for (const name of ['search-gal-account', 'search-gal-list']) {
      const fixture = loadFixture(name);
      const answer = await post(sim.soapUrl, adapt(name, fixture));
      expect(answer.status, name).toBe(200);
      const core = galCore(JSON.parse(answer.text)) as { more: unknown; cn: unknown[] };
      const expected = galCore(fixture.response) as { more: unknown; cn: unknown[] };
      // Every entry the simulator sends has a shape the fixture shows.
      const shapes = new Set(expected.cn.map((cn) => JSON.stringify(cn)));
      expect(core.cn.length, name).toBeGreaterThan(0);
      for (const cn of core.cn) expect(shapes.has(JSON.stringify(cn)), name).toBe(true);
      expect(core.more, name).toBe(expected.more);
    }
  });

  it('dos-filter-throttled: the DoS filter answers an HTML 429 with its header', async () => {
    const fixture = loadFixture('dos-filter-throttled');
    sim.configureDosFilter({ maxRequestsPerSec: 1 });
    try {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await post(sim.soapUrl, adapt('x', fixture)));
      expectHtmlPage(fixture, answers.at(-1)!);
    } finally {
      sim.configureDosFilter(null);
    }
  });

  it('login-suspended: a suspended address gets a bare HTML 503', async () => {
    const fixture = loadFixture('login-suspended');
    sim.configureLoginSuspension({ maxFailures: 1, exemptLoopback: false });
    try {
      sim.setAccountStatus(ACCOUNT, 'locked');
      for (let i = 0; i < 2; i++) await post(sim.soapUrl, adapt('x', fixture));
      sim.setAccountStatus(ACCOUNT, 'active');
      expectHtmlPage(fixture, await post(sim.soapUrl, adapt('x', fixture)));
    } finally {
      sim.configureLoginSuspension(null);
      sim.setAccountStatus(ACCOUNT, 'active');
    }
  });

  it('proxy-error: a request proxied to a failing home server', async () => {
    const cluster = await startSimulator({
      now: () => VECTOR_TIMESTAMP_MS,
      mailboxServers: ['mbs1', 'mbs2'],
    });
    try {
      cluster.addDomain('example.com', { preauthKey: VECTOR_KEY });
      cluster.addAccount(ACCOUNT, { server: 'mbs2' });
      const auth = await post(cluster.soapUrl, loadFixture('auth-request').request);
      const saved = token;
      token = (
        JSON.parse(auth.text) as { Body: { AuthResponse: { authToken: { _content: string }[] } } }
      ).Body.AuthResponse.authToken[0]!._content;
      cluster.failProxy({ server: 'mbs2' });
      await exchange('proxy-error', cluster);
      token = saved;
    } finally {
      await cluster.close();
    }
  });

  it('wrong-port: the user servlet on the admin port answers the XML fault', async () => {
    const fixture = loadFixture('wrong-port');
    const wrongUrl = `${new URL(sim.adminSoapUrl).origin}/service/soap/`;
    const answer = await post(wrongUrl, adapt('wrong-port', fixture));
    expect(answer.status).toBe(fixture.httpStatus);
    expect(answer.contentType).toBe(fixture.contentType);
    expect(parseXmlFault(answer.text)).toMatchObject({
      faultCode: 'service.FAILURE',
      side: 'soap:Receiver',
    });
    expect(parseXmlFault(answer.text)?.reason).toMatch(
      /^system failure: Request not allowed on port \d+$/,
    );
  });

  it('covers every fixture', () => {
    const walked = [
      'auth-request',
      'auth-failed',
      'auth-maintenance',
      'search-empty',
      'search-msgid-page',
      'search-query-parse-error',
      'create-folder',
      'get-folder',
      'get-folder-no-such-folder',
      'get-msg',
      'msg-action-move',
      'msg-action-no-such-msg',
      'msg-action-no-such-item',
      'msg-action-trash',
      'msg-action-delete',
      'search-auth-expired',
      'wrong-port',
      'get-dl-members',
      'get-dl-members-no-such-list',
      'search-gal-account',
      'search-gal-list',
      'dos-filter-throttled',
      'login-suspended',
      'proxy-error',
    ];
    expect(walked.sort()).toEqual(fixtureNames().sort());
  });
});
