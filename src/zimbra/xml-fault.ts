import type { FaultDetails } from './faults.js';

/**
 * Reads the few elements of an XML SOAP fault that matter: Zimbra's
 * `Detail/Error/Code`, the reason text, the Sender/Receiver value and the
 * `<a n=".." t="..">` arguments. Zimbra answers in XML even to a JSON request
 * when the servlet refuses the port or the request is too large (reference §2.1,
 * §8.2), so a JSON client must read these. No XML library is used: the elements
 * are few, flat and text-only, and anything else is not a fault we read.
 *
 * Returns undefined unless the text is a SOAP envelope holding a Fault with a
 * Zimbra error code; HTML error pages are never mistaken for one.
 */
export function parseXmlFault(text: string): FaultDetails | undefined {
  if (!/<(?:[\w.-]+:)?Envelope[\s>]/.test(text)) return undefined;
  if (!/<(?:[\w.-]+:)?Fault[\s>]/.test(text)) return undefined;

  const errorAt = text.search(/<(?:[\w.-]+:)?Error[\s>]/);
  if (errorAt < 0) return undefined;
  const errorText = text.slice(errorAt);
  const faultCode = innerText(errorText, 'Code');
  if (faultCode === undefined || faultCode === '') return undefined;

  const fault: FaultDetails = { faultCode };
  const reason = innerText(text, 'Text') ?? innerText(text, 'faultstring');
  if (reason !== undefined) fault.reason = reason;
  const side = innerText(text, 'Value') ?? innerText(text, 'faultcode');
  if (side !== undefined) fault.side = side;
  const args = readArgs(errorText);
  if (args.length > 0) fault.args = args;
  return fault;
}

/** True when the body's first non-space character is `<`. */
export function looksLikeXml(text: string): boolean {
  return /^\s*</.test(text);
}

/** Text of the first `<name>` or `<prefix:name>` element that holds only text. */
function innerText(text: string, name: string): string | undefined {
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:[\\w.-]+:)?${name}>`);
  const match = pattern.exec(text);
  return match?.[1] === undefined ? undefined : decodeEntities(match[1].trim());
}

function readArgs(errorText: string): { name: string; type?: string; value: string }[] {
  const args: { name: string; type?: string; value: string }[] = [];
  for (const match of errorText.matchAll(/<(?:[\w.-]+:)?a\s([^>]*)>([^<]*)</g)) {
    const attrs = match[1] ?? '';
    const name = /\bn="([^"]*)"/.exec(attrs)?.[1];
    if (name === undefined) continue;
    const type = /\bt="([^"]*)"/.exec(attrs)?.[1];
    const arg = { name: decodeEntities(name), value: decodeEntities(match[2] ?? '') };
    args.push(type === undefined ? arg : { ...arg, type });
  }
  return args;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_all, entity: string) => {
    if (entity.startsWith('#')) return decodeCodePoint(entity.slice(1));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity] ?? '';
  });
}

function decodeCodePoint(reference: string): string {
  const point = reference.startsWith('x') ? parseInt(reference.slice(1), 16) : Number(reference);
  return point <= 0x10ffff ? String.fromCodePoint(point) : '\ufffd';
}
