/**
 * This origin's IndexedDB databases, asked for while this module is evaluated. src/main.ts
 * imports it before anything else, so the round trip to the browser (a few hundred ms on a slow
 * phone's first visit) runs while Lit and the first screen's elements are evaluated, not after.
 * `undefined` when the browser cannot list its databases or the request fails.
 */
export const databasesProbe: Promise<readonly IDBDatabaseInfo[] | undefined> =
  typeof indexedDB !== 'undefined' && typeof indexedDB.databases === 'function'
    ? indexedDB.databases().then(
        (list) => list,
        () => undefined,
      )
    : Promise.resolve(undefined);
