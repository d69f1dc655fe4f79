import { describe, expect, it } from 'vitest';
import { PostfixLogParser, type ParsedDelivery } from '../../src/trace/index.js';
import {
  DEC_4_2026_EVENING_UTC,
  parseFixture,
  upsertByQueueAndRecipient,
} from './parse-fixture.js';

function byRecipient(records: ParsedDelivery[], recipient: string): ParsedDelivery[] {
  return records.filter((record) => record.recipient === recipient);
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

describe('PostfixLogParser on a multi-recipient LMTP delivery to Zimbra', () => {
  const { records, stats } = parseFixture('multi-recipient.log');

  it('emits one delivered record per recipient', () => {
    expect(records.map((r) => [r.recipient, r.status])).toEqual([
      ['alice@example.test', 'delivered'],
      ['bob@example.test', 'delivered'],
      ['carol@example.test', 'delivered'],
    ]);
  });

  it('carries what smtpd, cleanup and qmgr logged before the delivery', () => {
    const alice = only(byRecipient(records, 'alice@example.test'));
    expect(alice).toMatchObject({
      queueId: '4F1A2B3C4D',
      queueIds: ['4F1A2B3C4D'],
      messageId: '20261204155630.GA1234@mail.sender.test',
      messageIdRaw: '<20261204155630.GA1234@mail.sender.test>',
      sender: 'billing@sender.test',
      sizeBytes: 48213,
      clientAddress: '203.0.113.25',
      clientHost: 'mail.sender.test',
      relay: 'mailbox.example.test[192.0.2.10]:7025',
      dsn: '2.1.5',
      detail: '250 2.1.5 Delivery OK',
      subject: null,
      originalRecipient: null,
    });
    expect(alice.timeMs).toBe(Date.UTC(2026, 11, 4, 15, 56, 32));
  });

  it('keeps orig_to when an alias was expanded', () => {
    expect(only(byRecipient(records, 'bob@example.test')).originalRecipient).toBe(
      'sales@example.test',
    );
  });

  it('counts connection and TLS chatter as ignored, not unparsed', () => {
    expect(stats).toMatchObject({ lines: 12, deliveryLines: 3, unparsed: 0, ignored: 5 });
  });
});

describe('PostfixLogParser on deferrals, bounces and expiry', () => {
  const { records } = parseFixture('deferred-bounced.log');

  it('emits a deferred record, then a delivered one for the same queue id and recipient', () => {
    const partner = byRecipient(records, 'partner@remote.test');
    expect(partner.map((r) => [r.queueId, r.status, r.dsn])).toEqual([
      ['7C8D9E0F1A', 'deferred', '4.7.1'],
      ['7C8D9E0F1A', 'delivered', '2.0.0'],
    ]);
    const rows = upsertByQueueAndRecipient(records);
    expect(only(byRecipient(rows, 'partner@remote.test')).status).toBe('delivered');
  });

  it('keeps a remote relay that answers "queued as" as a delivery, not a filter hop', () => {
    const sent = byRecipient(records, 'partner@remote.test')[1];
    expect(sent?.detail).toBe('250 2.0.0 Ok: queued as 4QbC7x1Zz9z');
    expect(sent?.queueIds).toEqual(['7C8D9E0F1A']);
  });

  it('emits a bounced record with the remote answer', () => {
    const nobody = only(byRecipient(records, 'nobody@remote.test'));
    expect(nobody.status).toBe('bounced');
    expect(nobody.detail).toContain('550 5.1.1');
  });

  it('reads the submission service and its authenticated client', () => {
    const nobody = only(byRecipient(records, 'nobody@remote.test'));
    expect(nobody.clientAddress).toBe('198.51.100.7');
    expect(nobody.clientHost).toBe('laptop.example.test');
  });

  it('records the non-delivery notice as its own message from the null sender', () => {
    const notice = only(byRecipient(records, 'alice@example.test'));
    expect(notice).toMatchObject({
      queueId: '9E0F1A2B3C',
      queueIds: ['9E0F1A2B3C'],
      sender: '',
      messageId: '20261204090005.9E0F1A2B3C@mta1.example.test',
      clientAddress: null,
      status: 'delivered',
    });
  });

  it('turns recipients still deferred into expired records when qmgr returns the message', () => {
    const ops = byRecipient(records, 'ops@down.test');
    expect(ops.map((r) => r.status)).toEqual(['deferred', 'expired']);
    expect(ops[1]?.timeMs).toBe(Date.UTC(2026, 11, 4, 14, 20, 31));
    expect(ops[1]?.detail).toContain('Connection timed out');
    expect(ops[1]?.sender).toBe('reports@mta1.example.test');
  });
});

describe('PostfixLogParser on a content filter that re-queues under a new id', () => {
  const { records, stats } = parseFixture('content-filter.log');
  const rows = upsertByQueueAndRecipient(records);

  it('emits no record for the hand-off to amavis', () => {
    expect(records.filter((r) => r.queueId === '3A4B5C6D7E')).toEqual([]);
    expect(records.filter((r) => r.relay?.includes(':10032'))).toEqual([]);
  });

  it('gives the final deliveries the queue id chain and the original client (XFORWARD)', () => {
    for (const recipient of ['alice@example.test', 'bob@example.test']) {
      expect(only(byRecipient(rows, recipient))).toMatchObject({
        queueId: '8F9A0B1C2D',
        queueIds: ['3A4B5C6D7E', '8F9A0B1C2D'],
        messageId: 'invoice-8841@phish.test',
        clientAddress: '203.0.113.66',
        clientHost: 'mail.phish.test',
        sizeBytes: 31007,
        status: 'delivered',
      });
    }
  });

  it('links by "queued as" even when the new id delivered before the old one logged it', () => {
    const dave = only(byRecipient(rows, 'dave@example.test'));
    expect(dave).toMatchObject({
      queueId: '0A1B2C3D4E',
      queueIds: ['6B7C8D9E0F', '0A1B2C3D4E'],
      clientAddress: '198.51.100.20',
      clientHost: 'relay.partner.test',
    });
  });

  it('ignores amavis and reinjection chatter', () => {
    expect(stats.unparsed).toBe(0);
    expect(stats.deliveryLines).toBe(6);
  });
});

describe('PostfixLogParser on a content filter on another host', () => {
  // remote-filter.log; the hand-off shapes as in content-filter.log (smtpd.c, log_adhoc.c).
  const { records } = parseFixture('remote-filter.log');
  const rows = upsertByQueueAndRecipient(records);

  it('counts the hand-off as a hop when the filter host submitted the new queue', () => {
    expect(records.filter((r) => r.queueId === '1C2D3E4F5A')).toEqual([]);
    for (const recipient of ['erin@example.test', 'frank@example.test']) {
      expect(only(byRecipient(rows, recipient))).toMatchObject({
        queueId: '2D3E4F5A6B',
        queueIds: ['1C2D3E4F5A', '2D3E4F5A6B'],
        clientAddress: '203.0.113.77',
        clientHost: 'mail.phish.test',
        relay: 'mailbox.example.test[192.0.2.10]:7025',
        status: 'delivered',
      });
    }
  });

  it('counts the hand-off as a hop when the filter forwarded the old queue id (XFORWARD)', () => {
    expect(records.filter((r) => r.queueId === '3E4F5A6B7C')).toEqual([]);
    expect(only(byRecipient(rows, 'gina@example.test'))).toMatchObject({
      queueIds: ['3E4F5A6B7C', '4F5A6B7C8D'],
      clientAddress: '198.51.100.20',
    });
  });

  it('keeps a relay to another MTA of the same log as a delivery', () => {
    expect(only(byRecipient(rows, 'ivy@branch.example.test'))).toMatchObject({
      queueIds: ['5A6B7C8D9E'],
      relay: 'mta2.example.test[192.0.2.31]:25',
      status: 'delivered',
    });
  });
});

describe('PostfixLogParser on the discard(8) delivery agent', () => {
  const { records } = parseFixture('discard.log');

  it('stores what postfix/discard threw away as filtered, not delivered', () => {
    expect(records.map((r) => [r.recipient, r.originalRecipient, r.status])).toEqual([
      ['rita@example.test', null, 'filtered'],
      ['sam@example.test', 'all@example.test', 'filtered'],
    ]);
    expect(records[0]).toMatchObject({
      messageId: 'junk-77@spam.test',
      clientAddress: '203.0.113.90',
      relay: 'none',
      dsn: '2.0.0',
      detail: 'discarded',
    });
  });
});

describe('PostfixLogParser on IPv6 clients', () => {
  it('keeps a client address in its RFC 5952 form, without an ipv6: tag', () => {
    const parser = new PostfixLogParser({ now: () => DEC_4_2026_EVENING_UTC });
    const lines = [
      'Dec  4 12:20:00 mta1 postfix/smtpd[7001]: D1D2D3D4D5: client=mail.v6.test[2001:DB8:0::25]',
      'Dec  4 12:20:00 mta1 postfix/smtpd[7002]: E1E2E3E4E5: client=localhost[127.0.0.1], orig_client=mail.v6.test[IPv6:2001:db8:0:0::26]',
      'Dec  4 12:20:01 mta1 postfix/lmtp[7003]: D1D2D3D4D5: to=<tom@example.test>, relay=m[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 OK)',
      'Dec  4 12:20:01 mta1 postfix/lmtp[7003]: E1E2E3E4E5: to=<uma@example.test>, relay=m[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 OK)',
    ];
    const records = lines.flatMap((line) => parser.push(line));
    expect(records.map((r) => [r.recipient, r.clientAddress])).toEqual([
      ['tom@example.test', '2001:db8::25'],
      ['uma@example.test', '2001:db8::26'],
    ]);
  });
});

describe('PostfixLogParser on encoded and folded headers', () => {
  const { records } = parseFixture('encoded-headers.log');

  it('stores an RFC 2047 encoded Message-ID raw and decoded', () => {
    const frank = only(byRecipient(records, 'frank@example.test'));
    expect(frank.messageIdRaw).toBe(
      '=?utf-8?Q?=3Cabc-123=40r=C3=A9seau?= =?utf-8?Q?.example.test=3E?=',
    );
    expect(frank.messageId).toBe('abc-123@réseau.example.test');
  });

  it('unfolds and decodes a subject whose fold Postfix logged as "?"', () => {
    const frank = only(byRecipient(records, 'frank@example.test'));
    expect(frank.subjectRaw).toBe('=?UTF-8?Q?Gr=C3?=? =?UTF-8?Q?=BC=C3=9Fe_aus_K=C3=B6ln?=');
    expect(frank.subject).toBe('Grüße aus Köln');
  });

  it('unfolds a tab-folded Latin-1 subject', () => {
    const records3 = records.filter((r) => r.queueId === '3D4E5F6A7B');
    expect(only(records3).subject).toBe('Rechnung für März');
  });

  it('keeps a plain subject with "?" and " from " intact', () => {
    const grace = records.find((r) => r.queueId === '2C3D4E5F6A');
    expect(grace?.subject).toBe('Are you free? Lunch from Monday');
    expect(grace?.subjectRaw).toBe('Are you free? Lunch from Monday');
  });

  it('keeps a subject and Message-ID whose encoded word is no base64 as logged', () => {
    const parser = new PostfixLogParser({ now: () => DEC_4_2026_EVENING_UTC });
    const lines = [
      'Dec  4 12:30:00 mta1 postfix/cleanup[7102]: F1F2F3F4F5: message-id=<=?utf-8?B?!!!notbase64?=@bad.test>',
      'Dec  4 12:30:00 mta1 postfix/cleanup[7102]: F1F2F3F4F5: info: header Subject: =?utf-8?B?!!!notbase64?= from mail.bad.test[203.0.113.5]; from=<a@bad.test> to=<vic@example.test> proto=ESMTP helo=<mail.bad.test>',
      'Dec  4 12:30:01 mta1 postfix/lmtp[7103]: F1F2F3F4F5: to=<vic@example.test>, relay=m[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 OK)',
    ];
    const [vic] = lines.flatMap((line) => parser.push(line));
    expect(vic).toMatchObject({
      subject: '=?utf-8?B?!!!notbase64?=',
      messageId: '=?utf-8?B?!!!notbase64?=@bad.test',
    });
  });

  it('keeps odd characters of a logged Message-ID', () => {
    const grace = records.find((r) => r.queueId === '2C3D4E5F6A');
    expect(grace?.messageId).toBe(`a$b!c&d'e=f"g@weird.test`);
  });
});

describe('PostfixLogParser on lines that are not deliveries', () => {
  const { records, stats } = parseFixture('noise.log');

  it('counts the "Postfix is running" notice and non-syslog text as unparsed', () => {
    expect(stats.unparsed).toBe(3);
    expect(stats.unparsedSample).toEqual([
      'Dec  4 08:00:00 mta1 postfix[999]: Postfix is running with backwards-compatible default settings',
      'Dec  4 08:00:00 mta1 postfix[999]: See http://www.postfix.org/COMPATIBILITY_README.html for details',
      'this line is not syslog at all',
    ]);
  });

  it('ignores "message repeated 2 times" without duplicating the delivery', () => {
    expect(stats.repeatedIgnored).toBe(1);
    expect(byRecipient(records, 'henry@example.test')).toHaveLength(1);
  });

  it('does not take resent-message-id for the Message-ID', () => {
    expect(only(byRecipient(records, 'henry@example.test')).messageId).toBe('twice@sender.test');
  });

  it('emits nothing for an address verification probe', () => {
    expect(byRecipient(records, 'probe@remote.test')).toEqual([]);
    expect(records).toHaveLength(1);
  });

  it('cuts a long unreadable line in the sample to 500 characters and says how long it was', () => {
    const parser = new PostfixLogParser();
    const junk = 'x'.repeat(3 * 1024 * 1024);
    parser.push(junk);
    parser.push('y'.repeat(500));
    const [cut, whole] = parser.stats.unparsedSample;
    expect(cut).toHaveLength(500);
    const mark = '… (3145728 characters)';
    expect(cut).toBe('x'.repeat(500 - mark.length) + mark);
    expect(whole).toBe('y'.repeat(500));
  });

  it('never cuts a sampled line inside a character outside the BMP', () => {
    const parser = new PostfixLogParser();
    const line = `a${'\u{1F600}'.repeat(300)}`;
    parser.push(line);
    const [cut] = parser.stats.unparsedSample;
    expect(cut).toBe(`a${'\u{1F600}'.repeat(240)}… (601 characters)`);
  });

  it('keeps the unparsed sample bounded', () => {
    const parser = new PostfixLogParser({ unparsedSampleSize: 2 });
    for (let i = 0; i < 50; i++) parser.push(`garbage ${i}`);
    expect(parser.stats.unparsed).toBe(50);
    expect(parser.stats.unparsedSample).toEqual(['garbage 0', 'garbage 1']);
  });
});

describe('PostfixLogParser on messages without a Message-ID', () => {
  const { records } = parseFixture('no-message-id.log');

  it('still emits one record per recipient with messageId null', () => {
    const first = records.filter((r) => r.queueId === '7A8B9C0D1E');
    expect(first.map((r) => r.recipient)).toEqual(['laura@example.test', 'mike@example.test']);
    expect(first.map((r) => [r.messageId, r.messageIdRaw])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it('keeps the "<>" Postfix logs for a missing header raw, with no id', () => {
    const nina = only(byRecipient(records, 'nina@example.test'));
    expect(nina.messageId).toBeNull();
    expect(nina.messageIdRaw).toBe('<>');
  });
});

describe('PostfixLogParser timestamps', () => {
  it('reads classic and RFC 3339 lines of one message, with long queue ids', () => {
    const { records } = parseFixture('mixed-timestamps.log', { timeZone: 'Europe/Berlin' });
    const ivan = only(records);
    expect(ivan.queueIds).toEqual(['4dQk1r0nV3z9Kx7', '4dQk1s2Wb4z9Lm8']);
    expect(ivan.messageId).toBe('long-ids@sender.test');
    expect(ivan.clientAddress).toBe('203.0.113.25');
    expect(ivan.timeMs).toBe(Date.UTC(2026, 11, 4, 14, 56, 33));
  });

  it('puts December lines read on New Year in the old year, in a non-UTC zone', () => {
    // 00:30 on 1 January 2027 in Berlin is 23:30 UTC on 31 December 2026.
    const now = () => Date.UTC(2026, 11, 31, 23, 30);
    const { records } = parseFixture('new-year.log', { timeZone: 'Europe/Berlin', now });
    expect(records.map((r) => [r.recipient, new Date(r.timeMs).toISOString()])).toEqual([
      ['judy@example.test', '2026-12-31T22:59:59.000Z'],
      ['karl@example.test', '2026-12-31T23:00:01.000Z'],
    ]);
  });
});

describe('PostfixLogParser memory bound', () => {
  it('evicts the oldest open queue entries beyond the cap and counts them', () => {
    const parser = new PostfixLogParser({ maxOpenQueues: 3, now: () => Date.UTC(2026, 11, 5) });
    for (let i = 0; i < 10; i++) {
      parser.push(
        `Dec  4 10:00:00 mta1 postfix/smtpd[1]: AAAAAA00${i}0: client=c.test[192.0.2.${i}]`,
      );
    }
    expect(parser.stats.evicted).toBe(7);

    const late = parser.push(
      'Dec  4 10:00:01 mta1 postfix/lmtp[2]: AAAAAA0000: to=<x@example.test>, relay=m[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 OK)',
    );
    expect(only(late).clientAddress).toBeNull();
    const kept = parser.push(
      'Dec  4 10:00:01 mta1 postfix/lmtp[2]: AAAAAA0090: to=<y@example.test>, relay=m[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 OK)',
    );
    expect(only(kept).clientAddress).toBe('192.0.2.9');
  });

  it('evicts the oldest 1% in one go once the cap is passed, keeping the newest', () => {
    const parser = new PostfixLogParser({ maxOpenQueues: 1000, now: () => Date.UTC(2026, 11, 5) });
    const queueId = (i: number) => `B${String(i).padStart(9, '0')}`;
    for (let i = 0; i <= 1000; i++) {
      parser.push(`Dec  4 10:00:00 mta1 postfix/smtpd[1]: ${queueId(i)}: client=c.test[192.0.2.1]`);
    }
    expect(parser.stats.evicted).toBe(10);

    const delivery = (i: number) =>
      `Dec  4 10:00:01 mta1 postfix/lmtp[2]: ${queueId(i)}: to=<x@example.test>, relay=m[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 OK)`;
    expect(only(parser.push(delivery(9))).clientAddress).toBeNull();
    expect(only(parser.push(delivery(10))).clientAddress).toBe('192.0.2.1');
  });

  it('drops a queue entry on "removed", so a reused id starts clean', () => {
    const parser = new PostfixLogParser({ now: () => Date.UTC(2026, 11, 5) });
    parser.push('Dec  4 10:00:00 mta1 postfix/smtpd[1]: ABCDEF1234: client=c.test[192.0.2.1]');
    parser.push('Dec  4 10:00:01 mta1 postfix/qmgr[1]: ABCDEF1234: removed');
    const records = parser.push(
      'Dec  4 11:00:00 mta1 postfix/lmtp[2]: ABCDEF1234: to=<x@example.test>, relay=m[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 OK)',
    );
    expect(only(records).clientAddress).toBeNull();
  });
});

describe('PostfixLogParser filter-hop races', () => {
  const lines = [
    'Dec  4 16:01:10 mta1 postfix/smtpd[1]: 6B7C8D9E0F: client=relay.partner.test[198.51.100.20]',
    'Dec  4 16:01:10 mta1 postfix/cleanup[2]: 6B7C8D9E0F: message-id=<race@partner.test>',
    'Dec  4 16:01:11 mta1 postfix/amavisd/smtpd[3]: 0A1B2C3D4E: client=localhost[127.0.0.1]',
    'Dec  4 16:01:11 mta1 postfix/lmtp[4]: 0A1B2C3D4E: to=<dave@example.test>, relay=mailbox.example.test[192.0.2.10]:7025, delay=0.2, delays=0/0/0.1/0.1, dsn=2.1.5, status=sent (250 2.1.5 Delivery OK)',
    'Dec  4 16:01:11 mta1 postfix/qmgr[5]: 0A1B2C3D4E: removed',
    'Dec  4 16:01:12 mta1 postfix/smtp[6]: 6B7C8D9E0F: to=<dave@example.test>, relay=127.0.0.1[127.0.0.1]:10030, delay=1.1, delays=0.1/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 0A1B2C3D4E)',
  ];

  it('re-emits the chained record even when the new id was already removed', () => {
    const parser = new PostfixLogParser({ now: () => Date.UTC(2026, 11, 5) });
    const records = lines.flatMap((line) => parser.push(line));
    expect(records.map((r) => [r.queueIds, r.clientAddress, r.messageId])).toEqual([
      [['0A1B2C3D4E'], '127.0.0.1', null],
      [['6B7C8D9E0F', '0A1B2C3D4E'], '198.51.100.20', 'race@partner.test'],
    ]);
    expect(records[1]?.timeMs).toBe(records[0]?.timeMs);
  });

  it('does not link a hand-off to a queue id that is already part of its own chain', () => {
    const parser = new PostfixLogParser({ now: () => Date.UTC(2026, 11, 5) });
    parser.push(lines[0] as string);
    const loop = parser.push(
      'Dec  4 16:01:12 mta1 postfix/smtp[6]: 6B7C8D9E0F: to=<dave@example.test>, relay=127.0.0.1[127.0.0.1]:10030, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 6B7C8D9E0F)',
    );
    expect(loop).toEqual([]);
    const delivered = parser.push(
      'Dec  4 16:01:13 mta1 postfix/lmtp[4]: 6B7C8D9E0F: to=<dave@example.test>, relay=m[192.0.2.10]:7025, delay=1, delays=0/0/0/1, dsn=2.1.5, status=sent (250 2.1.5 OK)',
    );
    expect(only(delivered).queueIds).toEqual(['6B7C8D9E0F']);
  });
});
