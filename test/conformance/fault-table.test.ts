import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAULT_RULES, type FaultRule } from '../../src/zimbra/index.js';
import { ACCOUNT, ConformanceWorld, DOMAIN, RETRY, failureOf } from './world.js';

// Every row of the fault table (reference §2.7; zm-mailbox ServiceException.java,
// AccountServiceException.java, MailServiceException.java), answered by the
// simulator, through the client: Retract's code, failure class, and how often
// the request went out. Faults the simulator does not raise by itself are
// injected; the ones it does raise are driven for real further down.
let world: ConformanceWorld;

beforeEach(async () => {
  world = await ConformanceWorld.start();
});
afterEach(async () => {
  await world.close();
});

/** Sends of a resendable request a fault with this policy leads to, and the error's code. */
function expectedFor(rule: FaultRule): { sends: number; logins: number; code: string } {
  switch (rule.retry) {
    case 'backoff':
      return { sends: RETRY.attempts, logins: 1, code: rule.code };
    case 'reauth':
      // One new login, one more send; a second refusal of a fresh token is a configuration problem.
      return { sends: 2, logins: 2, code: 'ZIMBRA_TOKEN_REJECTED' };
    default:
      return { sends: 1, logins: 1, code: rule.code };
  }
}

describe('every fault-table row, on a SearchRequest', () => {
  it.each(Object.entries(FAULT_RULES))('%s', async (faultCode, rule) => {
    const session = await world.client().openMailbox(ACCOUNT);
    world.sim.inject({ request: 'SearchRequest', fault: { code: faultCode } });

    const error = await failureOf(session.search('in:inbox'));
    const expected = expectedFor(rule);

    expect(error.code).toBe(expected.code);
    expect(world.sent('SearchRequest')).toBe(expected.sends);
    expect(world.sent('AuthRequest')).toBe(expected.logins);
    const fault = rule.retry === 'reauth' ? (error.cause as typeof error) : error;
    expect(fault).toMatchObject({
      code: rule.code,
      failureClass: rule.failureClass,
      retry: rule.retry,
      gone: rule.gone === true,
      faultCode,
      httpStatus: 500,
      soapRequest: 'SearchRequest',
    });
    expect(fault.retryable).toBe(rule.retry === 'backoff' || rule.retry === 'later');
  });

  it('a fault code missing from the table is internal and never retried', async () => {
    const session = await world.client().openMailbox(ACCOUNT);
    world.sim.inject({ request: 'SearchRequest', fault: { code: 'mail.SOMETHING_NEW' } });
    const error = await failureOf(session.search('in:inbox'));
    expect(error).toMatchObject({
      code: 'ZIMBRA_UNKNOWN_FAULT',
      failureClass: 'internal',
      faultCode: 'mail.SOMETHING_NEW',
    });
    expect(world.sent('SearchRequest')).toBe(1);
  });
});

describe('resend policies per request', () => {
  it('never resends a delete, even for a fault that allows backoff', async () => {
    const session = await world.client().openMailbox(ACCOUNT);
    world.sim.inject({ request: 'MsgActionRequest', fault: { code: 'service.PROXY_ERROR' } });
    const error = await failureOf(session.deleteMessages(['300']));
    expect(error.code).toBe('ZIMBRA_PROXY_ERROR');
    expect(world.sent('MsgActionRequest')).toBe(1);
  });

  it('resends a move, which is idempotent', async () => {
    const session = await world.client().openMailbox(ACCOUNT);
    world.sim.inject({
      request: 'MsgActionRequest',
      fault: { code: 'service.PROXY_ERROR' },
      times: 1,
    });
    const error = await failureOf(session.moveMessages(['99999'], '2'));
    expect(error.code).toBe('ZIMBRA_NO_SUCH_MSG');
    expect(world.sent('MsgActionRequest')).toBe(2);
  });

  it('never resends a login that got a SOAP fault, even a Receiver one', async () => {
    world.sim.inject({ request: 'AuthRequest', fault: { code: 'service.FAILURE' } });
    const error = await failureOf(world.client().openMailbox(ACCOUNT));
    expect(error).toMatchObject({ code: 'ZIMBRA_SERVER_FAILURE', soapRequest: 'AuthRequest' });
    expect(world.sent('AuthRequest')).toBe(1);
  });

  it('recovers from one expired token with one new login, unseen by the caller', async () => {
    const session = await world.client().openMailbox(ACCOUNT);
    world.sim.inject({
      request: 'SearchRequest',
      fault: { code: 'service.AUTH_EXPIRED' },
      times: 1,
    });
    await expect(session.search('in:inbox')).resolves.toMatchObject({ hits: [] });
    expect(world.sent('AuthRequest')).toBe(2);
  });
});

describe('faults the simulator raises by itself', () => {
  it('account.AUTH_FAILED for a wrong key: config, one login only', async () => {
    const error = await failureOf(
      world.client({ preauthKey: 'e'.repeat(64) }).openMailbox(ACCOUNT),
    );
    expect(error).toMatchObject({
      code: 'ZIMBRA_AUTH_FAILED',
      failureClass: 'config',
      faultCode: 'account.AUTH_FAILED',
    });
    expect(world.sent('AuthRequest')).toBe(1);
  });

  it('account.AUTH_FAILED for an unknown account, the same answer as a wrong key', async () => {
    const error = await failureOf(world.client().openMailbox(`nobody@${DOMAIN}`));
    expect(error.code).toBe('ZIMBRA_AUTH_FAILED');
  });

  it('service.INVALID_REQUEST on a login means the domain has no PreAuth key', async () => {
    world.sim.addDomain('nokey.test', { preauthKey: null });
    world.sim.addAccount('bob@nokey.test');
    const error = await failureOf(world.client().openMailbox('bob@nokey.test'));
    expect(error).toMatchObject({
      code: 'ZIMBRA_PREAUTH_NOT_CONFIGURED',
      failureClass: 'config',
      faultCode: 'service.INVALID_REQUEST',
    });
  });

  it('account.MAINTENANCE_MODE: a mailbox problem to retry later, not now', async () => {
    world.sim.setAccountStatus(ACCOUNT, 'maintenance');
    const error = await failureOf(world.client().openMailbox(ACCOUNT));
    expect(error).toMatchObject({ code: 'ZIMBRA_ACCOUNT_MAINTENANCE', retry: 'later' });
    expect(world.sent('AuthRequest')).toBe(1);
  });

  it('service.AUTH_EXPIRED after the tokens expire: a new login, then the answer', async () => {
    const session = await world.client().openMailbox(ACCOUNT);
    world.sim.expireTokens(ACCOUNT);
    await expect(session.search('in:inbox')).resolves.toMatchObject({ hits: [] });
    expect(world.sent('AuthRequest')).toBe(2);
  });

  it('mail.NO_SUCH_MSG, mail.NO_SUCH_ITEM: the copy is gone', async () => {
    const session = await world.client().openMailbox(ACCOUNT);
    await expect(session.moveMessages(['99999'], '2')).rejects.toMatchObject({
      code: 'ZIMBRA_NO_SUCH_MSG',
      gone: true,
    });
    await expect(session.trashMessages(['99999'])).rejects.toMatchObject({
      code: 'ZIMBRA_NO_SUCH_ITEM',
      gone: true,
    });
  });

  it('mail.NO_SUCH_FOLDER and mail.QUERY_PARSE_ERROR', async () => {
    const session = await world.client().openMailbox(ACCOUNT);
    await expect(session.getFolder('/Nope')).rejects.toMatchObject({
      code: 'ZIMBRA_NO_SUCH_FOLDER',
    });
    await expect(session.search('msgid:"unterminated')).rejects.toMatchObject({
      code: 'ZIMBRA_QUERY_PARSE_ERROR',
      failureClass: 'internal',
    });
  });
});

describe('service.PROXY_ERROR from a failing home server (reference §8.1)', () => {
  let cluster: ConformanceWorld;
  beforeEach(async () => {
    cluster = await ConformanceWorld.start({ mailboxServers: ['mbs1', 'mbs2'] });
    cluster.sim.setAccountServer(ACCOUNT, 'mbs2');
  });
  afterEach(async () => {
    await cluster.close();
  });

  it('is retried with backoff and succeeds when the proxy recovers', async () => {
    const session = await cluster.client().openMailbox(ACCOUNT);
    cluster.sim.failProxy({ server: 'mbs2', times: 2 });
    await expect(session.search('in:inbox')).resolves.toMatchObject({ hits: [] });
    expect(cluster.sent('SearchRequest')).toBe(3);
    expect(cluster.sleeps.length).toBeGreaterThanOrEqual(2);
  });

  it('ends as a transient ZIMBRA_PROXY_ERROR when it does not', async () => {
    const session = await cluster.client().openMailbox(ACCOUNT);
    cluster.sim.failProxy({ server: 'mbs2' });
    const error = await failureOf(session.search('in:inbox'));
    expect(error).toMatchObject({ code: 'ZIMBRA_PROXY_ERROR', failureClass: 'transient' });
    expect(cluster.sent('SearchRequest')).toBe(RETRY.attempts);
  });

  it('never touches the login: AuthRequest is not proxied', async () => {
    cluster.sim.failProxy({ server: 'mbs2' });
    await expect(cluster.client().openMailbox(ACCOUNT)).resolves.toMatchObject({
      account: ACCOUNT,
    });
  });
});
