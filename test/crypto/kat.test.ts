import {
  aeadOpen,
  aeadSeal,
  bytesEqual,
  fromBase64Url,
  fromHex,
  ready,
  sign,
  sodium,
  toBase64Url,
  toHex,
  verify,
} from '../../crypto/index.js';
import { assert, assertEqual } from '../assert.js';
import { ED25519, XCHACHA20_POLY1305 as X } from '../fixtures/vectors.js';

// Runs under vitest in node and under @web/test-runner in Chromium.
describe('crypto known answers', () => {
  before(async () => {
    await ready();
  });

  it('seals the XChaCha20-Poly1305 draft vector to its published ciphertext and tag', () => {
    const { ciphertext } = aeadSeal(fromHex(X.key), new TextEncoder().encode(X.plaintext), fromHex(X.aad), fromHex(X.nonce));
    assertEqual(toHex(ciphertext), X.ciphertext + X.tag);
  });

  it('opens the XChaCha20-Poly1305 draft vector to its plaintext', () => {
    const opened = aeadOpen(fromHex(X.key), fromHex(X.nonce), fromHex(X.ciphertext + X.tag), fromHex(X.aad));
    assert(opened);
    assertEqual(new TextDecoder().decode(opened), X.plaintext);
  });

  it('refuses the AEAD vector when the associated data or tag changes', () => {
    const sealed = fromHex(X.ciphertext + X.tag);
    assertEqual(aeadOpen(fromHex(X.key), fromHex(X.nonce), sealed, fromHex('50515253c0c1c2c3c4c5c6c8')), null);
    const flipped = sealed.slice();
    flipped[flipped.length - 1]! ^= 1;
    assertEqual(aeadOpen(fromHex(X.key), fromHex(X.nonce), flipped, fromHex(X.aad)), null);
  });

  for (const vector of ED25519) {
    it(`signs RFC 8032 ${vector.name} to the published signature`, () => {
      const pair = sodium().crypto_sign_seed_keypair(fromHex(vector.seed));
      assertEqual(toHex(pair.publicKey), vector.publicKey);
      assertEqual(toHex(sign(fromHex(vector.message), pair.privateKey)), vector.signature);
    });

    it(`verifies RFC 8032 ${vector.name} and rejects it for another message`, () => {
      const message = fromHex(vector.message);
      assert(verify(fromHex(vector.signature), message, fromHex(vector.publicKey)));
      const other = new Uint8Array([...message, 0]);
      assert(!verify(fromHex(vector.signature), other, fromHex(vector.publicKey)));
    });
  }

  it('round-trips base64url and refuses padding and foreign characters', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 37 + length) & 0xff);
      const decoded = fromBase64Url(toBase64Url(bytes));
      assert(decoded.ok && bytesEqual(decoded.bytes, bytes), `length ${length}`);
    }
    assertEqual(toBase64Url(fromHex('fbff')), '-_8');
    for (const bad of ['ab=', 'a+b', 'a/b', 'abcde', 'ab cd', 'é']) assert(!fromBase64Url(bad).ok, bad);
  });
});
