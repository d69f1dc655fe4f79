/**
 * Lenient readers for Zimbra's JSON element encoding (reference §2.2): an element is an
 * object or an array of objects, an attribute is a scalar, element text is `_content`.
 */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The child element `name`, or undefined. A bare scalar under that key is an attribute,
 * not an element, so it is not returned (Element.JSONElement.getOptionalElement).
 */
export function childElement(parent: JsonObject, name: string): JsonObject | undefined {
  return childElements(parent, name)[0];
}

export function childElements(parent: JsonObject, name: string): JsonObject[] {
  const value = parent[name];
  if (isJsonObject(value)) return [value];
  if (Array.isArray(value)) return value.filter(isJsonObject);
  return [];
}

/** An attribute rendered as text; numbers and booleans become their string form. */
export function attrText(el: JsonObject, name: string): string | undefined {
  const value = el[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The element text (`_content`), or undefined. */
export function elementText(el: JsonObject): string | undefined {
  return attrText(el, '_content');
}

/**
 * A value the server accepts either as an attribute or as a child element with text, as
 * for `query` or the header `authToken` (JaxbUtil.fixupStructureForJaxb).
 */
export function attrOrElementText(el: JsonObject, name: string): string | undefined {
  const direct = attrText(el, name);
  if (direct !== undefined) return direct;
  const child = childElement(el, name);
  return child === undefined ? undefined : elementText(child);
}

/** Zimbra booleans: true, 1, "1", "true" (case-insensitive). */
export function attrBool(el: JsonObject, name: string): boolean {
  const text = attrText(el, name);
  if (text === undefined) return false;
  return text === '1' || text.toLowerCase() === 'true';
}
