/**
 * The few `Reflect` metadata functions tsyringe (a dependency of @peculiar/x509) demands
 * at load time. None of the usual polyfills (reflect-metadata, core-js) is installed, so
 * the simulator carries this minimal one; it is installed only when `Reflect.getMetadata`
 * is missing, and only before the first certificate is generated.
 * FIXME: a hand-made stand-in for the `reflect-metadata` package; adding that package as
 * a devDependency would let this file go. Until then metadata lives in this shim's
 * WeakMap, so a real polyfill loaded later in the same process would not see it.
 */
type MetadataKey = unknown;
type PropertyKey = string | symbol | undefined;

const store = new WeakMap<object, Map<PropertyKey, Map<MetadataKey, unknown>>>();

function ownMap(target: object, property: PropertyKey, create: boolean) {
  let byProperty = store.get(target);
  if (byProperty === undefined) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let map = byProperty.get(property);
  if (map === undefined && create) {
    map = new Map();
    byProperty.set(property, map);
  }
  return map;
}

function defineMetadata(key: MetadataKey, value: unknown, target: object, property?: PropertyKey) {
  ownMap(target, property, true)?.set(key, value);
}

function getOwnMetadata(key: MetadataKey, target: object, property?: PropertyKey): unknown {
  return ownMap(target, property, false)?.get(key);
}

function hasOwnMetadata(key: MetadataKey, target: object, property?: PropertyKey): boolean {
  return ownMap(target, property, false)?.has(key) ?? false;
}

/** Looks up the prototype chain, as the metadata proposal specifies. */
function getMetadata(key: MetadataKey, target: object, property?: PropertyKey): unknown {
  for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
    if (hasOwnMetadata(key, t, property)) return getOwnMetadata(key, t, property);
  }
  return undefined;
}

function hasMetadata(key: MetadataKey, target: object, property?: PropertyKey): boolean {
  for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
    if (hasOwnMetadata(key, t, property)) return true;
  }
  return false;
}

/** The decorator form TypeScript's emitted `__metadata` helper calls. */
function metadata(key: MetadataKey, value: unknown) {
  return (target: object, property?: PropertyKey) => defineMetadata(key, value, target, property);
}

/** Installs the shim unless a Reflect metadata implementation is already present. */
export function ensureReflectMetadata(): void {
  const reflect = Reflect as unknown as Record<string, unknown>;
  if (typeof reflect.getMetadata === 'function') return;
  Object.assign(reflect, {
    defineMetadata,
    getOwnMetadata,
    hasOwnMetadata,
    getMetadata,
    hasMetadata,
    metadata,
  });
}
