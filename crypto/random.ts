/**
 * Random bytes from the platform CSPRNG. `crypto.getRandomValues` costs ~3 µs a call against
 * ~60 µs for libsodium's `randombytes_buf` in Chromium, and nonces are drawn on every seal.
 */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes a call.
  for (let offset = 0; offset < length; offset += 65_536) {
    globalThis.crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65_536)));
  }
  return bytes;
}
