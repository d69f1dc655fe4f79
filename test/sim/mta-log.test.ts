// Postfix lines of a Zimbra MTA (/var/log/zimbra.log): smtpd, cleanup, qmgr, lmtp to the
// mailbox server's LMTP port 7025 (Zimbra's zimbraLmtpBindPort default).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type SyslogTimestamps } from '../../sim/index.js';
import { rawMessage } from './sim-helpers.js';

const T = Date.UTC(2026, 11, 4, 15, 56, 36, 123);
const dir = mkdtempSync(join(tmpdir(), 'retract-sim-mta-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function deliverThree(timestamps: SyslogTimestamps) {
  const path = join(dir, `${timestamps}.log`);
  const sim = await startSimulator({
    now: () => T,
    mtaLogPath: path,
    mtaLogTimestamps: timestamps,
  });
  sim.addDomain('example.com');
  sim.addAccount('alice@example.com');
  sim.addAccount('bob@example.com');
  const raw = `Return-Path: <bounce@evil.example>\r\n${rawMessage('<CAF9@mail.evil.example>')}`;
  const result = sim.deliver(raw, ['alice@example.com', 'ghost@example.com', 'bob@example.com'], {
    clientIp: '192.0.2.55',
  });
  const messages = sim.listMessages('alice@example.com');
  await sim.close();
  return { result, messages, lines: readFileSync(path, 'utf8').trimEnd().split('\n') };
}

function body(line: string): string {
  return line.replace(/^.*? mail postfix\//, 'postfix/');
}

describe('MTA log of one delivery', () => {
  it('writes the smtpd, cleanup, qmgr, lmtp and removed lines in classic syslog form', async () => {
    const { result, lines } = await deliverThree('bsd');
    const q = result.queueId;
    expect(q).toMatch(
      /^[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10}z[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-y]{1,2}$/,
    );
    for (const line of lines) {
      expect(line).toMatch(/^Dec {2}4 15:56:3\d mail postfix\/(smtpd|cleanup|qmgr|lmtp)\[\d+\]: /);
    }
    const bodies = lines.map(body);
    expect(bodies[0]).toMatch(/^postfix\/smtpd\[\d+\]: connect from unknown\[192\.0\.2\.55\]$/);
    expect(bodies).toContainEqual(
      expect.stringMatching(new RegExp(`: ${q}: client=unknown\\[192\\.0\\.2\\.55\\]$`)),
    );
    expect(bodies).toContainEqual(
      expect.stringMatching(
        new RegExp(`cleanup\\[\\d+\\]: ${q}: message-id=<CAF9@mail\\.evil\\.example>$`),
      ),
    );
    expect(bodies).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `qmgr\\[\\d+\\]: ${q}: from=<bounce@evil\\.example>, size=\\d+, nrcpt=3 \\(queue active\\)$`,
        ),
      ),
    );
    const lmtp = bodies.filter((b) => b.startsWith('postfix/lmtp'));
    expect(lmtp).toHaveLength(3);
    const relay = 'relay=mail\\.example\\.com\\[198\\.51\\.100\\.10\\]:7025';
    const timing = 'delay=[\\d.]+, delays=[\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+';
    for (const rcpt of ['alice', 'bob']) {
      expect(lmtp).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `${q}: to=<${rcpt}@example\\.com>, ${relay}, ${timing}, dsn=2\\.1\\.5, status=sent \\(250 2\\.1\\.5 Delivery OK\\)$`,
          ),
        ),
      );
    }
    expect(lmtp).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `${q}: to=<ghost@example\\.com>, ${relay}, ${timing}, dsn=5\\.1\\.1, status=bounced \\(.*550 5\\.1\\.1 .*User unknown.*\\)$`,
        ),
      ),
    );
    expect(bodies.at(-1)).toMatch(new RegExp(`qmgr\\[\\d+\\]: ${q}: removed$`));
  });

  it('stores copies only for known recipients and reports the bounced one', async () => {
    const { result, messages } = await deliverThree('bsd');
    expect(result.messageId).toBe('CAF9@mail.evil.example');
    expect(result.items.map((i) => i.account)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(result.rejected).toEqual(['ghost@example.com']);
    expect(messages).toEqual([
      expect.objectContaining({ folderId: '2', messageId: 'CAF9@mail.evil.example' }),
    ]);
  });

  it('writes RFC 3339 timestamps with microseconds when asked', async () => {
    const { lines } = await deliverThree('rfc3339');
    expect(lines).toHaveLength(9);
    for (const line of lines) {
      expect(line).toMatch(/^2026-12-04T15:56:3\d\.\d{6}\+00:00 mail postfix\/\w+\[\d+\]: /);
    }
  });
});
