import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { generate } from 'otplib';
import type { Role } from '../../src/users/index.js';
import { PASSWORD, type ApiWorld } from './api-fixture.js';

/** Who calls, as a route case needs to know it. */
export interface CallerInfo {
  headers: Record<string, string>;
  /** Set for browser sessions: the user behind the cookie. */
  userId?: string;
}

export interface CaseRequest {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

export interface RouteCase {
  /** Roles whose sessions and tokens get a 2xx; or a rule that is not about roles. */
  allowed: readonly Role[] | 'public' | 'signed-in' | 'user-session';
  /** A valid request for this caller; sets up whatever it acts on. */
  request(w: ApiWorld, caller: CallerInfo): Promise<CaseRequest>;
}

const ALL: Role[] = ['admin', 'analyst', 'auditor'];
const ADMIN: Role[] = ['admin'];
const ANALYST: Role[] = ['admin', 'analyst'];
const AUDIT: Role[] = ['admin', 'auditor'];

/** Mailboxes of a domain Retract does not know: their tasks fail without any network call. */
export const OFFLINE_RECIPIENT = 'someone@unconfigured.test';
export const KEY_A = 'a1'.repeat(32);
export const KEY_B = 'b2'.repeat(32);

let n = 0;
const unique = (prefix: string) => `${prefix}${++n}`;

export async function newDomain(w: ApiWorld): Promise<string> {
  const name = `${unique('d')}.example.com`;
  await w.app.domains.add(
    { name, soapUrl: 'https://mail.example.com/service/soap/', preauthKey: KEY_A },
    'test',
  );
  return name;
}

/** A loopback port nothing listens on: the connection test is refused at once, off the network. */
async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function newUnreachableDomain(w: ApiWorld): Promise<string> {
  const name = `${unique('d')}.example.com`;
  const soapUrl = `http://127.0.0.1:${await closedLoopbackPort()}/service/soap/`;
  await w.app.domains.add({ name, soapUrl, preauthKey: KEY_A }, 'test');
  return name;
}

/** A retraction whose tasks fail at once (unknown domain); run or only created. */
export async function newRetraction(w: ApiWorld, run: boolean): Promise<string> {
  const r = await w.app.retractions.create(
    { messageId: `<${unique('m')}@evil.example>`, recipients: [OFFLINE_RECIPIENT] },
    'test',
  );
  if (run) await w.app.retractions.run(r.id);
  return r.id;
}

/**
 * A run retraction whose receipt says it moved a copy, so restore has
 * something to put back (the mailbox is offline, so the restore fails it).
 */
async function movedRetraction(w: ApiWorld): Promise<string> {
  const id = await newRetraction(w, true);
  const item = { id: '257', folderBefore: '2', folderAfter: '300', outcome: 'moved' };
  const rows = await w.app.store.db
    .selectFrom('mailbox_tasks')
    .select(['id', 'receipt'])
    .where('retraction_id', '=', id)
    .execute();
  for (const row of rows) {
    const receipt = { ...JSON.parse(row.receipt), items: [item] };
    await w.app.store.db
      .updateTable('mailbox_tasks')
      .set({ receipt: JSON.stringify(receipt) })
      .where('id', '=', row.id)
      .execute();
  }
  return id;
}

async function newUser(w: ApiWorld): Promise<string> {
  return (await w.users.users.add({ name: unique('u'), role: 'auditor', password: PASSWORD }, 't'))
    .name;
}

async function newToken(w: ApiWorld): Promise<string> {
  const created = await w.users.tokens.create(
    { name: unique('t'), role: 'auditor', lifetimeMs: 3_600_000 },
    't',
  );
  return created.view.id;
}

const get = (url: string) => async (): Promise<CaseRequest> => ({ url });

/**
 * Every route of the API with who may call it and a valid request. The
 * role table and the bad-input test are generated from this list, and the
 * role table fails when the server has a route this list lacks.
 */
export const ROUTE_CASES: Readonly<Record<string, RouteCase>> = {
  'GET /healthz': { allowed: 'public', request: get('/healthz') },
  'GET /readyz': { allowed: 'public', request: get('/readyz') },
  'GET /metrics': { allowed: 'public', request: get('/metrics') },
  'GET /api/openapi.json': { allowed: 'public', request: get('/api/openapi.json') },

  'POST /api/v1/session': {
    allowed: 'public',
    request: async (w) => ({
      url: '/api/v1/session',
      payload: { name: await newUser(w), password: PASSWORD },
    }),
  },
  'GET /api/v1/session': { allowed: 'signed-in', request: get('/api/v1/session') },
  'DELETE /api/v1/session': { allowed: 'user-session', request: get('/api/v1/session') },
  'POST /api/v1/session/password': {
    allowed: 'user-session',
    request: async () => ({
      url: '/api/v1/session/password',
      payload: { currentPassword: PASSWORD, newPassword: 'another long pass phrase' },
    }),
  },
  'POST /api/v1/session/totp': { allowed: 'user-session', request: get('/api/v1/session/totp') },
  'POST /api/v1/session/totp/confirm': {
    allowed: 'user-session',
    request: async (w, caller) => {
      let totpCode = '000000';
      if (caller.userId) {
        const { secret } = await w.users.users.beginTotp(caller.userId);
        totpCode = await generate({ secret });
      }
      return { url: '/api/v1/session/totp/confirm', payload: { totpCode } };
    },
  },

  'GET /api/v1/domains': { allowed: ALL, request: get('/api/v1/domains') },
  'POST /api/v1/domains': {
    allowed: ADMIN,
    request: async () => ({
      url: '/api/v1/domains',
      payload: {
        name: `${unique('new')}.example.com`,
        soapUrl: 'https://mail.example.com/service/soap/',
        preauthKey: KEY_A,
        caPem: null,
        maxConcurrency: 4,
      },
    }),
  },
  'GET /api/v1/domains/:name': {
    allowed: ALL,
    request: async (w) => ({ url: `/api/v1/domains/${await newDomain(w)}` }),
  },
  'PATCH /api/v1/domains/:name': {
    allowed: ADMIN,
    request: async (w) => ({
      url: `/api/v1/domains/${await newDomain(w)}`,
      payload: { soapUrl: 'https://mail2.example.com:7071/service/admin/soap/', maxConcurrency: 2 },
    }),
  },
  'PUT /api/v1/domains/:name/preauth-key': {
    allowed: ADMIN,
    request: async (w) => ({
      url: `/api/v1/domains/${await newDomain(w)}/preauth-key`,
      payload: { preauthKey: KEY_B },
    }),
  },
  'POST /api/v1/domains/:name/test': {
    allowed: ADMIN,
    request: async (w) => {
      const name = await newUnreachableDomain(w);
      return { url: `/api/v1/domains/${name}/test`, payload: { account: `someone@${name}` } };
    },
  },
  'DELETE /api/v1/domains/:name': {
    allowed: ADMIN,
    request: async (w) => ({ url: `/api/v1/domains/${await newDomain(w)}` }),
  },

  'POST /api/v1/retractions': {
    allowed: ANALYST,
    request: async () => ({
      url: '/api/v1/retractions',
      payload: {
        messageId: `<${unique('p')}@evil.example>`,
        action: 'quarantine',
        dryRun: true,
        recipients: [OFFLINE_RECIPIENT],
      },
    }),
  },
  'GET /api/v1/retractions': { allowed: ALL, request: get('/api/v1/retractions?limit=5') },
  'GET /api/v1/retractions/:id': {
    allowed: ALL,
    request: async (w) => ({ url: `/api/v1/retractions/${await newRetraction(w, true)}` }),
  },
  'GET /api/v1/retractions/:id/mailboxes': {
    allowed: ALL,
    request: async (w) => ({
      url: `/api/v1/retractions/${await newRetraction(w, true)}/mailboxes?limit=10`,
    }),
  },
  'GET /api/v1/retractions/:id/mailboxes/export.csv': {
    allowed: ALL,
    request: async (w) => ({
      url: `/api/v1/retractions/${await newRetraction(w, true)}/mailboxes/export.csv`,
    }),
  },
  'GET /api/v1/retractions/:id/events': {
    allowed: ALL,
    request: async (w) => ({ url: `/api/v1/retractions/${await newRetraction(w, true)}/events` }),
  },
  'POST /api/v1/retractions/:id/cancel': {
    allowed: ANALYST,
    request: async (w) => ({ url: `/api/v1/retractions/${await newRetraction(w, false)}/cancel` }),
  },
  'POST /api/v1/retractions/:id/restore': {
    allowed: ANALYST,
    request: async (w) => ({ url: `/api/v1/retractions/${await movedRetraction(w)}/restore` }),
  },

  'GET /api/v1/trace/deliveries': {
    allowed: ALL,
    request: get('/api/v1/trace/deliveries?sender=a@b.example&limit=5'),
  },
  'GET /api/v1/trace/deliveries/export.csv': {
    allowed: ALL,
    request: get('/api/v1/trace/deliveries/export.csv?after=7d'),
  },
  'GET /api/v1/trace/messages': { allowed: ALL, request: get('/api/v1/trace/messages?limit=5') },
  'POST /api/v1/trace/imports': {
    allowed: ADMIN,
    request: async () => ({
      url: '/api/v1/trace/imports?name=zimbra.log',
      headers: { 'content-type': 'application/octet-stream' },
      payload: readFileSync(new URL('../fixtures/mta-logs/multi-recipient.log', import.meta.url)),
    }),
  },

  'POST /api/v1/trace/deliveries': {
    allowed: ADMIN,
    request: async () => ({
      url: '/api/v1/trace/deliveries',
      payload: {
        deliveries: [
          {
            sourceId: 'gw-1',
            time: '2026-12-01T08:00:00Z',
            messageId: '<routes@gw.example>',
            sender: 'a@gw.example',
            recipient: 'b@example.test',
            status: 'delivered',
          },
        ],
      },
    }),
  },

  'GET /api/v1/audit': { allowed: AUDIT, request: get('/api/v1/audit?limit=5') },
  'GET /api/v1/audit/verify': { allowed: AUDIT, request: get('/api/v1/audit/verify') },

  'GET /api/v1/users': { allowed: ADMIN, request: get('/api/v1/users') },
  'POST /api/v1/users': {
    allowed: ADMIN,
    request: async () => ({
      url: '/api/v1/users',
      payload: { name: unique('new'), role: 'analyst', password: PASSWORD },
    }),
  },
  'PATCH /api/v1/users/:name': {
    allowed: ADMIN,
    request: async (w) => ({
      url: `/api/v1/users/${await newUser(w)}`,
      payload: { role: 'analyst', disabled: false, password: PASSWORD, unlock: true },
    }),
  },
  'DELETE /api/v1/users/:name/totp': {
    allowed: ADMIN,
    request: async (w) => ({ url: `/api/v1/users/${await newUser(w)}/totp` }),
  },

  'GET /api/v1/tokens': { allowed: ADMIN, request: get('/api/v1/tokens') },
  'POST /api/v1/tokens': {
    allowed: ADMIN,
    request: async () => ({
      url: '/api/v1/tokens',
      payload: { name: unique('ci'), role: 'analyst', expiresInDays: 7 },
    }),
  },
  'DELETE /api/v1/tokens/:id': {
    allowed: ADMIN,
    request: async (w) => ({ url: `/api/v1/tokens/${await newToken(w)}` }),
  },
};
