import { InputError } from '../errors/index.js';
import { decodeEncodedWords } from './encoded-words.js';

const LABEL = /^message-id\s*:/i;

/**
 * Why an id was refused, or null when it is fine. Whitespace and commas
 * outside a quoted local part mean a second id; angle brackets left after
 * the one stripped pair mean the same.
 */
function findProblem(id: string): string | null {
  if (id.length === 0) return 'is empty';

  let inQuote = false;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return 'contains a control character';
    if (code === 0x22) inQuote = !inQuote;
    else if (code === 0x3c || code === 0x3e) return 'holds more than one id';
    else if (!inQuote && (code === 0x20 || code === 0x2c)) return 'holds more than one id';
  }
  return null;
}

function stripLabelAndBrackets(input: string): string {
  // As cleanup logs an RFC 2047 encoded header: decoded, it is one id again.
  let id = decodeEncodedWords(input).trim();
  if (LABEL.test(id)) id = id.slice(id.indexOf(':') + 1).trim();
  if (id.length >= 2 && id.startsWith('<') && id.endsWith('>')) id = id.slice(1, -1).trim();
  return id;
}

/**
 * Turns a Message-ID as a person or a log wrote it into the bare id, without
 * angle brackets: `' Message-ID: <AbC-1.2@mail.example.test>\r\n'` →
 * `'AbC-1.2@mail.example.test'`. An RFC 2047 encoded value, as Postfix logs
 * it, is decoded first. Every other character is kept exactly.
 *
 * @throws InputError `TRACE_BAD_MESSAGE_ID` (field `messageId`) for an empty
 *   id, two ids in one field, or a control character.
 */
export function normaliseMessageId(input: string): string {
  const id = stripLabelAndBrackets(input);
  const problem = findProblem(id);
  if (problem !== null) {
    throw new InputError('TRACE_BAD_MESSAGE_ID', 'messageId', `Message-ID ${problem}`);
  }
  return id;
}

/** Like {@link normaliseMessageId}, but null instead of an error (for log values). */
export function tryNormaliseMessageId(input: string): string | null {
  const id = stripLabelAndBrackets(input);
  return findProblem(id) === null ? id : null;
}
