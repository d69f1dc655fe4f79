import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, createLogger, loadAppConfig, type App } from '../../src/app/index.js';
import type { RetractionSettings } from '../../src/retraction/index.js';

/** Every log line an app wrote, for checks that secrets never appear. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }

  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  app: App;
  logs: LogCapture;
  dataDir: string;
}

/** An app over a fresh SQLite file, loopback targets allowed, no retry waits. */
export async function createTestApp(
  dataDir: string,
  settings: Partial<RetractionSettings> = {},
  sleep: (ms: number) => Promise<void> = async () => {},
): Promise<TestApp> {
  const config = loadAppConfig(
    { RETRACT_ALLOW_LOOPBACK_TARGETS: '1', RETRACT_LOG_LEVEL: 'trace' },
    { dataDir: join(dataDir, 'data') },
  );
  const logs = new LogCapture();
  const app = await createApp({
    config,
    logger: createLogger(config.logLevel, logs),
    retraction: { retryDelayMs: 1, ...settings },
    sleep,
  });
  return { app, logs, dataDir };
}
