/**
 * Base45 (RFC 9285): bytes as the 45 characters of a QR code's alphanumeric mode, which stores
 * 5.5 bits a character. A venue code is QR-coded this way rather than as raw bytes because
 * `BarcodeDetector` hands back text, and raw bytes do not survive being decoded as text.
 * (The npm packages for it use Node's Buffer; this is the RFC's few lines.)
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]));

export function toBase45(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    for (let k = 0; k < 3; k++, n = Math.floor(n / 45)) text += ALPHABET[n % 45];
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    text += ALPHABET[n % 45]! + ALPHABET[Math.floor(n / 45)]!;
  }
  return text;
}

/** The bytes, or undefined for text that is not base45 (a stray character, a bad length, a value over range). */
export function fromBase45(text: string): Uint8Array | undefined {
  if (text.length % 3 === 1) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 3) {
    const digits = [...text.slice(i, i + 3)].map((char) => VALUES.get(char));
    if (digits.some((digit) => digit === undefined)) return undefined;
    const [c, d, e = 0] = digits as number[];
    const n = c! + d! * 45 + e * 45 * 45;
    if (digits.length === 3) {
      if (n > 0xffff) return undefined;
      bytes.push(n >> 8, n & 0xff);
    } else {
      if (n > 0xff) return undefined;
      bytes.push(n);
    }
  }
  return Uint8Array.from(bytes);
}
