import libmime from 'libmime';
import { parseAddressList, type MailAddress } from './address-list.js';

/** What the simulator indexes of one RFC 5322 message (zm-mailbox ParsedMessage). */
export interface ParsedMessage {
  /** Raw text with CRLF line ends. */
  raw: string;
  sizeBytes: number;
  /** Message-ID header as written, brackets included, or null. */
  messageIdHeader: string | null;
  /** Message-ID with one leading `<` and one trailing `>` stripped, or null. */
  messageId: string | null;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  returnPath: string | null;
  subject: string;
  /** Date header as epoch ms, or null when absent or unparseable. */
  sentDate: number | null;
  fragment: string;
  /** Header names (lower-case) to their unfolded raw values, in order. */
  headers: Map<string, string[]>;
}

const FRAGMENT_CHARS = 150;

/** Converts any line ending to CRLF. */
export function toCrlf(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

function splitHeaderBody(raw: string): { head: string; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return { head: raw, body: '' };
  return { head: raw.slice(0, end), body: raw.slice(end + 4) };
}

/** Unfolds and collects header fields; names are lower-cased. */
export function parseHeaderBlock(head: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const unfolded = head.replace(/\r\n(?=[ \t])/g, '');
  for (const line of unfolded.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const list = headers.get(name);
    if (list === undefined) headers.set(name, [value]);
    else list.push(value);
  }
  return headers;
}

/** Strips exactly one leading `<` and one trailing `>` (ParsedMessage indexing, §3.2). */
export function stripBrackets(value: string): string {
  let id = value.trim();
  if (id.startsWith('<')) id = id.slice(1);
  if (id.endsWith('>')) id = id.slice(0, -1);
  return id;
}

function first(headers: Map<string, string[]>, name: string): string | undefined {
  return headers.get(name)?.[0];
}

function parseDate(value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value.replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isNaN(ms) ? null : ms;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r\n/g, '');
  for (let i = 0; i < soft.length; i += 1) {
    const hex = soft[i] === '=' ? /^[0-9A-Fa-f]{2}/.exec(soft.slice(i + 1, i + 3)) : null;
    if (hex !== null) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i] as string, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeTransfer(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    return decodeQuotedPrintable(body);
  }
  return body;
}

/** The first text part's body, following the first boundary of each multipart level. */
function firstTextPart(headers: Map<string, string[]>, body: string, depth = 0): string {
  const type = first(headers, 'content-type') ?? 'text/plain';
  const boundary = /boundary\s*=\s*"?([^";]+)"?/i.exec(type)?.[1];
  if (/^\s*multipart\//i.test(type) && boundary !== undefined && depth < 5) {
    const start = body.indexOf(`--${boundary}`);
    if (start === -1) return '';
    const rest = body.slice(start + boundary.length + 2).replace(/^[ \t]*\r\n/, '');
    const end = rest.indexOf(`\r\n--${boundary}`);
    const part = end === -1 ? rest : rest.slice(0, end);
    const split = splitHeaderBody(part);
    return firstTextPart(parseHeaderBlock(split.head), split.body, depth + 1);
  }
  if (!/^\s*text\//i.test(type)) return '';
  const text = decodeTransfer(body, first(headers, 'content-transfer-encoding'));
  return /^\s*text\/html/i.test(type) ? text.replace(/<[^>]*>/g, ' ') : text;
}

function makeFragment(headers: Map<string, string[]>, body: string): string {
  const text = firstTextPart(headers, body).replace(/\s+/g, ' ').trim();
  return text.length <= FRAGMENT_CHARS ? text : text.slice(0, FRAGMENT_CHARS);
}

/**
 * Parses a message once; copies in many mailboxes share the result.
 * FIXME: the fragment is taken from the first text part only, without charset
 * conversion; non-UTF-8 bodies show replacement characters in `fr`.
 */
export function parseMessage(rawInput: string): ParsedMessage {
  const raw = toCrlf(rawInput);
  const { head, body } = splitHeaderBody(raw);
  const headers = parseHeaderBlock(head);
  const messageIdHeader = first(headers, 'message-id') ?? null;
  const returnPath = parseAddressList(first(headers, 'return-path'))[0]?.address ?? null;

  return {
    raw,
    sizeBytes: Buffer.byteLength(raw, 'utf8'),
    messageIdHeader,
    messageId: messageIdHeader === null ? null : stripBrackets(messageIdHeader),
    from: parseAddressList(first(headers, 'from')),
    to: (headers.get('to') ?? []).flatMap((v) => parseAddressList(v)),
    cc: (headers.get('cc') ?? []).flatMap((v) => parseAddressList(v)),
    replyTo: parseAddressList(first(headers, 'reply-to')),
    returnPath,
    subject: libmime.decodeWords(first(headers, 'subject') ?? ''),
    sentDate: parseDate(first(headers, 'date')),
    fragment: makeFragment(headers, body),
    headers,
  };
}
