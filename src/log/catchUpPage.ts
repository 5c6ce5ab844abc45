import {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  GROUP_ID_BYTES,
  SIGNATURE_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  aeadOpen,
  aeadSeal,
  bytesEqual,
  sign,
  toBase64Url,
  verify,
} from '../../crypto/index.js';
import type { GroupKeyring } from './keyring.js';

/**
 * The catch-up page, version 1 (docs/PROTOCOL.md §6.2): a member's newest posts (each record
 * signed by its own author) sent to a peer far behind, ahead of the chains, so a newcomer shows
 * them at once. The page is sealed under the epoch's content key and signed by the member who
 * sends it; the group id and epoch are bound in, so a page of another group or epoch is refused.
 *
 * | offset | bytes | field                                                            |
 * |--------|-------|------------------------------------------------------------------|
 * | 0      | 1     | page version = 1                                                 |
 * | 1      | 16    | group id                                                         |
 * | 17     | 4     | epoch, uint32 big-endian                                         |
 * | 21     | 32    | sender's Ed25519 key                                             |
 * | 53     | 24    | nonce                                                            |
 * | 77     | n+16  | XChaCha20-Poly1305 of the JSON payload; AD = DOMAIN ‖ bytes 0..77 |
 * | end-64 | 64    | sender's Ed25519 signature over DOMAIN ‖ everything before it     |
 */
export const CATCH_UP_PAGE_VERSION = 1;
/** A page over this is refused unread: it only ever holds a screenful of posts and the membership entries. */
export const MAX_CATCH_UP_PAGE_BYTES = 1024 * 1024;
const DOMAIN = new TextEncoder().encode('hearth-catch-up-v1');
const HEADER_BYTES = 1 + GROUP_ID_BYTES + 4 + SIGN_PUBLIC_KEY_BYTES;
const MIN_PAGE_BYTES = HEADER_BYTES + AEAD_NONCE_BYTES + AEAD_TAG_BYTES + SIGNATURE_BYTES;

export type CatchUpPageError =
  | 'page-too-large'
  | 'truncated'
  | 'unsupported-version'
  | 'wrong-group'
  | 'unknown-epoch' // no key of that epoch here
  | 'bad-page-signature'
  | 'decrypt-failed'
  | 'bad-payload'; // not JSON

export type OpenedCatchUpPage = { ok: true; sender: string; epoch: number; payload: unknown } | { ok: false; error: CatchUpPageError };

const withDomain = (bytes: Uint8Array): Uint8Array => {
  const out = new Uint8Array(DOMAIN.length + bytes.length);
  out.set(DOMAIN);
  out.set(bytes, DOMAIN.length);
  return out;
};

/** Seals `payload` (JSON-serialisable) under the keyring's current epoch; undefined when it would be over the cap. */
export function sealCatchUpPage(
  payload: unknown,
  keyring: GroupKeyring,
  sender: { signPublicKey: Uint8Array; signSecretKey: Uint8Array },
): Uint8Array | undefined {
  const epoch = keyring.currentEpoch;
  const key = keyring.keyFor(epoch, 'update');
  if (!key) return undefined;
  const plaintext = new TextEncoder().encode(JSON.stringify(payload));
  const total = MIN_PAGE_BYTES + plaintext.length;
  if (total > MAX_CATCH_UP_PAGE_BYTES) return undefined;
  const page = new Uint8Array(total);
  page[0] = CATCH_UP_PAGE_VERSION;
  page.set(keyring.groupId, 1);
  new DataView(page.buffer).setUint32(1 + GROUP_ID_BYTES, epoch);
  page.set(sender.signPublicKey, 1 + GROUP_ID_BYTES + 4);
  const { nonce, ciphertext } = aeadSeal(key, plaintext, withDomain(page.subarray(0, HEADER_BYTES)));
  page.set(nonce, HEADER_BYTES);
  page.set(ciphertext, HEADER_BYTES + AEAD_NONCE_BYTES);
  const signed = total - SIGNATURE_BYTES;
  page.set(sign(withDomain(page.subarray(0, signed)), sender.signSecretKey), signed);
  return page;
}

/** Checks and opens a peer's page. Hostile bytes give an error value; this function does not throw. */
export function openCatchUpPage(page: Uint8Array, keyring: GroupKeyring): OpenedCatchUpPage {
  if (page.byteLength > MAX_CATCH_UP_PAGE_BYTES) return { ok: false, error: 'page-too-large' };
  if (page.byteLength < 1) return { ok: false, error: 'truncated' };
  if (page[0] !== CATCH_UP_PAGE_VERSION) return { ok: false, error: 'unsupported-version' };
  if (page.byteLength < MIN_PAGE_BYTES) return { ok: false, error: 'truncated' };
  if (!bytesEqual(page.subarray(1, 1 + GROUP_ID_BYTES), keyring.groupId)) return { ok: false, error: 'wrong-group' };
  const epoch = new DataView(page.buffer, page.byteOffset, page.byteLength).getUint32(1 + GROUP_ID_BYTES);
  const keys = keyring.keysFor(epoch, 'update');
  if (keys.length === 0) return { ok: false, error: 'unknown-epoch' };
  const senderKey = page.slice(1 + GROUP_ID_BYTES + 4, HEADER_BYTES);
  const signed = page.byteLength - SIGNATURE_BYTES;
  if (!verify(page.subarray(signed), withDomain(page.subarray(0, signed)), senderKey)) return { ok: false, error: 'bad-page-signature' };
  const associated = withDomain(page.subarray(0, HEADER_BYTES));
  const nonce = page.subarray(HEADER_BYTES, HEADER_BYTES + AEAD_NONCE_BYTES);
  const ciphertext = page.subarray(HEADER_BYTES + AEAD_NONCE_BYTES, signed);
  let plaintext: Uint8Array | null = null;
  for (const key of keys) plaintext ??= aeadOpen(key, nonce, ciphertext, associated);
  if (!plaintext) return { ok: false, error: 'decrypt-failed' };
  try {
    return { ok: true, sender: toBase64Url(senderKey), epoch, payload: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)) as unknown };
  } catch {
    return { ok: false, error: 'bad-payload' };
  }
}
