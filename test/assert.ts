/**
 * Assertions that run unchanged under vitest (node) and @web/test-runner (Chromium, mocha
 * globals), so one test file can prove a behaviour in both places.
 */
export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new Error(message);
}

export function assertEqual<T>(actual: T, expected: T, message = ''): void {
  if (!Object.is(actual, expected)) {
    throw new Error(`${message} expected ${String(expected)}, got ${String(actual)}`.trim());
  }
}

export function assertDeepEqual(actual: unknown, expected: unknown, message = ''): void {
  const a = JSON.stringify(actual, replacer);
  const e = JSON.stringify(expected, replacer);
  if (a !== e) throw new Error(`${message} expected ${e}, got ${a}`.trim());
}

function replacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Array.from(value) : value;
}
