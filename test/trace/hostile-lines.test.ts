import { describe, expect, it } from 'vitest';
import { PostfixLogParser } from '../../src/trace/index.js';
import { DEC_4_2026_EVENING_UTC, readFixtureLines } from './parse-fixture.js';

const FIXTURES = [
  'multi-recipient.log',
  'deferred-bounced.log',
  'content-filter.log',
  'encoded-headers.log',
  'noise.log',
  'mixed-timestamps.log',
];

function createParser(): PostfixLogParser {
  return new PostfixLogParser({ now: () => DEC_4_2026_EVENING_UTC, timeZone: 'Europe/Berlin' });
}

describe('PostfixLogParser on damaged input', () => {
  it('never throws on any prefix of any fixture line, and counts every line', () => {
    const parser = createParser();
    let pushed = 0;
    for (const name of FIXTURES) {
      for (const line of readFixtureLines(name)) {
        for (let end = 0; end <= line.length; end++) {
          expect(() => parser.push(line.slice(0, end))).not.toThrow();
          pushed++;
        }
      }
    }
    expect(parser.stats.lines).toBe(pushed);
  });

  it('never throws on lines with bytes swapped for hostile characters', () => {
    const parser = createParser();
    const hostile = ['\u0000', '<', '>', ',', '=', '[', ']', ':', ' ', '(', '\ufffd', '?='];
    const lines = FIXTURES.flatMap((name) => readFixtureLines(name));
    let pushed = 0;
    lines.forEach((line, index) => {
      for (let at = 0; at < line.length; at += 7) {
        const swapped =
          line.slice(0, at) + hostile[(index + at) % hostile.length] + line.slice(at + 1);
        expect(() => parser.push(swapped)).not.toThrow();
        pushed++;
      }
    });
    expect(parser.stats.lines).toBe(pushed);
  });

  it('emits only well-formed records from damaged lines', () => {
    const parser = createParser();
    const lines = FIXTURES.flatMap((name) => readFixtureLines(name));
    const records = lines.flatMap((line) =>
      [line.slice(0, -3), line.replace(', ', ',,'), line].flatMap((variant) =>
        parser.push(variant),
      ),
    );
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(Number.isFinite(record.timeMs)).toBe(true);
      expect(record.queueIds.at(-1)).toBe(record.queueId);
      expect(['delivered', 'deferred', 'bounced', 'expired']).toContain(record.status);
    }
  });
});

describe('PostfixLogParser on per-recipient expiry and other edge lines', () => {
  it('reads a delivery line whose status is "expired, returned to sender"', () => {
    const parser = createParser();
    const [record] = parser.push(
      'Dec  4 10:00:19 mta1 postfix/error[9]: 4A4B4C4D4E: to=<olga@example.test>, relay=none, delay=432000, delays=432000/0/0/0, dsn=4.4.7, status=expired, returned to sender',
    );
    expect(record).toMatchObject({
      recipient: 'olga@example.test',
      status: 'expired',
      detail: null,
    });
  });

  it('reads a quoted local part with a comma in to=<>', () => {
    const parser = createParser();
    const [record] = parser.push(
      'Dec  4 10:00:19 mta1 postfix/lmtp[9]: 4A4B4C4D4E: to=<"doe, john"@example.test>, relay=m[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 OK)',
    );
    expect(record?.recipient).toBe('"doe, john"@example.test');
    expect(record?.relay).toBe('m[192.0.2.10]:7025');
  });

  it('does not take lower-case words or NOQUEUE for queue ids', () => {
    const parser = createParser();
    parser.push('Dec  4 10:00:19 mta1 postfix/smtpd[9]: warning: hostname x.test does not resolve');
    parser.push('Dec  4 10:00:19 mta1 postfix/smtpd[9]: NOQUEUE: client=x.test[192.0.2.1]');
    parser.push(
      'Dec  4 10:00:19 mta1 postfix/smtp[9]: statistics: to=<x@example.test>, status=sent (x)',
    );
    expect(parser.stats).toMatchObject({ deliveryLines: 0, ignored: 3, unparsed: 0 });
  });

  it('counts lines of other programs as ignored', () => {
    const parser = createParser();
    parser.push('Dec  4 10:00:19 mta1 amavis[4000]: (04000-01) Passed CLEAN {RelayedInbound}');
    parser.push('Dec  4 10:00:19 mta1 zimbramon[12]: 12:zimbramon: Service status change');
    expect(parser.stats).toMatchObject({ ignored: 2, unparsed: 0 });
  });

  it('counts a recipient or orig_to with a control character as unparsed, never stored', () => {
    const parser = createParser();
    const line = (to: string, origTo = '') =>
      `Dec  4 10:00:19 mta1 postfix/lmtp[9]: 4A4B4C4D4E: to=<${to}>,${origTo} relay=m[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 OK)`;
    const bad = [
      line('olga\u001b[31m@example.test'),
      line('olga\u0000@example.test'),
      line('olga@example.test\u007f'),
      line('olga\t@example.test'),
      line('olga@example.test', ' orig_to=<all\u001b]0;x\u0007@example.test>,'),
    ];
    const records = bad.flatMap((text) => parser.push(text));
    const good = parser.push(line('olga@example.test', ' orig_to=<all@example.test>,'));

    expect(records).toEqual([]);
    expect(parser.stats).toMatchObject({ deliveryLines: 1, unparsed: 5 });
    expect(parser.stats.unparsedSample).toEqual(bad);
    expect(good.map((r) => [r.recipient, r.originalRecipient])).toEqual([
      ['olga@example.test', 'all@example.test'],
    ]);
  });

  it('hands out a copy of its stats', () => {
    const parser = createParser();
    parser.push('garbage');
    parser.stats.unparsedSample.push('tampered');
    expect(parser.stats.unparsedSample).toEqual(['garbage']);
  });
});
