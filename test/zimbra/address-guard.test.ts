import type { LookupAddress } from 'node:dns';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveCheckedAddresses } from '../../src/zimbra/address-guard.js';
import { classifyAddress } from '../../src/zimbra/ip-address.js';
import { SoapTransport } from '../../src/zimbra/transport.js';
import { ZimbraClient, ZimbraError } from '../../src/zimbra/index.js';
import { FakeServer } from './helpers/fake-server.js';
import { KEY } from './helpers/scripted.js';

const servers: FakeServer[] = [];
const closers: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A resolver that answers from a script, one answer per call, and counts calls. */
function scriptedLookup(...answers: string[][]) {
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<LookupAddress[]> => {
    calls.push(hostname);
    const answer = answers[Math.min(calls.length, answers.length) - 1] ?? [];
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, calls };
}

async function failureOf(promise: Promise<unknown>): Promise<ZimbraError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZimbraError);
  return error as ZimbraError;
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::fb', 'multicast'],
    ['10.1.2.3', 'public'],
    ['192.168.1.10', 'public'],
    ['203.0.113.7', 'public'],
    ['2001:db8::10', 'public'],
    ['fd00:ec2::253', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('says nothing about a host name', () => {
    expect(classifyAddress('mail.example.com')).toBeUndefined();
  });
});

describe('resolveCheckedAddresses', () => {
  it('returns every address of a host that resolves to private or public addresses', async () => {
    const { lookup } = scriptedLookup(['10.0.0.5', '2001:db8::5']);
    const addresses = await resolveCheckedAddresses('mail.example.com', {
      allowLoopback: false,
      lookup,
    });
    expect(addresses.map((a) => [a.address, a.kind])).toEqual([
      ['10.0.0.5', 'public'],
      ['2001:db8::5', 'public'],
    ]);
  });

  it.each([
    [['169.254.169.254'], 'metadata'],
    [['fd00:ec2::254'], 'metadata'],
    [['fe80::1'], 'link-local'],
    [['0.0.0.0'], 'unspecified'],
    [['224.0.0.1'], 'multicast'],
    [['127.0.0.1'], 'loopback'],
    [['203.0.113.7', '169.254.169.254'], 'metadata'],
  ])('refuses a host resolving to %j (%s)', async (answer, kind) => {
    const { lookup } = scriptedLookup(answer);
    const error = await failureOf(
      resolveCheckedAddresses('mail.example.com', { allowLoopback: false, lookup }),
    );
    expect(error).toMatchObject({
      code: 'ZIMBRA_ADDRESS_REFUSED',
      failureClass: 'config',
      retry: 'never',
    });
    expect(error.context).toMatchObject({ hostname: 'mail.example.com', addressKind: kind });
  });

  it('allows loopback only when told to', async () => {
    const { lookup } = scriptedLookup(['127.0.0.1']);
    await expect(
      resolveCheckedAddresses('zimbra.test', { allowLoopback: true, lookup }),
    ).resolves.toHaveLength(1);
  });

  it('treats an empty answer as a host that does not resolve', async () => {
    const { lookup } = scriptedLookup([]);
    await expect(
      resolveCheckedAddresses('zimbra.test', { allowLoopback: true, lookup }),
    ).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('connections go only to checked addresses', () => {
  async function server() {
    const s = await FakeServer.start((_r, res) => void res.writeHead(200).end('{}'));
    servers.push(s);
    return s;
  }

  function transport(
    port: string,
    options: Partial<ConstructorParameters<typeof SoapTransport>[0]>,
  ) {
    const t = new SoapTransport({
      origin: `http://zimbra.test:${port}`,
      userAgent: 't',
      allowLoopback: false,
      ...options,
    });
    closers.push(t);
    return t;
  }

  it('connects to the address the guarded lookup checked', async () => {
    const s = await server();
    const { lookup, calls } = scriptedLookup(['127.0.0.1']);
    const t = transport(new URL(s.soapUrl).port, { allowLoopback: true, lookup });
    const answer = await t.postJson('/service/soap/', '{}', 'SearchRequest');
    expect(answer.status).toBe(200);
    expect(calls).toEqual(['zimbra.test']);
    expect(s.posts).toHaveLength(1);
  });

  it('never connects when the name resolves to a refused address', async () => {
    const s = await server();
    const { lookup } = scriptedLookup(['127.0.0.1']);
    const t = transport(new URL(s.soapUrl).port, { lookup });
    const error = await failureOf(t.postJson('/service/soap/', '{}', 'AuthRequest'));
    expect(error).toMatchObject({ code: 'ZIMBRA_ADDRESS_REFUSED', failureClass: 'config' });
    expect(s.requests).toHaveLength(0);
  });

  it('checks again at every new connection, so a rebinding answer is refused', async () => {
    const s = await FakeServer.start(
      (_r, res) => void res.writeHead(200, { connection: 'close' }).end('{}'),
    );
    servers.push(s);
    const { lookup, calls } = scriptedLookup(['127.0.0.1'], ['169.254.169.254']);
    const t = transport(new URL(s.soapUrl).port, { allowLoopback: true, lookup });

    await t.postJson('/service/soap/', '{}', 'SearchRequest');
    const error = await failureOf(t.postJson('/service/soap/', '{}', 'SearchRequest'));
    expect(error.code).toBe('ZIMBRA_ADDRESS_REFUSED');
    expect(calls).toHaveLength(2);
    expect(s.posts).toHaveLength(1);
  });

  it('sends from the configured local (egress) address', async () => {
    const s = await server();
    const t = transport(new URL(s.soapUrl).port, {
      origin: new URL(s.soapUrl).origin,
      allowLoopback: true,
      localAddress: '127.0.0.2',
    });
    await t.postJson('/service/soap/', '{}', 'SearchRequest');
    expect(s.posts[0]?.remoteAddress).toBe('127.0.0.2');
  });

  it('keeps a loopback SOAP URL reachable by default, as the caller already allowed it', async () => {
    const s = await FakeServer.start((_r, res) => void res.writeHead(500).end('{}'));
    servers.push(s);
    const client = new ZimbraClient({
      soapUrl: s.soapUrl.replace('127.0.0.1', 'localhost'),
      preauthKey: KEY,
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      lookup: scriptedLookup(['127.0.0.1']).lookup,
    });
    closers.push(client);
    const error = await failureOf(client.openMailbox('alice@example.com'));
    expect(error.code).not.toBe('ZIMBRA_ADDRESS_REFUSED');
    expect(s.posts).toHaveLength(1);
  });
});
