import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { SyslogLineParser } from '../../src/trace/index.js';

const DEC_4_2026 = () => Date.UTC(2026, 11, 4, 20);

function parseOne(line: string, timeZone = 'UTC', now = DEC_4_2026) {
  return new SyslogLineParser({ timeZone, now }).parse(line);
}

describe('SyslogLineParser tags', () => {
  it.each([
    ['postfix/smtpd[2102]', 'smtpd', 'postfix', null, 2102],
    ['postfix/submission/smtpd[3101]', 'smtpd', 'postfix/submission', 'submission', 3101],
    ['postfix/amavisd/smtpd[4103]', 'smtpd', 'postfix/amavisd', 'amavisd', 4103],
    ['postfix/lmtp[4105]', 'lmtp', 'postfix', null, 4105],
    ['postfix/smtp', 'smtp', 'postfix', null, null],
    ['amavis[4000]', 'amavis', null, null, 4000],
  ])(
    'splits %s into program, syslog name, service and pid',
    (tag, program, syslogName, service, pid) => {
      const line = parseOne(`Dec  4 15:56:31 mta1 ${tag}: 4F1A2B3C4D: removed`);
      expect(line).toMatchObject({ program, syslogName, service, pid, host: 'mta1' });
      expect(line?.text).toBe('4F1A2B3C4D: removed');
    },
  );

  it('keeps the whole text after the tag, colons and all', () => {
    const line = parseOne(
      'Dec  4 15:56:31 mta1 postfix/qmgr[1]: ABCDEF1234: from=<a@b.test>, size=1: x',
    );
    expect(line?.text).toBe('ABCDEF1234: from=<a@b.test>, size=1: x');
  });

  it('flags rsyslog and sysklogd repeat notices', () => {
    expect(
      parseOne('Dec  4 15:56:31 mta1 postfix/lmtp[1]: message repeated 2 times: [ x]')
        ?.isRepeatNotice,
    ).toBe(true);
    expect(parseOne('Dec  4 15:56:31 mta1 last message repeated 3 times')?.isRepeatNotice).toBe(
      true,
    );
    expect(
      parseOne('Dec  4 15:56:31 mta1 postfix/lmtp[1]: ABCDEF1234: removed')?.isRepeatNotice,
    ).toBe(false);
  });

  it.each([
    ['this is not syslog'],
    [''],
    ['Foo  4 15:56:31 mta1 postfix/smtpd[1]: x'],
    ['Dec 32 15:56:31 mta1 postfix/smtpd[1]: x'],
    ['Dec  4 25:56:31 mta1 postfix/smtpd[1]: x'],
    ['2026-13-04T15:56:36Z mta1 postfix/smtpd[1]: x'],
    ['2026-12-04T15:56:36+0x:00 mta1 postfix/smtpd[1]: x'],
  ])('returns null for %j', (text) => {
    expect(parseOne(text)).toBeNull();
  });
});

describe('SyslogLineParser RFC 3339 timestamps', () => {
  it.each([
    ['2026-12-04T15:56:36.123456+00:00', Date.UTC(2026, 11, 4, 15, 56, 36, 123)],
    ['2026-12-04T15:56:36Z', Date.UTC(2026, 11, 4, 15, 56, 36)],
    ['2026-12-04T16:56:36.5+01:00', Date.UTC(2026, 11, 4, 15, 56, 36, 500)],
    ['2026-12-04T10:26:36-0530', Date.UTC(2026, 11, 4, 15, 56, 36)],
  ])('reads %s with its own offset', (stamp, expected) => {
    expect(parseOne(`${stamp} mta1 postfix/smtpd[1]: x`, 'Asia/Tokyo')?.timeMs).toBe(expected);
  });

  it('reads a stamp without offset in the configured zone', () => {
    const line = parseOne('2026-12-04T16:56:36 mta1 postfix/smtpd[1]: x', 'Europe/Berlin');
    expect(line?.timeMs).toBe(Date.UTC(2026, 11, 4, 15, 56, 36));
  });

  it('ignores the reference clock, since the year is written', () => {
    const line = parseOne('2019-01-02T03:04:05Z mta1 postfix/smtpd[1]: x');
    expect(line?.timeMs).toBe(Date.UTC(2019, 0, 2, 3, 4, 5));
  });
});

describe('SyslogLineParser classic timestamps', () => {
  it('reads the wall clock of the configured zone', () => {
    expect(parseOne('Dec  4 15:56:36 h p[1]: x', 'UTC')?.timeMs).toBe(
      Date.UTC(2026, 11, 4, 15, 56, 36),
    );
    expect(parseOne('Dec  4 15:56:36 h p[1]: x', 'America/New_York')?.timeMs).toBe(
      Date.UTC(2026, 11, 4, 20, 56, 36),
    );
    expect(parseOne('Jul 14 12:00:00 h p[1]: x', 'Europe/Berlin')?.timeMs).toBe(
      Date.UTC(2026, 6, 14, 10, 0, 0),
    );
  });

  it('accepts a two-digit day', () => {
    expect(parseOne('Nov 14 01:02:03 h p[1]: x')?.timeMs).toBe(Date.UTC(2026, 10, 14, 1, 2, 3));
  });

  it('keeps a fraction of a second to the millisecond (journalctl -o short-precise)', () => {
    const line = parseOne('Dec  4 09:00:00.123456 mta1 postfix/qmgr[12]: ABCDEF1234: removed');
    expect(line).toMatchObject({ host: 'mta1', program: 'qmgr', text: 'ABCDEF1234: removed' });
    expect(line?.timeMs).toBe(Date.UTC(2026, 11, 4, 9, 0, 0, 123));
    expect(parseOne('Dec  4 09:00:00. mta1 p[1]: x')).toBeNull();
  });

  it('puts a line up to a day ahead of now in the current year', () => {
    const now = () => Date.UTC(2026, 11, 4, 20);
    expect(parseOne('Dec  5 19:00:00 h p[1]: x', 'UTC', now)?.timeMs).toBe(
      Date.UTC(2026, 11, 5, 19),
    );
  });

  it('puts a line more than a day ahead of now in the previous year', () => {
    const now = () => Date.UTC(2026, 11, 4, 20);
    expect(parseOne('Dec  6 00:00:00 h p[1]: x', 'UTC', now)?.timeMs).toBe(Date.UTC(2025, 11, 6));
  });

  it('infers the year in the configured zone, not in UTC, around New Year', () => {
    // 23:30 UTC on 31 Dec 2026 is already 1 Jan 2027 in Tokyo (UTC+9) but not in New York.
    const now = () => Date.UTC(2026, 11, 31, 23, 30);
    expect(parseOne('Jan  1 08:00:00 h p[1]: x', 'Asia/Tokyo', now)?.timeMs).toBe(
      Date.UTC(2026, 11, 31, 23, 0),
    );
    expect(parseOne('Dec 31 18:00:00 h p[1]: x', 'America/New_York', now)?.timeMs).toBe(
      Date.UTC(2026, 11, 31, 23, 0),
    );
    expect(parseOne('Jan  1 08:00:00 h p[1]: x', 'America/New_York', now)?.timeMs).toBe(
      Date.UTC(2026, 0, 1, 13, 0),
    );
  });

  it('reads Feb 29 in the newest leap year', () => {
    const now = () => Date.UTC(2026, 5, 1);
    expect(parseOne('Feb 29 12:00:00 h p[1]: x', 'UTC', now)?.timeMs).toBe(
      Date.UTC(2024, 1, 29, 12),
    );
  });

  it('moves a time in the skipped DST hour forward, as the clock did', () => {
    const now = () => Date.UTC(2026, 5, 1);
    // Berlin skipped 02:00-03:00 on 29 March 2026; 02:30 is read as 03:30 CEST.
    expect(parseOne('Mar 29 02:30:00 h p[1]: x', 'Europe/Berlin', now)?.timeMs).toBe(
      Date.UTC(2026, 2, 29, 1, 30),
    );
  });

  it('tells the two passes of the repeated DST hour apart by the order of lines', () => {
    const now = () => Date.UTC(2026, 10, 1);
    const parser = new SyslogLineParser({ timeZone: 'Europe/Berlin', now });
    // Berlin repeated 02:00-03:00 on 25 October 2026 (CEST 00:00-01:00 UTC, then CET 01:00-02:00 UTC).
    const times = ['02:10:00', '02:59:50', '02:00:10', '02:10:00', '03:00:05'].map(
      (time) => parser.parse(`Oct 25 ${time} h p[1]: x`)?.timeMs,
    );
    expect(times).toEqual([
      Date.UTC(2026, 9, 25, 0, 10),
      Date.UTC(2026, 9, 25, 0, 59, 50),
      Date.UTC(2026, 9, 25, 1, 0, 10),
      Date.UTC(2026, 9, 25, 1, 10),
      Date.UTC(2026, 9, 25, 2, 0, 5),
    ]);
  });
});

describe('SyslogLineParser options', () => {
  it('refuses an unknown time zone with TRACE_BAD_TIME_ZONE', () => {
    const make = () => new SyslogLineParser({ timeZone: 'Mars/Olympus_Mons' });
    expect(make).toThrow(InputError);
    try {
      make();
    } catch (error) {
      expect((error as InputError).code).toBe('TRACE_BAD_TIME_ZONE');
      expect((error as InputError).field).toBe('timeZone');
    }
  });
});

describe('SyslogLineParser on cut-off lines', () => {
  it.each([
    ['Dec  4 15:5'],
    ['Dec  4 15:56:3'],
    ['Dec  4 15:56:31'],
    ['2026-12-04T15:56:3'],
    ['2026-12-04T15:56:36.12'],
    ['2026-12-04T15:56:36+01'],
  ])('returns null for %j', (text) => {
    expect(parseOne(text)).toBeNull();
  });
});
