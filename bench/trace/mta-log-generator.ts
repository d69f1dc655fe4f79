import { closeSync, openSync, writeSync } from 'node:fs';
import { nameOf, Prng, StampCache, SUBJECT_WORDS, TLDS } from './log-vocabulary.js';

export interface MtaLogPlan {
  /** Deliveries (message × recipient) to write; the log ends at the first message past it. */
  deliveries: number;
  /** Time of the last message, ms since epoch. */
  endMs: number;
  spanDays: number;
  mailboxes: number;
  seed: number;
}

/** What was written, and values to search for afterwards. */
export interface GeneratedMtaLog {
  lines: number;
  bytes: number;
  messages: number;
  deliveries: number;
  sampleMessageIds: string[];
  sampleRecipients: string[];
  sampleSenders: string[];
}

interface Message {
  timeMs: number;
  queueId: string;
  client: string;
  messageId: string | null;
  sender: string;
  subject: string;
  sizeBytes: number;
  recipients: string[];
}

const LMTP_RELAY = 'mailbox.example.test[192.0.2.10]:7025';
const LMTP_OK = 'dsn=2.1.5, status=sent (250 2.1.5 Delivery OK)';
const FLUSH_BYTES = 4 << 20;
const EXTERNAL_SENDERS = 300_000;

/**
 * Writes a Zimbra-style MTA log: inbound mail over LMTP (some of it through
 * amavis, which re-queues it under a second id), outbound mail, deferrals
 * retried later, unknown users, messages without Message-ID, encoded
 * subjects, and the connection/TLS/repeat chatter a real log carries.
 * Streamed in 4 MB writes; nothing but a handful of retries is held.
 */
export class MtaLogGenerator {
  readonly #plan: MtaLogPlan;
  readonly #prng: Prng;
  readonly #stamps = new StampCache();
  readonly #fd: number;
  readonly #retries: { timeMs: number; lines: (() => string)[] }[] = [];
  readonly #out: GeneratedMtaLog = {
    lines: 0,
    bytes: 0,
    messages: 0,
    deliveries: 0,
    sampleMessageIds: [],
    sampleRecipients: [],
    sampleSenders: [],
  };
  #chunk = '';
  #queueSeq = 0;

  constructor(path: string, plan: MtaLogPlan) {
    this.#plan = plan;
    this.#prng = new Prng(plan.seed);
    this.#fd = openSync(path, 'w');
  }

  /** Writes the whole log and closes the file. */
  run(): GeneratedMtaLog {
    const { deliveries, endMs, spanDays } = this.#plan;
    const spanMs = spanDays * 86_400_000;
    let timeMs = endMs - spanMs;
    // About 3.3 recipients per message on average (see #recipientCount).
    const gapMs = spanMs / (deliveries / 3.3);

    while (this.#out.deliveries < deliveries) {
      timeMs += 1 + this.#prng.int(Math.max(1, Math.round(2 * gapMs)));
      this.#runRetries(timeMs);
      this.#writeMessage(this.#createMessage(timeMs));
    }
    this.#runRetries(Number.POSITIVE_INFINITY);
    this.#flush(true);
    closeSync(this.#fd);
    return this.#out;
  }

  #createMessage(timeMs: number): Message {
    const p = this.#prng;
    const senderIndex = p.skewed(EXTERNAL_SENDERS);
    const domain = `${nameOf(senderIndex % 40_000)}.${TLDS[senderIndex % TLDS.length]}`;
    const sender = `${nameOf(senderIndex)}@${domain}`;
    const seq = this.#out.messages++;
    const messageId =
      p.next() < 0.01 ? null : `${seq.toString(36)}.${timeMs.toString(36)}@${domain}`;
    const recipients = this.#pickRecipients(this.#recipientCount());

    if (seq % 997 === 0 && messageId !== null) this.#out.sampleMessageIds.push(messageId);
    if (seq % 991 === 0) this.#out.sampleRecipients.push(recipients[0] as string);
    if (seq % 983 === 0) this.#out.sampleSenders.push(sender);
    const ip = `203.0.${senderIndex % 250}.${1 + (senderIndex % 253)}`;
    return {
      timeMs,
      queueId: this.#nextQueueId(timeMs),
      client: `mail.${domain}[${ip}]`,
      messageId,
      sender,
      subject: this.#subject(recipients.length, seq),
      sizeBytes: 2_000 + p.int(200_000),
      recipients,
    };
  }

  /** 70% one recipient, 20% 2-4, 9% 5-15, 1% 20-200: a campaign now and then. */
  #recipientCount(): number {
    const r = this.#prng.next();
    if (r < 0.7) return 1;
    if (r < 0.9) return this.#prng.between(2, 4);
    if (r < 0.99) return this.#prng.between(5, 15);
    return this.#prng.between(20, 200);
  }

  #pickRecipients(count: number): string[] {
    const picked = new Set<string>();
    while (picked.size < count) {
      picked.add(`user${this.#prng.int(this.#plan.mailboxes)}@example.test`);
    }
    return [...picked];
  }

  /** Mostly distinct subjects (numbers, names), some encoded, campaigns sharing one. */
  #subject(recipients: number, seq: number): string {
    const p = this.#prng;
    // Common words evenly, the long tail of a real vocabulary skewed: most words are rare.
    const words = Array.from({ length: p.between(2, 6) }, () =>
      p.next() < 0.6 ? p.pick(SUBJECT_WORDS) : nameOf(1000 + p.skewed(50_000)),
    );
    if (p.next() < 0.5) words.push(`#${seq % 100_000}`);
    if (recipients < 20 && p.next() < 0.3) words.unshift(p.next() < 0.5 ? 'Re:' : 'Fwd:');
    const text = words.join(' ');
    return p.next() < 0.05 || /[^\x20-\x7e]/.test(text) ? encodeSubject(text) : text;
  }

  #nextQueueId(timeMs: number): string {
    const mixed = Math.imul(++this.#queueSeq, 0x9e3779b1) >>> 0;
    const prefix = ((timeMs >>> 10) & 0xff).toString(16).toUpperCase().padStart(2, '0');
    return prefix + mixed.toString(16).toUpperCase().padStart(8, '0');
  }

  #writeMessage(m: Message): void {
    const r = this.#prng.next();
    if (r < 0.15) this.#writeFiltered(m);
    else if (r < 0.23) this.#writeOutbound(m);
    else this.#writeInbound(m, m.queueId, m.timeMs);
  }

  /** smtpd, cleanup, the logged Subject and qmgr for a message entering under `queueId`. */
  #writeArrival(m: Message, queueId: string, smtpd: string, client: string, ms: number): void {
    const pid = 5000 + this.#prng.int(3000);
    this.#line(ms, smtpd, pid, `connect from ${client}`);
    if (this.#prng.next() < 0.3) {
      this.#line(
        ms,
        smtpd,
        pid,
        `Anonymous TLS connection established from ${client}: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`,
      );
    }
    this.#line(ms + 3, smtpd, pid, `${queueId}: client=${client}`);
    if (m.messageId !== null)
      this.#line(ms + 5, 'cleanup', 4100, `${queueId}: message-id=<${m.messageId}>`);
    this.#line(
      ms + 5,
      'cleanup',
      4100,
      `${queueId}: info: header Subject: ${m.subject} from ${client}; from=<${m.sender}> to=<${m.recipients[0]}> proto=ESMTP helo=<${client.slice(0, client.indexOf('['))}>`,
    );
    this.#line(
      ms + 6,
      'qmgr',
      2000,
      `${queueId}: from=<${m.sender}>, size=${m.sizeBytes}, nrcpt=${m.recipients.length} (queue active)`,
    );
    const rcpt = m.recipients.length;
    this.#line(
      ms + 7,
      smtpd,
      pid,
      `disconnect from ${client} ehlo=1 mail=1 rcpt=${rcpt} data=1 quit=1 commands=${4 + rcpt}`,
    );
    if (this.#prng.next() < 0.005)
      this.#line(ms + 7, smtpd, pid, `message repeated 2 times: [ disconnect from ${client}]`);
  }

  #writeInbound(m: Message, queueId: string, ms: number): void {
    if (queueId === m.queueId) this.#writeArrival(m, queueId, 'smtpd', m.client, ms);
    const deferIndex = this.#prng.next() < 0.01 ? this.#prng.int(m.recipients.length) : -1;
    const at = ms + 40 + this.#prng.int(400);
    for (const [i, rcpt] of m.recipients.entries()) {
      this.#out.deliveries++;
      if (i === deferIndex) {
        this.#line(
          at,
          'lmtp',
          6100,
          `${queueId}: to=<${rcpt}>, relay=${LMTP_RELAY}, delay=0.4, delays=0.1/0/0.1/0.2, dsn=4.2.0, status=deferred (host ${LMTP_RELAY.slice(0, -5)} said: 451 4.2.0 Mailbox temporarily unavailable (in reply to end of DATA command))`,
        );
        continue;
      }
      const unknown = this.#prng.next() < 0.01;
      const status = unknown
        ? `dsn=5.1.1, status=bounced (host ${LMTP_RELAY.slice(0, -5)} said: 550 5.1.1 <${rcpt}>... User unknown (in reply to RCPT TO command))`
        : LMTP_OK;
      this.#line(
        at,
        'lmtp',
        6100,
        `${queueId}: to=<${rcpt}>, relay=${LMTP_RELAY}, delay=0.4, delays=0.1/0/0.1/0.2, ${status}`,
      );
    }
    if (deferIndex === -1) return this.#line(at + 1, 'qmgr', 2000, `${queueId}: removed`);
    this.#scheduleRetry(
      at + 600_000 + this.#prng.int(3_000_000),
      queueId,
      m.recipients[deferIndex] as string,
    );
  }

  #scheduleRetry(timeMs: number, queueId: string, rcpt: string): void {
    this.#retries.push({
      timeMs,
      lines: [
        () =>
          `${queueId}: to=<${rcpt}>, relay=${LMTP_RELAY}, delay=900, delays=899/0/0.1/0.2, ${LMTP_OK}`,
        () => `${queueId}: removed`,
      ],
    });
    this.#retries.sort((a, b) => a.timeMs - b.timeMs);
  }

  #runRetries(untilMs: number): void {
    while (this.#retries.length > 0 && (this.#retries[0]?.timeMs as number) <= untilMs) {
      const retry = this.#retries.shift()!;
      const [delivered, removed] = retry.lines;
      this.#line(retry.timeMs, 'lmtp', 6100, delivered!());
      this.#line(retry.timeMs + 1, 'qmgr', 2000, removed!());
    }
  }

  /** Through amavis: hand-off on 10032, re-queued under a new id on 10030, then LMTP. */
  #writeFiltered(m: Message): void {
    const ms = m.timeMs;
    this.#writeArrival(m, m.queueId, 'smtpd', m.client, ms);
    const newId = this.#nextQueueId(ms);
    const local = 'localhost[127.0.0.1]';
    const pid = 7000 + this.#prng.int(100);
    this.#line(ms + 20, 'amavisd/smtpd', pid, `connect from ${local}`);
    this.#line(
      ms + 21,
      'amavisd/smtpd',
      pid,
      `${newId}: client=${local}, orig_queue_id=${m.queueId}, orig_client=${m.client}`,
    );
    if (m.messageId !== null)
      this.#line(ms + 21, 'cleanup', 4100, `${newId}: message-id=<${m.messageId}>`);
    this.#line(
      ms + 22,
      'qmgr',
      2000,
      `${newId}: from=<${m.sender}>, size=${m.sizeBytes + 900}, nrcpt=${m.recipients.length} (queue active)`,
    );
    this.#line(
      ms + 22,
      'amavisd/smtpd',
      pid,
      `disconnect from ${local} ehlo=1 xforward=1 mail=1 rcpt=${m.recipients.length} data=1 quit=1 commands=7`,
    );
    this.#raw(
      ms + 23,
      'amavis[4000]',
      `(04000-01) Passed CLEAN {RelayedInbound}, <${m.sender}> -> <${m.recipients[0]}>, Queue-ID: ${m.queueId}, queued_as: ${newId}, 812 ms`,
    );
    for (const rcpt of m.recipients) {
      this.#line(
        ms + 24,
        'smtp',
        6200,
        `${m.queueId}: to=<${rcpt}>, relay=127.0.0.1[127.0.0.1]:10032, delay=1.2, delays=0.4/0/0/0.8, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10030): 250 2.0.0 Ok: queued as ${newId})`,
      );
    }
    this.#line(ms + 24, 'qmgr', 2000, `${m.queueId}: removed`);
    this.#writeInbound(m, newId, ms + 25);
  }

  /** A user of the site writing out: relayed to the recipients' MX. */
  #writeOutbound(m: Message): void {
    const user = m.recipients[0] as string;
    const external = m.recipients.map(
      (_, i) => `${nameOf(this.#prng.int(50_000) + i)}@${m.client.slice(5, m.client.indexOf('['))}`,
    );
    const out: Message = { ...m, sender: user, recipients: external };
    this.#writeArrival(out, m.queueId, 'submission/smtpd', 'unknown[192.0.2.10]', m.timeMs);
    const mx = `mx.${external[0]!.split('@')[1]}[198.51.100.${1 + this.#prng.int(250)}]:25`;
    for (const rcpt of external) {
      this.#out.deliveries++;
      this.#line(
        m.timeMs + 300,
        'smtp',
        6300,
        `${m.queueId}: to=<${rcpt}>, relay=${mx}, delay=0.9, delays=0.1/0/0.3/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XyZ${this.#queueSeq})`,
      );
    }
    this.#line(m.timeMs + 301, 'qmgr', 2000, `${m.queueId}: removed`);
  }

  #line(ms: number, daemon: string, pid: number, text: string): void {
    this.#raw(ms, `postfix/${daemon}[${pid}]`, text);
  }

  #raw(ms: number, tag: string, text: string): void {
    this.#chunk += `${this.#stamps.format(ms)} mail ${tag}: ${text}\n`;
    this.#out.lines++;
    if (this.#chunk.length >= FLUSH_BYTES) this.#flush(false);
  }

  #flush(final: boolean): void {
    if (this.#chunk.length === 0 && !final) return;
    this.#out.bytes += writeSync(this.#fd, this.#chunk);
    this.#chunk = '';
  }
}

/** RFC 2047 Q-encoding in two words, split inside a character, folded the way Postfix logs it. */
function encodeSubject(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let encoded = '';
  for (const byte of bytes) {
    const plain =
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a);
    encoded += plain
      ? String.fromCharCode(byte)
      : byte === 0x20
        ? '_'
        : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  const cut = encoded.lastIndexOf('=', Math.floor(encoded.length / 2)) + 1 || 1;
  return `=?UTF-8?Q?${encoded.slice(0, cut + 2)}?=? =?UTF-8?Q?${encoded.slice(cut + 2)}?=`;
}
