import _sodium from 'libsodium-wrappers';

/** The libsodium API, once its WebAssembly has loaded. */
export type Sodium = typeof _sodium;

let loaded: Promise<Sodium> | undefined;
let isReady = false;

/** Loads libsodium's WebAssembly once for the whole app; await it before any other crypto call. */
export function ready(): Promise<Sodium> {
  loaded ??= _sodium.ready.then(() => {
    isReady = true;
    return _sodium;
  });
  return loaded;
}

/**
 * libsodium for code that runs after `ready()` resolved. Throws if called before: that is a
 * programming error (a missing await at start-up), not bad input.
 */
export function sodium(): Sodium {
  if (!isReady) throw new Error('crypto used before ready() resolved');
  return _sodium;
}

