/**
 * Readers for Zimbra's JSON element mapping (reference §2.2): an element that
 * occurs once may arrive as an object or as a one-element array, text sits in
 * `_content`, and attributes are scalars that may be numbers or numeric strings.
 * The server accepts and emits both shapes, so every reader accepts both.
 */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The element itself, or the first one when it came as an array. */
export function firstElement(value: unknown): JsonObject | undefined {
  if (Array.isArray(value)) return value.find(isJsonObject);
  return isJsonObject(value) ? value : undefined;
}

/** Every element, whether one object or an array of them was sent. */
export function elementList(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isJsonObject);
  return isJsonObject(value) ? [value] : [];
}

/** Text of an element given as `"x"`, `{_content:"x"}` or `[{_content:"x"}]`. */
export function contentOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  const element = firstElement(value);
  return element === undefined ? undefined : contentOf(element['_content']);
}

/** A string attribute; numbers are rendered, because ids are sometimes numeric. */
export function stringAttr(element: JsonObject, key: string): string | undefined {
  const value = element[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A numeric attribute given as a JSON number or a decimal string. */
export function numberAttr(element: JsonObject, key: string): number | undefined {
  const value = element[key];
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/** A boolean attribute given as `true`/`false`, `"true"`/`"false"` or `1`/`0`. */
export function booleanAttr(element: JsonObject, key: string): boolean | undefined {
  const value = element[key];
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return undefined;
}
