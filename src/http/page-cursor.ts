import { InputError } from '../errors/index.js';

/**
 * Opaque cursors: base64url JSON that callers pass back unchanged. The
 * shape check stops a hand-made cursor from reaching a query.
 */
export function encodeCursor(value: Record<string, number | string>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<K extends string>(
  text: string,
  keys: Readonly<Record<K, 'number' | 'string'>>,
): Record<K, number | string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const ok =
    typeof parsed === 'object' &&
    parsed !== null &&
    Object.entries(keys).every(
      ([k, type]) => typeof (parsed as Record<string, unknown>)[k] === type,
    );
  if (!ok) {
    throw new InputError(
      'HTTP_BAD_CURSOR',
      'cursor',
      'cursor: not a cursor this API returned; pass the "next" value unchanged',
    );
  }
  return parsed as Record<K, number | string>;
}
