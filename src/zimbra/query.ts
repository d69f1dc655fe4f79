import { InputError } from '../errors/index.js';

/**
 * The SearchRequest query that finds every copy of a message by its Message-ID.
 *
 * `id` is the Message-ID WITHOUT its angle brackets: Zimbra indexes the value
 * with one leading `<` and one trailing `>` stripped, as one exact,
 * case-sensitive token (reference §3.2). The value is always double-quoted,
 * because Message-IDs may contain space, `:`, `(`, `{` and other characters the
 * query parser treats specially; inside quotes only `"` needs escaping (`\"`),
 * and every other backslash is literal. `is:anywhere` lifts the default
 * exclusion of Trash and Junk (§3.4).
 *
 * @example messageIdQuery('CAF123abc@mail.evil.example')
 *   // → 'msgid:"CAF123abc@mail.evil.example" is:anywhere'
 * @throws InputError `ZIMBRA_UNSAFE_MESSAGE_ID` (field `messageId`) for an empty id, an id
 *   still in angle brackets, one ending in a backslash (it would escape the closing quote),
 *   or one containing CR, LF or NUL.
 */
export function messageIdQuery(id: string): string {
  if (id === '') refuse('it is empty');
  if (/[\r\n\0]/.test(id)) refuse('it contains a CR, LF or NUL character');
  if (id.startsWith('<') && id.endsWith('>')) {
    refuse('it is still wrapped in angle brackets; pass the id without < and >');
  }
  if (id.endsWith('\\'))
    refuse('it ends in a backslash, which Zimbra would read as an escaped quote');

  return `msgid:"${id.replaceAll('"', '\\"')}" is:anywhere`;
}

function refuse(problem: string): never {
  throw new InputError(
    'ZIMBRA_UNSAFE_MESSAGE_ID',
    'messageId',
    `Message-ID cannot be searched: ${problem}`,
  );
}
