import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, createLogger, loadAppConfig } from '../../src/app/index.js';
import { ZimbraClient, messageIdQuery } from '../../src/zimbra/index.js';
import { phishMessage } from '../helpers/sim-fixture.js';
import { LogCapture } from '../helpers/test-app.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { FakeServer, requestNameOf } from '../zimbra/helpers/fake-server.js';
import { authOk, KEY, ok, requestElement } from '../zimbra/helpers/scripted.js';
import { ACCOUNT, ConformanceWorld, DOMAIN } from './world.js';

// The search rules of reference §3 (zm-mailbox ParsedMessage.java, Parser.jjt,
// QueryParser.java, ZimbraQuery.java), through the client and the simulator.
const TRASH = '3';
const JUNK = '4';

function message(messageId: string): string {
  return phishMessage(messageId).replace(`To: staff@${DOMAIN}`, `To: ${ACCOUNT}`);
}

describe('finding a message by its Message-ID', () => {
  let world: ConformanceWorld;
  beforeEach(async () => {
    world = await ConformanceWorld.start();
  });
  afterEach(async () => {
    await world.close();
  });

  it.each([
    ['$ ! & = and a double quote', 'q$u!o&t"e=d@mail.evil.example'],
    ['a colon, parentheses and braces', 'id:(1){2}@mail.evil.example'],
    ['a leading minus and plus', '-+x@mail.evil.example'],
  ])('quotes an id with %s so the query finds exactly it', async (_what, id) => {
    world.sim.fileMessage(ACCOUNT, message(id));
    world.sim.fileMessage(ACCOUNT, message(id.toUpperCase()));
    world.sim.fileMessage(ACCOUNT, message(`${id}.other`));
    const session = await world.client().openMailbox(ACCOUNT);

    const hits = await session.findMessages(id);

    expect(hits).toHaveLength(1);
    expect(world.sim.listMessages(ACCOUNT).find((m) => m.id === hits[0]!.id)?.messageId).toBe(id);
    expect(messageIdQuery(id)).toBe(`msgid:"${id.replaceAll('"', '\\"')}" is:anywhere`);
  });

  it('finds copies in Trash and Junk, which a plain search leaves out', async () => {
    const id = 'everywhere@mail.evil.example';
    const projects = world.sim.createFolder(ACCOUNT, 'Projects');
    for (const folderId of ['2', projects, TRASH, JUNK]) {
      world.sim.fileMessage(ACCOUNT, message(id), { folderId });
    }
    const session = await world.client().openMailbox(ACCOUNT);

    const found = await session.findMessages(id);
    const plain = await session.search(`msgid:"${id}"`);

    expect(found.map((h) => h.folderId).sort()).toEqual(['2', TRASH, JUNK, projects].sort());
    expect(plain.hits.map((h) => h.folderId).sort()).toEqual(['2', projects].sort());
  });

  it('pages through 137 copies in one mailbox: two pages, every copy once', async () => {
    const id = 'flood@mail.evil.example';
    for (let i = 0; i < 137; i++) world.sim.fileMessage(ACCOUNT, message(id));
    const session = await world.client().openMailbox(ACCOUNT);

    const hits = await session.findMessages(id);

    expect(hits).toHaveLength(137);
    expect(new Set(hits.map((h) => h.id)).size).toBe(137);
    expect(world.sent('SearchRequest')).toBe(2);
  });

  it('refuses an id still in angle brackets instead of searching for nothing', async () => {
    const session = await world.client().openMailbox(ACCOUNT);
    await expect(session.findMessages('<x@mail.evil.example>')).rejects.toMatchObject({
      code: 'ZIMBRA_UNSAFE_MESSAGE_ID',
    });
    expect(world.sent('SearchRequest')).toBe(0);
  });
});

describe('Message-ID normalisation through the engine', () => {
  const tempDir = useTempDir();

  it('takes the id with brackets and spaces as an analyst pastes it, and searches without them', async () => {
    const world = await ConformanceWorld.start();
    const config = loadAppConfig(
      { RETRACT_ALLOW_LOOPBACK_TARGETS: '1' },
      { dataDir: join(tempDir(), 'data') },
    );
    const app = await createApp({ config, logger: createLogger('warn', new LogCapture()) });
    try {
      const id = 'paste$!&=1@mail.evil.example';
      world.sim.deliver(message(id), [ACCOUNT]);
      await app.domains.add(
        { name: DOMAIN, soapUrl: world.sim.soapUrl, preauthKey: world.preauthKey },
        'tester',
      );

      const created = await app.retractions.create(
        { messageId: `  <${id}> `, recipients: [ACCOUNT], action: 'trash' },
        'tester',
      );
      const report = await app.retractions.run(created.id);

      expect(report.counts).toMatchObject({ retracted: 1, failed: 0 });
      expect(world.sim.listMessages(ACCOUNT).map((m) => m.folderId)).toEqual([TRASH]);
    } finally {
      await app.close();
      await world.close();
    }
  });
});

describe('qualified item ids', () => {
  // The simulator has no shared folders, so it never returns `acctId:id`
  // (reference §3.5); a scripted server does, as Zimbra does for a mountpoint.
  let server: FakeServer;
  let client: ZimbraClient;
  const REMOTE = '7b1c2a3e-1111-4a2b-9c3d-0123456789ab:302';

  beforeEach(async () => {
    server = await FakeServer.start((request, res) => {
      const name = requestNameOf(request);
      if (name === 'AuthRequest') return authOk(res);
      if (name === 'SearchRequest') {
        return ok(res, 'SearchResponse', {
          more: false,
          m: [
            { id: '301', l: '2', d: 1, s: 10 },
            { id: REMOTE, l: '3', d: 1, s: 10 },
          ],
        });
      }
      return ok(res, 'MsgActionResponse', { action: { id: '301', op: 'move' } });
    });
    client = new ZimbraClient({ soapUrl: server.soapUrl, preauthKey: KEY });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('passes ids back to MsgAction exactly as the search returned them', async () => {
    const session = await client.openMailbox(ACCOUNT);
    const hits = await session.findMessages('x@mail.evil.example');
    await session.moveMessages(
      hits.map((h) => h.id),
      '310',
    );

    expect(hits.map((h) => h.id)).toEqual(['301', REMOTE]);
    const action = server.posts.find((p) => requestNameOf(p) === 'MsgActionRequest');
    expect(requestElement(action!)['action']).toEqual({
      op: 'move',
      id: `301,${REMOTE}`,
      l: '310',
    });
  });
});
