import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const KEY = '6b7ead4bd425836e8cf0079cd6c1a05acc127acd07c8ee4b61023e19250e929c';
const URL = 'https://mail.example.com/service/soap/';

describe('DomainService', () => {
  const tempDir = useTempDir();

  it('stores a domain with its key sealed and shows only a fingerprint', async () => {
    const { app, dataDir } = await createTestApp(tempDir());
    const view = await app.domains.add(
      {
        name: 'Example.COM',
        soapUrl: 'https://mail.example.com/service/soap',
        preauthKey: `${KEY}\n`,
      },
      'tester',
    );
    await app.close();

    expect(view).toMatchObject({
      name: 'example.com',
      soapUrl: URL,
      soapUrlKind: 'user',
      keyFingerprint: expect.stringMatching(/^[0-9a-f]{8}$/),
      caSubjects: [],
    });
    expect(JSON.stringify(view)).not.toContain(KEY);
    const raw = new SQLite(`${dataDir}/data/retract.db`).prepare('select * from domains').get();
    expect(JSON.stringify(raw)).not.toContain(KEY);
  });

  it('gives the key back only through openCredentials', async () => {
    const { app } = await createTestApp(tempDir());
    await app.domains.add({ name: 'example.com', soapUrl: URL, preauthKey: KEY }, 'tester');
    const creds = await app.domains.openCredentials('example.com');
    const listed = await app.domains.list();
    await app.close();

    expect(creds.preauthKey).toBe(KEY);
    expect(JSON.stringify(listed)).not.toContain(KEY);
  });

  it('accepts the admin-port SOAP URL form', async () => {
    const { app } = await createTestApp(tempDir());
    const view = await app.domains.add(
      {
        name: 'example.com',
        soapUrl: 'https://mail.example.com:7071/service/admin/soap/',
        preauthKey: KEY,
      },
      'tester',
    );
    await app.close();
    expect(view.soapUrlKind).toBe('admin');
  });

  it.each([
    ['a short key', { preauthKey: 'abc123' }, 'preauthKey', /64 hex digits.*has 6 characters/],
    ['a key with non-hex', { preauthKey: `${KEY.slice(0, 63)}z` }, 'preauthKey', /not hex digits/],
    ['an http URL', { soapUrl: 'http://mail.example.com/service/soap/' }, 'soapUrl', /https/],
    ['a wrong path', { soapUrl: 'https://mail.example.com/soap' }, 'soapUrl', /path/],
    ['an IP as domain', { name: '192.0.2.1' }, 'domain', /mail domain name/],
    ['a single label', { name: 'localhost' }, 'domain', /mail domain name/],
  ])('refuses %s, naming the field', async (_what, change, field, message) => {
    const { app } = await createTestApp(tempDir());
    const input = { name: 'example.com', soapUrl: URL, preauthKey: KEY, ...change };
    const error = await app.domains.add(input, 'tester').catch((e: unknown) => e);
    const count = (await app.domains.list()).length;
    await app.close();

    expect(error).toMatchObject({ field, message: expect.stringMatching(message) });
    expect(String((error as Error).message)).not.toContain(KEY.slice(0, 20));
    expect(count).toBe(0);
  });

  it('never echoes a rejected key in the error', async () => {
    const { app } = await createTestApp(tempDir());
    const almost = `${KEY}ff`;
    const error = (await app.domains
      .add({ name: 'example.com', soapUrl: URL, preauthKey: almost }, 'tester')
      .catch((e: unknown) => e)) as Error;
    await app.close();
    expect(error.message).not.toContain(almost.slice(0, 16));
  });

  it('refuses a second domain of the same name and keeps the first', async () => {
    const { app } = await createTestApp(tempDir());
    await app.domains.add({ name: 'example.com', soapUrl: URL, preauthKey: KEY }, 'tester');
    const other = 'https://other.example.com/service/soap/';
    await expect(
      app.domains.add({ name: 'example.com', soapUrl: other, preauthKey: KEY }, 'tester'),
    ).rejects.toMatchObject({ code: 'DOMAIN_EXISTS' });
    const [kept] = await app.domains.list();
    await app.close();
    expect(kept?.soapUrl).toBe(URL);
  });

  it('replaces a key, changing the fingerprint, and audits without the key', async () => {
    const { app } = await createTestApp(tempDir());
    const before = await app.domains.add(
      { name: 'example.com', soapUrl: URL, preauthKey: KEY },
      'ann',
    );
    const newKey = 'f'.repeat(64);
    const after = await app.domains.replaceKey('example.com', newKey, 'ann');
    const audit = await app.audit.list();
    await app.close();

    expect(after.keyFingerprint).not.toBe(before.keyFingerprint);
    expect(audit.map((a) => a.action)).toEqual(['domain.replace_key', 'domain.add']);
    expect(JSON.stringify(audit)).not.toContain(KEY);
    expect(JSON.stringify(audit)).not.toContain(newKey);
  });

  it('changes the SOAP URL and concurrency, keeping the key, and audits the change', async () => {
    const { app } = await createTestApp(tempDir());
    const before = await app.domains.add(
      { name: 'example.com', soapUrl: URL, preauthKey: KEY },
      'ann',
    );
    const admin = 'https://mail.example.com:7071/service/admin/soap';
    const after = await app.domains.update(
      'example.com',
      { soapUrl: admin, maxConcurrency: 3 },
      'ann',
    );
    const creds = await app.domains.openCredentials('example.com');
    const [entry] = await app.audit.list({ limit: 1 });
    await app.close();

    expect(after).toMatchObject({ soapUrl: `${admin}/`, soapUrlKind: 'admin', maxConcurrency: 3 });
    expect(after.keyFingerprint).toBe(before.keyFingerprint);
    expect(creds.preauthKey).toBe(KEY);
    expect(entry).toMatchObject({
      action: 'domain.update',
      details: { changed: ['soapUrl', 'maxConcurrency'] },
    });
  });

  it('keeps a pace per domain: default, a number, or unlimited', async () => {
    const { app } = await createTestApp(tempDir());
    const added = await app.domains.add(
      { name: 'example.com', soapUrl: URL, preauthKey: KEY, requestsPerSecond: 25 },
      'ann',
    );
    const unlimited = await app.domains.update(
      'example.com',
      { requestsPerSecond: 'unlimited' },
      'ann',
    );
    const creds = await app.domains.openCredentials('example.com');
    const reset = await app.domains.update('example.com', { requestsPerSecond: null }, 'ann');
    const bad = await app.domains
      .update('example.com', { requestsPerSecond: 0 }, 'ann')
      .catch((e: unknown) => e);
    await app.close();

    expect(added.requestsPerSecond).toBe(25);
    expect(unlimited.requestsPerSecond).toBe('unlimited');
    expect(creds.requestsPerSecond).toBe('unlimited');
    expect(reset.requestsPerSecond).toBeNull();
    expect(bad).toMatchObject({ code: 'DOMAIN_BAD_REQUEST_RATE', field: 'requestsPerSecond' });
  });

  it('changes nothing when one field of an update is bad', async () => {
    const { app } = await createTestApp(tempDir());
    await app.domains.add({ name: 'example.com', soapUrl: URL, preauthKey: KEY }, 'ann');
    const error = await app.domains
      .update('example.com', { maxConcurrency: 2, soapUrl: 'ftp://x.example.com/' }, 'ann')
      .catch((e: unknown) => e);
    const kept = await app.domains.get('example.com');
    await app.close();

    expect(error).toMatchObject({ field: 'soapUrl' });
    expect(kept).toMatchObject({ soapUrl: URL, maxConcurrency: 8 });
  });

  it('refuses a CA file that holds a private key', async () => {
    const { app } = await createTestApp(tempDir());
    const pem = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';
    await expect(
      app.domains.add({ name: 'example.com', soapUrl: URL, preauthKey: KEY, caPem: pem }, 'ann'),
    ).rejects.toMatchObject({ field: 'caFile', message: expect.stringMatching(/private key/) });
    await app.close();
  });
});
