/// <reference types="vitest/globals" />
// `before`/`after` are mocha's names; test/setup/mochaGlobals.ts maps them for vitest.
declare function before(fn: () => unknown): void;
declare function after(fn: () => unknown): void;
