import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../sim/index.js';
import { PostfixLogParser } from '../../src/trace/index.js';
import { useTempDir } from '../helpers/temp-dir.js';

const MESSAGE = [
  'From: "Payroll" <payroll@evil.example>',
  'To: ann@example.test',
  'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus =?UTF-8?Q?K=C3=B6ln?=',
  'Message-ID: <subj-1@evil.example>',
  '',
  'hi',
  '',
].join('\r\n');

describe('simulator MTA log with Subject lines', () => {
  const tempDir = useTempDir();

  async function logOf(mtaLogSubjects: boolean): Promise<string> {
    const path = join(tempDir(), 'zimbra.log');
    const sim = await startSimulator({ mtaLogPath: path, mtaLogSubjects });
    sim.addDomain('example.test');
    sim.addAccount('ann@example.test');
    sim.addAccount('bob@example.test');
    sim.deliver(MESSAGE, ['ann@example.test', 'bob@example.test']);
    await sim.close();
    return readFileSync(path, 'utf8');
  }

  it('logs the raw Subject as a header_checks INFO line after the message-id', async () => {
    const lines = (await logOf(true)).trim().split('\n');
    const idLine = lines.findIndex((l) => l.includes('message-id=<subj-1@evil.example>'));

    expect(lines[idLine + 1]).toMatch(
      /postfix\/cleanup\[\d+\]: \w+: info: header Subject: =\?UTF-8\?Q\?Gr=C3=BC=C3=9Fe\?= aus =\?UTF-8\?Q\?K=C3=B6ln\?= from unknown\[203\.0\.113\.\d+\]; from=<payroll@evil\.example> to=<ann@example\.test> proto=ESMTP helo=<unknown>$/,
    );
  });

  it('gives the trace the decoded subject for every recipient', async () => {
    const parser = new PostfixLogParser();
    const records = (await logOf(true)).split('\n').flatMap((l) => (l ? parser.push(l) : []));

    expect(records.map((r) => [r.recipient, r.subject])).toEqual([
      ['ann@example.test', 'Grüße aus Köln'],
      ['bob@example.test', 'Grüße aus Köln'],
    ]);
  });

  it('leaves Subject lines out by default, as a stock Zimbra does', async () => {
    expect(await logOf(false)).not.toContain('header Subject:');
  });
});
