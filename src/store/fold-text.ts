const MARKS = /\p{M}/gu;

/**
 * Text as case- and accent-insensitive search compares it: compatibility
 * decomposition, combining marks dropped, lower case: `'Grüße aus KÖLN'` →
 * `'gruße aus koln'`. ß has no decomposition and stays, as in SQLite's
 * unicode61 tokenizer with `remove_diacritics 2`, so word and substring
 * search agree on what matches.
 */
export function foldText(text: string): string {
  // ASCII needs no decomposition; most subjects are ASCII and this runs per row.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}
