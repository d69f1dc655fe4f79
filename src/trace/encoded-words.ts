import libmime from 'libmime';

/**
 * Decodes RFC 2047 encoded words (`=?UTF-8?Q?...?=`). Adjacent encoded words
 * are joined before decoding, so a character split across two of them comes
 * out whole. Text without encoded words is returned as it is; text libmime
 * cannot decode is returned undecoded rather than dropped.
 */
export function decodeEncodedWords(text: string): string {
  if (!text.includes('=?')) return text;
  try {
    return libmime.decodeWords(text);
  } catch {
    return text;
  }
}
