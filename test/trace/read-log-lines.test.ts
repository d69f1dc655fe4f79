import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { RetractError } from '../../src/errors/index.js';
import { PostfixLogParser, readLogLines } from '../../src/trace/index.js';
import { DEC_4_2026_EVENING_UTC, readFixtureLines } from './parse-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'retract-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(path: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLogLines(path)) lines.push(line);
  return lines;
}

describe('readLogLines', () => {
  const lines = readFixtureLines('content-filter.log');
  const text = `${lines.join('\n')}\n`;

  it('streams the lines of a plain file', async () => {
    const path = join(dir, 'maillog');
    writeFileSync(path, text);
    expect(await collect(path)).toEqual(lines);
  });

  it('decompresses a gzip file, recognised by its bytes rather than its name', async () => {
    const path = join(dir, 'zimbra.log.1');
    writeFileSync(path, gzipSync(text));
    expect(await collect(path)).toEqual(lines);
  });

  it('reads concatenated gzip members as one stream', async () => {
    const path = join(dir, 'joined.log.gz');
    const half = Math.floor(lines.length / 2);
    const first = `${lines.slice(0, half).join('\n')}\n`;
    const second = `${lines.slice(half).join('\n')}\n`;
    writeFileSync(path, Buffer.concat([gzipSync(first), gzipSync(second)]));
    expect(await collect(path)).toEqual(lines);
  });

  it('feeds the parser the same deliveries from .gz as from plain text', async () => {
    const path = join(dir, 'zimbra.log.2.gz');
    writeFileSync(path, gzipSync(text));
    const parser = new PostfixLogParser({ now: () => DEC_4_2026_EVENING_UTC });
    const recipients: string[] = [];
    for await (const line of readLogLines(path)) {
      for (const record of parser.push(line)) recipients.push(record.recipient);
    }
    expect(recipients).toContain('alice@example.test');
    expect(recipients).toContain('dave@example.test');
  });

  it('drops CR of CRLF line ends', async () => {
    const path = join(dir, 'crlf.log');
    writeFileSync(path, 'a\r\nb\r\n');
    expect(await collect(path)).toEqual(['a', 'b']);
  });

  it('raises TRACE_LOG_UNREADABLE for a missing file', async () => {
    const error = await collect(join(dir, 'missing.log')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetractError);
    expect((error as RetractError).code).toBe('TRACE_LOG_UNREADABLE');
    expect((error as RetractError).failureClass).toBe('config');
  });

  it('raises TRACE_LOG_UNREADABLE for a corrupt gzip file', async () => {
    const path = join(dir, 'broken.gz');
    writeFileSync(path, Buffer.concat([gzipSync(text).subarray(0, 40), Buffer.from('junk')]));
    const error = await collect(path).catch((caught: unknown) => caught);
    expect((error as RetractError).code).toBe('TRACE_LOG_UNREADABLE');
  });
});
