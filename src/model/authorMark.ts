/**
 * How people tell authors apart when display names are alike: a colour and a short
 * fingerprint, both read straight from the author's signing key (random bytes, so nobody
 * picks them without making keys until one matches), and a check for names that read the same.
 * Free of crypto imports, so views can use it before libsodium loads.
 */

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Crockford's base32: no I, L, O or U, so it reads aloud and copies by hand without mix-ups. */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Colours an author can have: hues 30° apart, few enough to name and tell apart. */
export const AUTHOR_COLOURS = 12;

export interface AuthorMark {
  /** 0 to AUTHOR_COLOURS - 1: which of the author colours is theirs. */
  colour: number;
  /** The key's first 40 bits in Crockford base32, as two groups of four ("K7QF-2MXA"). */
  fingerprint: string;
}

/** The colour and fingerprint of an author id (a base64url Ed25519 key). */
export function authorMark(authorId: string): AuthorMark {
  // The first 10 characters carry the key's first 60 bits: 40 for the fingerprint, 12 for the colour.
  let bits = 0n;
  for (const char of authorId.slice(0, 10).padEnd(10, 'A')) bits = (bits << 6n) | BigInt(Math.max(0, BASE64URL.indexOf(char)));
  let fingerprint = '';
  for (let i = 0; i < 8; i++) fingerprint += BASE32[Number((bits >> BigInt(55 - 5 * i)) & 31n)];
  const colour = Number((bits >> 8n) & 0xfffn) % AUTHOR_COLOURS;
  return { colour, fingerprint: `${fingerprint.slice(0, 4)}-${fingerprint.slice(4)}` };
}

/** A name as people read it: compatibility forms folded, case and spacing ignored. */
function readAs(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();
}

/** True when two display names would read as the same name. */
export function namesClash(a: string, b: string): boolean {
  return readAs(a) === readAs(b);
}
