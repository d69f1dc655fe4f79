import { decodeEncodedWords } from './encoded-words.js';

/**
 * The end of the logged header: cleanup_act_log() in Postfix's
 * src/cleanup/cleanup_message.c writes `QUEUEID: ACTION: header TEXT from ORIGIN;`
 * then ` from=<..>`, ` to=<..>`, ` proto=..`, ` helo=<..>`, `: optional text`.
 * ORIGIN is `host[addr]`, `local` or `unknown`, never with spaces.
 */
const ORIGIN_TAIL = / from [^ ;]+;(?: from=<| to=<| proto=| helo=<|: |$)/;

/** A header a header_checks or milter rule logged: which one, and its value as logged. */
export interface LoggedHeader {
  name: 'subject' | 'from';
  value: string;
}

const LABELS: readonly [string, LoggedHeader['name']][] = [
  ['subject:', 'subject'],
  ['from:', 'from'],
];

/**
 * The Subject or From header of a header_checks/milter log line body,
 * exactly as logged (Postfix cuts the header at 200 characters, `%.200s`),
 * or null when the body is no such line. `body` is what follows
 * `QUEUEID: `, e.g. `info: header Subject: Hello from c.example.test[192.0.2.7]; from=<a@b> ...`.
 */
export function readLoggedHeader(body: string): LoggedHeader | null {
  const colon = body.indexOf(': header ');
  if (colon <= 0 || colon > 12) return null;
  const headerStart = colon + 9;
  const label = LABELS.find(
    ([text]) => body.slice(headerStart, headerStart + text.length).toLowerCase() === text,
  );
  if (label === undefined) return null;

  const rest = body.slice(headerStart + label[0].length);
  const tail = ORIGIN_TAIL.exec(rest);
  const value = tail === null ? rest : rest.slice(0, tail.index);
  return { name: label[1], value: value.startsWith(' ') ? value.slice(1) : value };
}

/** The Subject value of such a line, or null; see `readLoggedHeader`. */
export function readLoggedSubject(body: string): string | null {
  const header = readLoggedHeader(body);
  return header?.name === 'subject' ? header.value : null;
}

/**
 * Postfix masks non-printable characters with `?` before logging (msg_text()
 * in src/util/msg_output.c), so the line break of a folded header becomes `?`
 * and a folding tab another `?`. Between two encoded words that mask is
 * certain (`?=?=?` never occurs otherwise) and is unfolded to one space;
 * elsewhere a `?` may be the sender's own, so it is left alone.
 */
function unmaskEncodedWordFolds(value: string): string {
  return value.replace(/\?=\?[ \t?]*(?==\?)/g, '?= ');
}

/** The readable subject: folds between encoded words undone, RFC 2047 words decoded. */
export function decodeLoggedSubject(raw: string): string {
  if (!raw.includes('=?')) return raw;
  return decodeEncodedWords(unmaskEncodedWordFolds(raw));
}
