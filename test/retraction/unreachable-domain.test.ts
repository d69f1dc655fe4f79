import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, createLogger, loadAppConfig } from '../../src/app/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { LogCapture, createTestApp } from '../helpers/test-app.js';

const KEY = 'a'.repeat(64);

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('a domain Retract cannot reach', { timeout: 120_000 }, () => {
  const tempDir = useTempDir();

  it('stops its logins after a few refused connections and fails the rest at once', async () => {
    const { app } = await createTestApp(tempDir());
    const port = await closedPort();
    await app.domains.add(
      { name: 'down.test', soapUrl: `http://127.0.0.1:${port}/service/soap/`, preauthKey: KEY },
      't',
    );
    const recipients = Array.from({ length: 30 }, (_, i) => `u${i}@down.test`);
    const r = await app.retractions.create({ messageId: 'x@y.example', recipients }, 't');

    const report = await app.retractions.run(r.id);
    await app.close();

    expect(report.status).toBe('completed');
    expect(report.counts.failed).toBe(30);
    const codes = report.mailboxes.map((m) => m.error?.code);
    expect(
      codes.filter((c) => c === 'RETRACTION_DOMAIN_UNREACHABLE').length,
    ).toBeGreaterThanOrEqual(29);
  });

  it('fails the mailboxes of a domain whose URL the loopback policy now refuses, and finishes', async () => {
    const dir = tempDir();
    const { app } = await createTestApp(dir);
    await app.domains.add(
      { name: 'loop.test', soapUrl: 'http://127.0.0.1:9/service/soap/', preauthKey: KEY },
      't',
    );
    await app.close();

    const config = loadAppConfig(
      { RETRACT_ALLOW_LOOPBACK_TARGETS: '0' },
      { dataDir: join(dir, 'data') },
    );
    const strict = await createApp({ config, logger: createLogger('silent', new LogCapture()) });
    const r = await strict.retractions.create(
      { messageId: 'x@y.example', recipients: ['a@loop.test', 'b@loop.test'] },
      't',
    );
    const report = await strict.retractions.run(r.id);
    await strict.close();

    expect(report.status).toBe('completed');
    expect(report.mailboxes.map((m) => [m.status, m.error?.code])).toEqual([
      ['failed', 'ZIMBRA_INVALID_SOAP_URL'],
      ['failed', 'ZIMBRA_INVALID_SOAP_URL'],
    ]);
  });
});
