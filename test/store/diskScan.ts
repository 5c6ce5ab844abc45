import { assert } from '../assert.js';
import { rawContents } from './storeFixtures.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    bytes[i * 2] = text.charCodeAt(i) & 0xff;
    bytes[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return bytes;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Flattens any stored value into byte chunks: bytes as they are, strings in both encodings. */
function byteChunks(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) out.push(value);
  else if (value instanceof ArrayBuffer) out.push(new Uint8Array(value));
  else if (typeof value === 'string') out.push(utf8(value), utf16le(value));
  else if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) return out; // opaque by design
  else if (Array.isArray(value)) for (const item of value) byteChunks(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push(utf8(key));
      byteChunks(item, out);
    }
  } else if (value !== undefined) out.push(utf8(String(value)));
  return out;
}

/**
 * Reads every key and value of every store of database `name` and fails if any of `planted`
 * is in it (UTF-8 or UTF-16). Returns how many bytes it scanned, so a test can show it read
 * something; the scanner first proves it finds plaintext that is there.
 */
export async function assertNothingReadable(name: string, planted: string[]): Promise<number> {
  const needles = planted.flatMap((text) => [utf8(text), utf16le(text)]);
  assert(byteChunks({ note: planted[0] }).some((chunk) => needles.some((needle) => contains(chunk, needle))), 'scanner sees plaintext');
  const { stores } = await rawContents(name);
  let scanned = 0;
  for (const [storeName, { keys, values }] of Object.entries(stores)) {
    for (const chunk of byteChunks([keys, values])) {
      scanned += chunk.length;
      for (const [index, needle] of needles.entries()) {
        assert(!contains(chunk, needle), `"${planted[index >> 1]}" is readable in store ${storeName}`);
      }
    }
  }
  return scanned;
}
