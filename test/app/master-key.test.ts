import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, createLogger, loadAppConfig } from '../../src/app/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { LogCapture } from '../helpers/test-app.js';

const KEY = 'b'.repeat(64);

async function open(dataDir: string, env: Record<string, string> = {}) {
  const config = loadAppConfig(env, { dataDir });
  return createApp({ config, logger: createLogger('silent', new LogCapture()) });
}

describe('the master key', () => {
  const tempDir = useTempDir();

  it('is created owner-only on first start', async () => {
    const dir = tempDir();
    const app = await open(dir);
    await app.close();

    const path = join(dir, 'master.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('is never replaced while the database holds keys sealed with it', async () => {
    const dir = tempDir();
    const first = await open(dir);
    await first.domains.add(
      { name: 'example.com', soapUrl: 'https://mail.example.com/service/soap/', preauthKey: KEY },
      't',
    );
    await first.close();
    renameSync(join(dir, 'master.key'), join(dir, 'master.key.moved'));

    await expect(open(dir)).rejects.toMatchObject({
      code: 'CONFIG_MASTER_KEY_MISSING',
      message: expect.stringMatching(/restore the key file/),
    });
    expect(existsSync(join(dir, 'master.key'))).toBe(false);

    renameSync(join(dir, 'master.key.moved'), join(dir, 'master.key'));
    const again = await open(dir);
    const creds = await again.domains.openCredentials('example.com');
    await again.close();
    expect(creds.preauthKey).toBe(KEY);
  });

  it('can come from RETRACT_MASTER_KEY alone, writing no file', async () => {
    const dir = tempDir();
    const env = { RETRACT_MASTER_KEY: `v1:${Buffer.alloc(32, 7).toString('base64')}` };
    const app = await open(dir, env);
    await app.domains.add(
      { name: 'example.com', soapUrl: 'https://mail.example.com/service/soap/', preauthKey: KEY },
      't',
    );
    await app.close();

    expect(existsSync(join(dir, 'master.key'))).toBe(false);
    const again = await open(dir, env);
    expect((await again.domains.openCredentials('example.com')).preauthKey).toBe(KEY);
    await again.close();
  });
});
