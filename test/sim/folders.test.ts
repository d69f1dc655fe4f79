// Folder requests: /work/shared/reference/zimbra-soap.md §5, from zm-mailbox
// store/src/java/com/zimbra/cs/service/mail/CreateFolder.java, GetFolder.java, ToXML.java.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { faultCode, login, rawMessage, soap, type SoapAnswer } from './sim-helpers.js';

const T = 1_700_000_000_000;
let sim: Simulator;
let key: string;
let token: string;
let account: string;
let n = 0;

beforeAll(async () => {
  sim = await startSimulator({ now: () => T });
  key = sim.addDomain('example.com').preauthKey;
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  n += 1;
  account = `fold${n}@example.com`;
  sim.addAccount(account);
  token = await login(sim.soapUrl, key, account, T);
});

function create(folder: object): Promise<SoapAnswer> {
  return soap(sim.soapUrl, 'CreateFolderRequest', 'urn:zimbraMail', { folder }, token);
}

function getFolder(body: object): Promise<SoapAnswer> {
  return soap(sim.soapUrl, 'GetFolderRequest', 'urn:zimbraMail', body, token);
}

describe('CreateFolderRequest', () => {
  it('creates a folder under the root with a user id from 256 up', async () => {
    const answer = await create({ name: 'Quarantine', l: '1', view: 'message' });
    expect(answer.status).toBe(200);
    const folder = answer.json.Body.CreateFolderResponse.folder[0];
    expect(folder).toMatchObject({
      name: 'Quarantine',
      absFolderPath: '/Quarantine',
      l: '1',
      view: 'message',
      deletable: true,
    });
    expect(Number(folder.id)).toBeGreaterThanOrEqual(256);
    expect(sim.folderIdByPath(account, '/Quarantine')).toBe(folder.id);
  });

  it('answers ALREADY_EXISTS for a clash without fie, case-insensitively', async () => {
    await create({ name: 'Quarantine', l: '1' });
    const answer = await create({ name: 'quarantine', l: '1' });
    expect(answer.status).toBe(500);
    expect(faultCode(answer)).toBe('mail.ALREADY_EXISTS');
  });

  it('returns the existing folder with fie instead of failing', async () => {
    const first = (await create({ name: 'Quarantine', l: '1', fie: 1 })).json.Body
      .CreateFolderResponse.folder[0];
    const again = await create({ name: 'Quarantine', l: '1', fie: 1 });
    expect(again.status).toBe(200);
    expect(again.json.Body.CreateFolderResponse.folder[0].id).toBe(first.id);
  });

  it('creates intermediate folders when the name is a path and l is absent', async () => {
    const answer = await create({ name: 'Security/Quarantine', view: 'message' });
    expect(answer.json.Body.CreateFolderResponse.folder[0].absFolderPath).toBe(
      '/Security/Quarantine',
    );
    expect(sim.folderIdByPath(account, '/Security')).toBeDefined();
  });

  it('answers NO_SUCH_FOLDER for a missing parent and INVALID_NAME for a bad name', async () => {
    expect(faultCode(await create({ name: 'X', l: '9999' }))).toBe('mail.NO_SUCH_FOLDER');
    expect(faultCode(await create({ name: 'a:b', l: '1' }))).toBe('mail.INVALID_NAME');
  });
});

describe('GetFolderRequest', () => {
  it('finds a folder by path with its counts', async () => {
    const id = sim.createFolder(account, 'Projects');
    sim.fileMessage(account, rawMessage('<f@x.example>'), { folderId: id });
    const answer = await getFolder({ folder: { path: '/Projects' } });
    expect(answer.json.Body.GetFolderResponse.folder[0]).toMatchObject({
      id,
      name: 'Projects',
      n: 1,
      u: 1,
    });
  });

  it('finds a folder by id', async () => {
    const answer = await getFolder({ folder: { l: '3' } });
    expect(answer.json.Body.GetFolderResponse.folder[0]).toMatchObject({
      id: '3',
      name: 'Trash',
      absFolderPath: '/Trash',
    });
  });

  it('answers NO_SUCH_FOLDER for an unknown path', async () => {
    const answer = await getFolder({ folder: { path: '/Nope' } });
    expect(faultCode(answer)).toBe('mail.NO_SUCH_FOLDER');
    expect(answer.json.Body.Fault.Detail.Error.a[0]).toEqual({
      n: 'path',
      t: 'STR',
      _content: '/Nope',
    });
  });

  it('returns the whole tree from the root without a folder element, limited by depth', async () => {
    const parent = sim.createFolder(account, 'Parent');
    sim.createFolder(account, 'Child', parent);
    const tree = (await getFolder({})).json.Body.GetFolderResponse.folder[0];
    expect(tree.id).toBe('1');
    const names = tree.folder.map((f: { name: string }) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['Inbox', 'Trash', 'Junk', 'Sent', 'Drafts', 'Parent']),
    );
    const parentEl = tree.folder.find((f: { name: string }) => f.name === 'Parent');
    expect(parentEl.folder[0].name).toBe('Child');
    const shallow = (await getFolder({ depth: 1 })).json.Body.GetFolderResponse.folder[0];
    expect(
      shallow.folder.find((f: { name: string }) => f.name === 'Parent').folder,
    ).toBeUndefined();
  });
});

describe('GetMsgRequest', () => {
  it('returns mid with brackets and requested headers as _attrs', async () => {
    const id = sim.fileMessage(account, rawMessage('<CAF1@x.example>'));
    const answer = await soap(
      sim.soapUrl,
      'GetMsgRequest',
      'urn:zimbraMail',
      { m: { id, header: [{ n: 'Message-ID' }] } },
      token,
    );
    const m = answer.json.Body.GetMsgResponse.m[0];
    expect(m).toMatchObject({
      id,
      l: '2',
      mid: '<CAF1@x.example>',
      _attrs: { 'Message-ID': '<CAF1@x.example>' },
    });
    expect(m.sd).toBe(Date.parse('Tue, 14 Nov 2023 22:13:20 +0000'));
  });

  it('answers NO_SUCH_MSG for a missing id', async () => {
    const answer = await soap(
      sim.soapUrl,
      'GetMsgRequest',
      'urn:zimbraMail',
      { m: { id: '31337' } },
      token,
    );
    expect(faultCode(answer)).toBe('mail.NO_SUCH_MSG');
  });
});
