import libmime from 'libmime';

/** One mailbox of an address header: `a` address, `p` personal name (decoded). */
export interface MailAddress {
  address: string;
  personal: string | undefined;
}

/** Splits on commas that are outside quotes, angle brackets and comments. */
function splitAddressList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i] as string;
    if (quoted && ch === '\\') {
      current += ch + (value[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '<' || ch === '(')) depth += 1;
    else if (!quoted && (ch === '>' || ch === ')')) depth = Math.max(0, depth - 1);
    if (ch === ',' && !quoted && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function cleanPersonal(text: string): string | undefined {
  let name = text.trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) {
    name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  name = libmime.decodeWords(name).trim();
  return name.length > 0 ? name : undefined;
}

function parseOne(part: string): MailAddress | undefined {
  const angle = /<([^<>]*)>/.exec(part);
  if (angle !== null) {
    const address = (angle[1] ?? '').trim();
    return { address, personal: cleanPersonal(part.slice(0, angle.index)) };
  }
  const comment = /\(([^()]*)\)/.exec(part);
  const address = part.replace(/\([^()]*\)/g, '').trim();
  if (address.length === 0) return undefined;
  return { address, personal: comment === null ? undefined : cleanPersonal(comment[1] ?? '') };
}

/** Parses an RFC 5322 address-list header value; groups are flattened, junk is skipped. */
export function parseAddressList(value: string | undefined): MailAddress[] {
  if (value === undefined) return [];
  const withoutGroups = value.replace(/^[^":<]*:/, '').replace(/;\s*$/, '');
  return splitAddressList(withoutGroups)
    .map(parseOne)
    .filter((a): a is MailAddress => a !== undefined);
}
