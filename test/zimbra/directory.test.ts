import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { ZimbraClient, ZimbraError, type MailboxSession } from '../../src/zimbra/index.js';

// Lists and GAL against the simulator (reference §7; zm-mailbox
// GetDistributionListMembers.java, SearchGal.java, LdapGalMapRules.java).
const DOMAIN = 'example.test';
const at = (local: string) => `${local}@${DOMAIN}`;

let sim: Simulator;
let client: ZimbraClient;
let session: MailboxSession;

beforeEach(async () => {
  sim = await startSimulator();
  const { preauthKey } = sim.addDomain(DOMAIN);
  for (const name of ['caller', 'alice', 'bob', 'carol', 'dave', 'al']) sim.addAccount(at(name));
  client = new ZimbraClient({ soapUrl: sim.soapUrl, preauthKey });
  session = await client.openMailbox(at('caller'));
});

afterEach(async () => {
  await client.close();
  await sim.close();
});

describe('lookupAddress', () => {
  it('tells an account from a list from an address the GAL does not know', async () => {
    sim.addDistributionList(at('staff'), [at('alice')]);
    await expect(session.lookupAddress(at('alice'))).resolves.toBe('account');
    await expect(session.lookupAddress(at('staff'))).resolves.toBe('list');
    await expect(session.lookupAddress('partner@elsewhere.example')).resolves.toBe('unknown');
  });

  it('needs the exact address: a name that is only a substring of others is unknown', async () => {
    await expect(session.lookupAddress(at('ice'))).resolves.toBe('unknown');
    await expect(session.lookupAddress(at('al'))).resolves.toBe('account');
  });

  it('does not see a list hidden from the GAL', async () => {
    sim.addDistributionList(at('board'), [at('alice')], { hidden: true });
    await expect(session.lookupAddress(at('board'))).resolves.toBe('unknown');
  });
});

describe('expandDistributionList', () => {
  it('follows nested lists and sorts members into accounts, lists and unknown', async () => {
    sim.addDistributionList(at('team'), [at('carol'), 'partner@elsewhere.example']);
    sim.addDistributionList(at('staff'), [at('alice'), at('bob'), at('team')]);

    const expansion = await session.expandDistributionList(at('staff'));

    expect(expansion).toEqual({
      accounts: [at('alice'), at('bob'), at('carol')],
      lists: [at('staff'), at('team')],
      unknown: ['partner@elsewhere.example'],
    });
  });

  it('ends on lists that contain each other, and names each address once', async () => {
    sim.addDistributionList(at('a-list'), [at('alice'), at('b-list')]);
    sim.addDistributionList(at('b-list'), [at('bob'), at('a-list'), at('alice')]);

    const expansion = await session.expandDistributionList(at('a-list'));

    expect(expansion.accounts).toEqual([at('alice'), at('bob')]);
    expect(expansion.lists).toEqual([at('a-list'), at('b-list')]);
  });

  it('reads a long list page by page', async () => {
    const members = Array.from({ length: 250 }, (_, i) => `member${i}@elsewhere.example`);
    sim.addDistributionList(at('everyone'), members);

    const expansion = await session.expandDistributionList(at('everyone'));

    expect(expansion.unknown).toEqual(members);
    expect(sim.countRequests('GetDistributionListMembersRequest')).toBe(3);
  });

  it('keeps a hidden nested list out of the accounts, so nobody logs in to it', async () => {
    sim.addDistributionList(at('board'), [at('dave')], { hidden: true });
    sim.addDistributionList(at('staff'), [at('alice'), at('board')]);

    const expansion = await session.expandDistributionList(at('staff'));

    expect(expansion).toMatchObject({ accounts: [at('alice')], unknown: [at('board')] });
  });

  it('refuses an unknown list, and a hidden one, as NO_SUCH_DISTRIBUTION_LIST', async () => {
    sim.addDistributionList(at('board'), [at('dave')], { hidden: true });
    for (const list of [at('nobody'), at('board')]) {
      const error = await session.expandDistributionList(list).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZimbraError);
      expect(error).toMatchObject({
        code: 'ZIMBRA_NO_SUCH_DISTRIBUTION_LIST',
        failureClass: 'mailbox',
        retry: 'never',
      });
    }
  });

  it('reports a list whose members the caller may not see as PERM_DENIED', async () => {
    sim.addDistributionList(at('hr'), [at('dave')], { viewDenied: true });
    await expect(session.expandDistributionList(at('hr'))).rejects.toMatchObject({
      code: 'ZIMBRA_PERM_DENIED',
      faultCode: 'service.PERM_DENIED',
    });
  });
});
