// Distribution lists and the GAL (reference §7; zm-mailbox store/src/java/com/zimbra/cs/
// service/account/GetDistributionListMembers.java, SearchGal.java, LdapGalMapRules.java),
// and MTA delivery to a list (Postfix virtual alias expansion: one lmtp line per member
// with orig_to=<list>, as in test/fixtures/mta-logs/multi-recipient.log).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { faultCode, login, rawMessage, soap } from './sim-helpers.js';

const T = Date.UTC(2026, 11, 4, 15, 56, 36);
const NS = 'urn:zimbraAccount';
const dir = mkdtempSync(join(tmpdir(), 'retract-sim-dl-'));
const mtaLogPath = join(dir, 'zimbra.log');
let sim: Simulator;
let alice: string;
let owner: string;

beforeAll(async () => {
  sim = await startSimulator({ now: () => T, mtaLogPath });
  const key = sim.addDomain('example.com').preauthKey;
  for (const name of ['alice', 'bob', 'carol', 'dave', 'owner'])
    sim.addAccount(`${name}@example.com`);
  sim.addAccount('zed@other.example');
  sim.addDistributionList('sales@example.com', ['carol@example.com', 'dave@example.com']);
  sim.addDistributionList('all-staff@example.com', [
    'alice@example.com',
    'bob@example.com',
    'sales@example.com',
  ]);
  sim.addDistributionList('board@example.com', ['dave@example.com'], {
    hidden: true,
    owners: ['owner@example.com'],
  });
  sim.addDistributionList('payroll@example.com', ['bob@example.com'], {
    viewDenied: true,
    owners: ['owner@example.com'],
  });
  sim.addDistributionList('empty@example.com', []);
  alice = await login(sim.soapUrl, key, 'alice@example.com', T);
  owner = await login(sim.soapUrl, key, 'owner@example.com', T);
});

afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function members(dl: string, extra: object = {}, token = alice) {
  return soap(
    sim.soapUrl,
    'GetDistributionListMembersRequest',
    NS,
    { dl: { _content: dl }, ...extra },
    token,
  );
}

describe('GetDistributionListMembersRequest', () => {
  it('returns every member, nested lists as plain addresses, with more and total', async () => {
    const answer = await members('all-staff@example.com');
    expect(answer.status).toBe(200);
    const response = answer.json.Body.GetDistributionListMembersResponse;
    expect(response._jsns).toBe('urn:zimbraAccount');
    expect(response.dlm).toEqual([
      { _content: 'alice@example.com' },
      { _content: 'bob@example.com' },
      { _content: 'sales@example.com' },
    ]);
    expect(response).toMatchObject({ more: false, total: 3 });
  });

  it('pages with limit and offset', async () => {
    const first = (await members('all-staff@example.com', { limit: 2, offset: 0 })).json.Body
      .GetDistributionListMembersResponse;
    expect(first.dlm).toHaveLength(2);
    expect(first).toMatchObject({ more: true, total: 3 });
    const second = (await members('all-staff@example.com', { limit: 2, offset: 2 })).json.Body
      .GetDistributionListMembersResponse;
    expect(second.dlm).toEqual([{ _content: 'sales@example.com' }]);
    expect(second.more).toBe(false);
  });

  it('answers INVALID_REQUEST for an offset past the end', async () => {
    const answer = await members('all-staff@example.com', { offset: 3 });
    expect(faultCode(answer)).toBe('service.INVALID_REQUEST');
    expect(answer.json.Body.Fault.Reason.Text).toBe(
      'invalid request: offset 3 greater than size 3',
    );
  });

  it('answers INVALID_REQUEST for a negative limit', async () => {
    expect(faultCode(await members('all-staff@example.com', { limit: -1 }))).toBe(
      'service.INVALID_REQUEST',
    );
  });

  it('returns an empty list with total 0 and no dlm', async () => {
    const response = (await members('empty@example.com')).json.Body
      .GetDistributionListMembersResponse;
    expect(response.dlm).toBeUndefined();
    expect(response).toMatchObject({ more: false, total: 0 });
  });

  it('finds lists case-insensitively', async () => {
    expect((await members('Sales@Example.COM')).status).toBe(200);
  });

  it('answers NO_SUCH_DISTRIBUTION_LIST for an unknown list and for a hidden one', async () => {
    for (const dl of ['nope@example.com', 'board@example.com', 'alice@example.com']) {
      const answer = await members(dl);
      expect(faultCode(answer)).toBe('account.NO_SUCH_DISTRIBUTION_LIST');
      expect(answer.json.Body.Fault.Code.Value).toBe('soap:Sender');
    }
  });

  it('shows a hidden list to its owner', async () => {
    const answer = await members('board@example.com', {}, owner);
    expect(answer.json.Body.GetDistributionListMembersResponse.total).toBe(1);
  });

  it('answers PERM_DENIED when viewDistList is denied, except to owners', async () => {
    expect(faultCode(await members('payroll@example.com'))).toBe('service.PERM_DENIED');
    expect((await members('payroll@example.com', {}, owner)).status).toBe(200);
  });

  it('needs an auth token', async () => {
    const answer = await soap(sim.soapUrl, 'GetDistributionListMembersRequest', NS, {
      dl: { _content: 'sales@example.com' },
    });
    expect(faultCode(answer)).toBe('service.AUTH_REQUIRED');
  });
});

describe('SearchGalRequest', () => {
  async function gal(body: object) {
    const answer = await soap(sim.soapUrl, 'SearchGalRequest', NS, body, alice);
    expect(answer.status).toBe(200);
    return answer.json.Body.SearchGalResponse;
  }

  it('tells an account, a list and an unknown address apart', async () => {
    const account = await gal({ name: 'bob@example.com' });
    expect(account.cn).toHaveLength(1);
    expect(account.cn[0]._attrs).toMatchObject({ email: 'bob@example.com', type: 'account' });
    const list = await gal({ name: 'sales@example.com' });
    expect(list.cn[0]._attrs).toMatchObject({ email: 'sales@example.com', type: 'group' });
    const unknown = await gal({ name: 'nobody@example.com' });
    expect(unknown.cn).toBeUndefined();
    expect(unknown.more).toBe(false);
  });

  it('filters by type', async () => {
    const groups = await gal({ name: 'example.com', type: 'group' });
    expect(groups.cn.map((c: { _attrs: { type: string } }) => c._attrs.type)).toEqual(
      Array(groups.cn.length).fill('group'),
    );
    const accounts = await gal({ name: 'example.com', type: 'account' });
    expect(accounts.cn).toHaveLength(5);
  });

  it('leaves out hidden lists and other domains', async () => {
    const all = await gal({ name: '' });
    const emails = all.cn.map((c: { _attrs: { email: string } }) => c._attrs.email);
    expect(emails).not.toContain('board@example.com');
    expect(emails).not.toContain('zed@other.example');
    expect(emails).toContain('payroll@example.com');
  });

  it('pages with limit and more', async () => {
    const page = await gal({ name: '', limit: 2 });
    expect(page.cn).toHaveLength(2);
    expect(page.more).toBe(true);
  });

  it('answers INVALID_REQUEST for an unknown type', async () => {
    const answer = await soap(sim.soapUrl, 'SearchGalRequest', NS, { name: 'a', type: 'x' }, alice);
    expect(faultCode(answer)).toBe('service.INVALID_REQUEST');
  });
});

describe('delivery to a list', () => {
  it('expands nested lists once per member and logs orig_to=<list>', async () => {
    const result = sim.deliver(rawMessage('<dl@evil.example>'), [
      'all-staff@example.com',
      'bob@example.com',
    ]);
    await sim.flushMtaLog();

    expect(result.items.map((i) => i.account)).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
      'dave@example.com',
    ]);
    const all = readFileSync(mtaLogPath, 'utf8').split('\n');
    const lines = all.filter((l) => l.includes(result.queueId));
    const lmtp = lines.filter((l) => l.includes('postfix/lmtp'));
    expect(lmtp).toHaveLength(4);
    for (const member of ['alice', 'bob', 'carol', 'dave']) {
      expect(lmtp).toContainEqual(
        expect.stringContaining(
          `to=<${member}@example.com>, orig_to=<all-staff@example.com>, relay=`,
        ),
      );
    }
    expect(lines).toContainEqual(expect.stringMatching(/nrcpt=4 \(queue active\)$/));
    // smtpd counts the RCPT TO commands the client sent, before expansion.
    expect(all).toContainEqual(expect.stringMatching(/disconnect from .* rcpt=2 data=1 /));
  });

  it('stores the copy in each member mailbox, not under the list', async () => {
    sim.deliver(rawMessage('<dl2@evil.example>'), ['sales@example.com']);
    const ids = (address: string) =>
      sim.listMessages(address).filter((m) => m.messageId === 'dl2@evil.example');
    expect(ids('carol@example.com')).toHaveLength(1);
    expect(ids('dave@example.com')).toHaveLength(1);
    expect(ids('alice@example.com')).toHaveLength(0);
  });

  it('refuses a list that clashes with an account and the reverse', () => {
    expect(() => sim.addDistributionList('alice@example.com', [])).toThrow(TypeError);
    expect(() => sim.addAccount('sales@example.com')).toThrow(TypeError);
  });
});
