function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isLowerWord(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 97 || code > 122) return false;
  }
  return true;
}

/**
 * Length of the Postfix queue id that starts `text` and is followed by `: `,
 * or 0. Accepts short ids (hex, `4A2B3C4D5E`) and long ids (`4XyZ12AbCdz`)
 * alike: six or more ASCII letters and digits. `NOQUEUE` and lower-case words
 * (`warning:`, `statistics:`) are not queue ids; real ids are upper-case hex
 * or mixed case.
 */
export function readQueueIdLength(text: string): number {
  let end = 0;
  while (end < text.length && isAlnum(text.charCodeAt(end))) end++;
  if (end < 6 || text.charCodeAt(end) !== 58 || text.charCodeAt(end + 1) !== 32) return 0;

  const token = text.slice(0, end);
  return token === 'NOQUEUE' || isLowerWord(token) ? 0 : end;
}

/** Whether `token` as a whole looks like a queue id (used for `queued as ID`). */
export function isQueueId(token: string): boolean {
  if (token.length < 6 || token === 'NOQUEUE') return false;
  for (let i = 0; i < token.length; i++) if (!isAlnum(token.charCodeAt(i))) return false;
  return true;
}
