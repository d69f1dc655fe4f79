import { createWriteStream, type WriteStream } from 'node:fs';
import type { Prng } from '../prng.js';
import { PostfixPids } from './postfix-ids.js';
import { formatBsdTime, formatRfc3339Time, type SyslogTimestamps } from './syslog-time.js';

export interface MtaLogOptions {
  /** File to append to; no file means lines are formatted but not written. */
  path: string | undefined;
  timestamps: SyslogTimestamps;
  /** Syslog host field, e.g. `mail`. */
  syslogHost: string;
  /** The mailbox server LMTP relays to (text only). */
  relayHost: string;
  relayIp: string;
  /**
   * Also log each message's Subject the way a header_checks rule
   * `/^Subject:/ INFO` makes cleanup log it. Off in a stock Zimbra.
   */
  logSubjects: boolean;
}

export interface RecipientOutcome {
  address: string;
  /** The address the sender used when this one came out of a list (Postfix `orig_to`). */
  origTo?: string | undefined;
  delivered: boolean;
}

export interface DeliveryLogEntry {
  queueId: string;
  timeMs: number;
  clientName: string;
  clientIp: string;
  /** Message-ID header as written, or null (logged as `<>`). */
  messageIdHeader: string | null;
  /** Subject header as written (unfolded, not decoded), or null. */
  subjectHeader: string | null;
  envelopeFrom: string;
  sizeBytes: number;
  /** RCPT TO commands the client sent (before list expansion); default `recipients.length`. */
  envelopeRecipients?: number;
  /** Final recipients, after list expansion. */
  recipients: RecipientOutcome[];
}

/** lmtp_destination_recipient_limit default: recipients per LMTP transaction. */
const LMTP_RECIPIENT_LIMIT = 50;

/** Postfix prints delays with at most two decimals and no trailing zeros. */
function formatDelay(seconds: number): string {
  return String(Number(seconds.toFixed(2)));
}

interface Line {
  ms: number;
  daemon: string;
  pid: number;
  text: string;
}

/**
 * Writes the lines a Zimbra MTA's Postfix logs to /var/log/zimbra.log for one delivery:
 * smtpd connect/client=, cleanup message-id=, qmgr from=, one lmtp line per recipient,
 * qmgr removed, smtpd disconnect.
 */
export class MtaLog {
  readonly #options: MtaLogOptions;
  readonly #prng: Prng;
  readonly #pids: PostfixPids;
  readonly #stream: WriteStream | undefined;
  #micros = 0;

  constructor(options: MtaLogOptions, prng: Prng) {
    this.#options = options;
    this.#prng = prng;
    this.#pids = new PostfixPids(prng);
    this.#stream =
      options.path === undefined ? undefined : createWriteStream(options.path, { flags: 'a' });
  }

  /** Formats and writes the lines of one delivery; returns them. */
  writeDelivery(entry: DeliveryLogEntry): string[] {
    const lines = this.#deliveryLines(entry).map((line) => this.#render(line));
    this.#stream?.write(`${lines.join('\n')}\n`);
    return lines;
  }

  /** Resolves once everything written so far has reached the file. */
  async flush(): Promise<void> {
    const stream = this.#stream;
    if (stream === undefined) return;
    await new Promise<void>((resolve, reject) => {
      stream.write('', (err) => (err ? reject(err) : resolve()));
    });
  }

  async close(): Promise<void> {
    const stream = this.#stream;
    if (stream === undefined || stream.closed) return;
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  }

  /**
   * cleanup's header_checks INFO line: `%.200s` of the header with
   * non-printable characters shown as `?` (Postfix src/cleanup/cleanup_message.c,
   * cleanup_act_log; src/util/msg_output.c).
   */
  #subjectText(e: DeliveryLogEntry, client: string): string {
    const shown = `Subject: ${e.subjectHeader}`.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?');
    const to = e.recipients[0]?.address ?? '';
    return `${e.queueId}: info: header ${shown.slice(0, 200)} from ${client}; from=<${e.envelopeFrom}> to=<${to}> proto=ESMTP helo=<${e.clientName}>`;
  }

  #deliveryLines(e: DeliveryLogEntry): Line[] {
    const smtpd = this.#pids.pick('smtpd');
    const client = `${e.clientName}[${e.clientIp}]`;
    const at = (offsetMs: number) => e.timeMs + offsetMs;
    const id = e.queueId;
    const lines: Line[] = [
      { ms: at(0), daemon: 'smtpd', pid: smtpd, text: `connect from ${client}` },
      { ms: at(4), daemon: 'smtpd', pid: smtpd, text: `${id}: client=${client}` },
      {
        ms: at(9),
        daemon: 'cleanup',
        pid: this.#pids.pick('cleanup'),
        text: `${id}: message-id=${e.messageIdHeader ?? '<>'}`,
      },
      {
        ms: at(12),
        daemon: 'qmgr',
        pid: this.#pids.qmgr,
        text: `${id}: from=<${e.envelopeFrom}>, size=${e.sizeBytes}, nrcpt=${e.recipients.length} (queue active)`,
      },
      { ms: at(14), daemon: 'smtpd', pid: smtpd, text: this.#disconnectText(client, e) },
    ];
    if (this.#options.logSubjects && e.subjectHeader !== null) {
      lines.splice(3, 0, {
        ms: at(10),
        daemon: 'cleanup',
        pid: lines[2]!.pid,
        text: this.#subjectText(e, client),
      });
    }
    let doneMs = at(15);
    for (let i = 0; i < e.recipients.length; i += LMTP_RECIPIENT_LIMIT) {
      const batch = e.recipients.slice(i, i + LMTP_RECIPIENT_LIMIT);
      const batchLines = this.#lmtpTransaction(e, batch, doneMs);
      lines.push(...batchLines);
      doneMs = batchLines[0]?.ms ?? doneMs;
    }
    lines.push({ ms: doneMs + 1, daemon: 'qmgr', pid: this.#pids.qmgr, text: `${id}: removed` });
    return lines;
  }

  #disconnectText(client: string, e: DeliveryLogEntry): string {
    const rcpt = e.envelopeRecipients ?? e.recipients.length;
    return `disconnect from ${client} ehlo=1 mail=1 rcpt=${rcpt} data=1 quit=1 commands=${4 + rcpt}`;
  }

  /** One LMTP transaction: every recipient in it gets the same delays and time. */
  #lmtpTransaction(e: DeliveryLogEntry, batch: RecipientOutcome[], startMs: number): Line[] {
    const a = (startMs - e.timeMs) / 1000 + this.#prng.int(9) / 100;
    const b = this.#prng.int(3) / 100;
    const c = 0.01 + this.#prng.int(5) / 100;
    const d = 0.02 + this.#prng.int(40) / 100;
    const total = a + b + c + d;
    const delays = `delay=${formatDelay(total)}, delays=${[a, b, c, d].map(formatDelay).join('/')}`;
    const pid = this.#pids.pick('lmtp');
    const relay = `${this.#options.relayHost}[${this.#options.relayIp}]`;
    return batch.map((rcpt) => {
      const status = rcpt.delivered
        ? 'dsn=2.1.5, status=sent (250 2.1.5 Delivery OK)'
        : `dsn=5.1.1, status=bounced (host ${relay} said: 550 5.1.1 <${rcpt.address}>... User unknown (in reply to RCPT TO command))`;
      const origTo = rcpt.origTo === undefined ? '' : `, orig_to=<${rcpt.origTo}>`;
      const text = `${e.queueId}: to=<${rcpt.address}>${origTo}, relay=${relay}:7025, ${delays}, ${status}`;
      return { ms: e.timeMs + Math.round(total * 1000), daemon: 'lmtp', pid, text };
    });
  }

  #render(line: Line): string {
    this.#micros = (this.#micros + 1 + this.#prng.int(97)) % 1000;
    const stamp =
      this.#options.timestamps === 'rfc3339'
        ? formatRfc3339Time(line.ms, this.#micros)
        : formatBsdTime(line.ms);
    return `${stamp} ${this.#options.syslogHost} postfix/${line.daemon}[${line.pid}]: ${line.text}`;
  }
}
