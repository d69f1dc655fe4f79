import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../sim/index.js';
import { ZimbraClient, ZimbraError, parseSoapUrl } from '../../src/zimbra/index.js';

// The client against the independent simulator, end to end: PreAuth, search by
// Message-ID across folders, quarantine, trash, delete, restore, re-login.
// Both sides run on the real clock: the simulator's Date header is Node's.

type Sim = Awaited<ReturnType<typeof startSimulator>>;

const ACCOUNT = 'bob@example.org';
const MESSAGE_ID = 'phish-42@evil.example';

function raw(id: string, subject = 'Reset your password'): string {
  return [
    'From: IT <it@evil.example>',
    `To: ${ACCOUNT}`,
    `Subject: ${subject}`,
    `Message-ID: <${id}>`,
    'Content-Type: text/plain',
    '',
    'Click here.',
    '',
  ].join('\r\n');
}

describe('ZimbraClient against the simulator', () => {
  let sim: Sim;
  let client: ZimbraClient;

  beforeAll(async () => {
    sim = await startSimulator();
    const { preauthKey } = sim.addDomain('example.org');
    sim.addAccount(ACCOUNT);
    client = new ZimbraClient({
      soapUrl: parseSoapUrl(sim.soapUrl, { allowLoopback: true }).url,
      preauthKey: preauthKey!,
      sleep: async () => undefined,
    });
  });

  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('finds copies in Inbox, Trash and Junk and quarantines them', async () => {
    sim.deliver(raw(MESSAGE_ID), [ACCOUNT]);
    sim.fileMessage(ACCOUNT, raw(MESSAGE_ID), { folderId: '3' });
    sim.fileMessage(ACCOUNT, raw(MESSAGE_ID), { folderId: '4' });
    sim.deliver(raw('innocent@example.org', 'Lunch'), [ACCOUNT]);

    const mailbox = await client.openMailbox(ACCOUNT);
    const hits = await mailbox.findMessages(MESSAGE_ID);
    expect(hits.map((h) => h.folderId).sort()).toEqual(['2', '3', '4']);

    const quarantine = await mailbox.ensureFolder('Quarantine');
    expect(await mailbox.ensureFolder('Quarantine')).toEqual(quarantine);
    await mailbox.moveMessages(
      hits.map((h) => h.id),
      quarantine.id,
    );

    const after = await mailbox.findMessages(MESSAGE_ID);
    expect(after.map((h) => h.folderId)).toEqual([quarantine.id, quarantine.id, quarantine.id]);
    const info = await mailbox.getMessage(after[0]!.id);
    expect(info).toEqual({
      id: after[0]!.id,
      folderId: quarantine.id,
      messageId: `<${MESSAGE_ID}>`,
    });
  });

  it('restores to the recorded folder, trashes and deletes', async () => {
    const mailbox = await client.openMailbox(ACCOUNT);
    const [first, second, third] = await mailbox.findMessages(MESSAGE_ID);
    await mailbox.moveMessages([first!.id], '2');
    await mailbox.trashMessages([second!.id]);
    await mailbox.deleteMessages([third!.id]);

    const left = await mailbox.findMessages(MESSAGE_ID);
    expect(left.map((h) => h.folderId).sort()).toEqual(['2', '3']);
  });

  it('reports a vanished message as gone', async () => {
    const mailbox = await client.openMailbox(ACCOUNT);
    const error = await mailbox.moveMessages(['99999'], '2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZimbraError);
    expect(error).toMatchObject({ code: 'ZIMBRA_NO_SUCH_MSG', gone: true });
  });

  it('logs in again when the simulator expires the token', async () => {
    const mailbox = await client.openMailbox(ACCOUNT);
    const before = sim.countRequests('AuthRequest');
    sim.expireTokens(ACCOUNT);
    await expect(mailbox.findMessages(MESSAGE_ID)).resolves.toHaveLength(2);
    expect(sim.countRequests('AuthRequest')).toBe(before + 1);
  });

  it('fails an unknown account with AUTH_FAILED, config class', async () => {
    const error = await client.openMailbox('nobody@example.org').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ZIMBRA_AUTH_FAILED', failureClass: 'config' });
  });

  it('works through the admin URL form too', async () => {
    const admin = new ZimbraClient({
      soapUrl: sim.adminSoapUrl,
      preauthKey: sim.getDomain('example.org')!.preauthKey!,
    });
    try {
      const mailbox = await admin.openMailbox(ACCOUNT);
      await expect(mailbox.findMessages(MESSAGE_ID)).resolves.toHaveLength(2);
    } finally {
      await admin.close();
    }
  });

  it('names the right URL forms when pointed at the wrong port', async () => {
    const wrong = new ZimbraClient({
      soapUrl: `${new URL(sim.adminSoapUrl).origin}/service/soap/`,
      preauthKey: sim.getDomain('example.org')!.preauthKey!,
    });
    try {
      const error = await wrong.openMailbox(ACCOUNT).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ZIMBRA_WRONG_SOAP_URL', failureClass: 'config' });
    } finally {
      await wrong.close();
    }
  });
});
