/**
 * Control characters (C0, DEL, C1) and the Unicode marks that reorder or
 * break lines (bidi overrides and isolates, line and paragraph separators).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/g;

/**
 * Text from logs and mail (subjects, senders, unparsed lines) made safe for a
 * terminal: a Subject carrying escape sequences must not recolour, move the
 * cursor of or retitle the analyst's terminal, nor reorder what it shows.
 * Each unsafe character is written as its escape (`\x1b`, `\u202e`).
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
