import libmime from 'libmime';

/** One encoded word, `=?charset?B|Q?payload?=`, as libmime finds it. */
const ENCODED_WORD = /=\?[^?]+\?([BbQq])\?([^?]*)\?=/g;

/** Base64 letters, then at most two `=` of padding. */
const BASE64 = /^[A-Za-z0-9+/]*(={0,2})$/;

/** Q: every `=` starts a two-digit hex escape. */
const Q_ESCAPES = /=(?![0-9A-Fa-f]{2})/;

/**
 * Whether an encoded word's payload is one its encoding can carry: base64
 * letters whose count leaves whole bytes (a remainder of one letter never
 * does; padding only on a full group of four), or Q text whose every `=` is
 * followed by two hex digits.
 */
function isValidPayload(encoding: string, payload: string): boolean {
  if (encoding === 'Q' || encoding === 'q') return !Q_ESCAPES.test(payload);
  const base64 = BASE64.exec(payload);
  if (base64 === null) return false;
  const padding = base64[1]!.length;
  if (padding > 0) return payload.length % 4 === 0;
  return payload.length % 4 !== 1;
}

function decodeValidWords(text: string): string {
  if (!text.includes('=?')) return text;
  try {
    return libmime.decodeWords(text);
  } catch {
    return text;
  }
}

/**
 * Decodes RFC 2047 encoded words (`=?UTF-8?Q?...?=`). Adjacent encoded words
 * are joined before decoding, so a character split across two of them comes
 * out whole. Text without encoded words is returned as it is; an encoded
 * word whose payload is not valid base64 or Q (`=?utf-8?B?!!!?=`) is kept
 * as its raw text, as is text libmime cannot decode, rather than decoded to
 * garbage or dropped.
 */
export function decodeEncodedWords(text: string): string {
  if (!text.includes('=?')) return text;
  let decoded = '';
  let from = 0;
  for (const word of text.matchAll(ENCODED_WORD)) {
    if (isValidPayload(word[1]!, word[2]!)) continue;
    // The words around a bad one are decoded on their own; it stays as written.
    decoded += decodeValidWords(text.slice(from, word.index)) + word[0];
    from = word.index + word[0].length;
  }
  return from === 0 ? decodeValidWords(text) : decoded + decodeValidWords(text.slice(from));
}
