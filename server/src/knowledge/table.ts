// Lookup tables keyed by names read from users' files and alerts: tags, keys, sources, event and value names. An
// object literal also answers `constructor`, `toString` or `__proto__` through Object.prototype, so a hover printed
// "function Object() { [native code] }" for a tag named `constructor`, and a lookup that handed the function on as a
// field name crashed. A table has no prototype: a name it does not hold finds nothing.
export function table<T extends object>(entries: T): T {
  return Object.assign(Object.create(null) as T, entries);
}
