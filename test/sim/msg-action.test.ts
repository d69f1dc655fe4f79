// MsgActionRequest semantics: /work/shared/reference/zimbra-soap.md §4, from zm-mailbox
// store/src/java/com/zimbra/cs/service/mail/ItemAction.java, MsgAction.java,
// ItemActionHelper.java and cs/mailbox/Mailbox.java (move/delete).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { faultCode, login, rawMessage, soap, type SoapAnswer } from './sim-helpers.js';

const T = 1_700_000_000_000;
let sim: Simulator;
let key: string;
let token: string;
let account: string;
let n = 0;
let ids: string[];

beforeAll(async () => {
  sim = await startSimulator({ now: () => T });
  key = sim.addDomain('example.com').preauthKey;
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  n += 1;
  account = `act${n}@example.com`;
  sim.addAccount(account);
  token = await login(sim.soapUrl, key, account, T);
  ids = [1, 2, 3].map((i) => sim.fileMessage(account, rawMessage(`<m${i}@x.example>`)));
});

function act(action: object): Promise<SoapAnswer> {
  return soap(sim.soapUrl, 'MsgActionRequest', 'urn:zimbraMail', { action }, token);
}

function folderOf(id: string): string | undefined {
  return sim.listMessages(account).find((m) => m.id === id)?.folderId;
}

describe('move', () => {
  it('moves several ids to the target folder and keeps their ids', async () => {
    const target = sim.createFolder(account, 'Quarantine');
    const answer = await act({ op: 'move', id: `${ids[0]},${ids[1]}`, l: target });
    expect(answer.status).toBe(200);
    expect(answer.json.Body.MsgActionResponse).toEqual({
      action: { id: `${ids[0]},${ids[1]}`, op: 'move' },
      _jsns: 'urn:zimbraMail',
    });
    expect(folderOf(ids[0] as string)).toBe(target);
    expect(folderOf(ids[1] as string)).toBe(target);
    expect(folderOf(ids[2] as string)).toBe('2');
  });

  it('moves nothing and answers NO_SUCH_MSG with itemId when any id is missing', async () => {
    const answer = await act({ op: 'move', id: `${ids[0]},99999,${ids[1]}`, l: '3' });
    expect(answer.status).toBe(500);
    expect(faultCode(answer)).toBe('mail.NO_SUCH_MSG');
    expect(answer.json.Body.Fault.Detail.Error.a).toEqual([
      { n: 'itemId', t: 'IID', _content: '99999' },
    ]);
    expect(folderOf(ids[0] as string)).toBe('2');
    expect(folderOf(ids[1] as string)).toBe('2');
  });

  it('answers NO_SUCH_FOLDER for a missing target and moves nothing', async () => {
    const answer = await act({ op: 'move', id: ids[0], l: '4242' });
    expect(faultCode(answer)).toBe('mail.NO_SUCH_FOLDER');
    expect(folderOf(ids[0] as string)).toBe('2');
  });

  it('treats a move into the current folder as a successful no-op', async () => {
    const before = sim.listMessages(account);
    const answer = await act({ op: 'move', id: ids[0], l: '2' });
    expect(answer.status).toBe(200);
    expect(answer.json.Body.MsgActionResponse.action.id).toBe(ids[0]);
    expect(sim.listMessages(account)).toEqual(before);
  });

  it('restores a message to its recorded folder with the same id', async () => {
    await act({ op: 'trash', id: ids[2] });
    const answer = await act({ op: 'move', id: ids[2], l: '2' });
    expect(answer.status).toBe(200);
    expect(folderOf(ids[2] as string)).toBe('2');
  });
});

describe('trash', () => {
  it('moves to Trash (3)', async () => {
    const answer = await act({ op: 'trash', id: ids[0] });
    expect(answer.json.Body.MsgActionResponse.action).toEqual({ id: ids[0], op: 'trash' });
    expect(folderOf(ids[0] as string)).toBe('3');
  });

  it('answers NO_SUCH_ITEM, not NO_SUCH_MSG, for a missing id and moves nothing', async () => {
    const answer = await act({ op: 'trash', id: `${ids[0]},99999` });
    expect(faultCode(answer)).toBe('mail.NO_SUCH_ITEM');
    expect(folderOf(ids[0] as string)).toBe('2');
  });

  it('succeeds again for a message already in Trash', async () => {
    await act({ op: 'trash', id: ids[0] });
    expect((await act({ op: 'trash', id: ids[0] })).status).toBe(200);
  });
});

describe('delete', () => {
  it('deletes present ids, skips missing ones and still lists every id', async () => {
    const answer = await act({ op: 'delete', id: `${ids[0]},99999` });
    expect(answer.status).toBe(200);
    expect(answer.json.Body.MsgActionResponse.action).toEqual({
      id: `${ids[0]},99999`,
      op: 'delete',
    });
    expect(sim.listMessages(account).map((m) => m.id)).toEqual([ids[1], ids[2]]);
  });
});

describe('request errors', () => {
  it('answers INVALID_REQUEST for an unknown op', async () => {
    expect(faultCode(await act({ op: 'explode', id: ids[0] }))).toBe('service.INVALID_REQUEST');
  });

  it('answers INVALID_REQUEST for a move without l', async () => {
    expect(faultCode(await act({ op: 'move', id: ids[0] }))).toBe('service.INVALID_REQUEST');
  });

  it('requires an auth token', async () => {
    const answer = await soap(sim.soapUrl, 'MsgActionRequest', 'urn:zimbraMail', {
      action: { op: 'trash', id: ids[0] },
    });
    expect(faultCode(answer)).toBe('service.AUTH_REQUIRED');
    expect(folderOf(ids[0] as string)).toBe('2');
  });
});
