import { sodium } from '../../crypto/index.js';
import { HEADER_BYTES, NO_PREVIOUS, openEnvelope, sealEnvelope } from '../../src/log/envelope.js';
import { BENCH_GROUP_ID, benchKeyring, identityFromSeed } from './fixtures.js';

/**
 * Seal/open throughput of Hearth envelopes against the raw libsodium AEAD on the same bytes.
 * Both sides draw a fresh 24-byte nonce per call (crypto.getRandomValues), as any real use must;
 * the raw side authenticates the same 94-byte header as associated data. Runs in node and Chromium.
 */

export interface CryptoSample {
  payloadBytes: number;
  /** Operations per second, one entry per run (interleaved). */
  sealPerSec: number[];
  rawEncryptPerSec: number[];
  openPerSec: number[];
  rawDecryptPerSec: number[];
  /** The floor of the design: raw AEAD plus an Ed25519 signature (sign / verify) over the result. */
  rawEncryptSignPerSec: number[];
  rawVerifyDecryptPerSec: number[];
}

export interface CryptoBenchOptions {
  payloadSizes: number[];
  runs: number;
  /** How long each measurement loops for. */
  minMs: number;
}

/** Calls `op` in batches until `minMs` have passed; returns operations per second. */
function opsPerSecond(op: () => void, minMs: number): number {
  let count = 0;
  let batch = 1;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) op();
    count += batch;
    elapsed = performance.now() - start;
    if (elapsed < minMs / 10) batch *= 2;
  }
  return (count * 1000) / elapsed;
}

function nonce(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(24));
}

export function runCryptoBench({ payloadSizes, runs, minMs }: CryptoBenchOptions): CryptoSample[] {
  const s = sodium();
  const identity = identityFromSeed(7);
  const keyring = benchKeyring();
  const key = keyring.keyFor(0, 'update')!;
  const header = new Uint8Array(HEADER_BYTES).fill(1);
  let seq = 1;

  return payloadSizes.map((payloadBytes) => {
    const plaintext = globalThis.crypto.getRandomValues(new Uint8Array(payloadBytes));
    const seal = (): Uint8Array =>
      sealEnvelope({
        kind: 'update',
        groupId: BENCH_GROUP_ID,
        epoch: 0,
        seq: seq++,
        prev: NO_PREVIOUS,
        authorKey: identity.signPublicKey,
        authorSecretKey: identity.signSecretKey,
        key,
        plaintext,
      });
    const envelope = seal();
    const context = { groupId: BENCH_GROUP_ID, keyFor: () => key };
    const rawNonce = nonce();
    const rawCiphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, header, null, rawNonce, key);
    const rawSignature = s.crypto_sign_detached(rawCiphertext, identity.signSecretKey);

    const ops = {
      seal: () => void seal(),
      rawEncrypt: () => void s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, header, null, nonce(), key),
      open: () => {
        if (!openEnvelope(envelope, context).ok) throw new Error('bench envelope did not open');
      },
      rawDecrypt: () => void s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, rawCiphertext, header, rawNonce, key),
      rawEncryptSign: () => {
        const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, header, null, nonce(), key);
        s.crypto_sign_detached(ciphertext, identity.signSecretKey);
      },
      rawVerifyDecrypt: () => {
        if (!s.crypto_sign_verify_detached(rawSignature, rawCiphertext, identity.signPublicKey)) throw new Error('bad signature');
        s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, rawCiphertext, header, rawNonce, key);
      },
    };
    // Warm-up: every path JIT-compiled before the first timed loop.
    for (const op of Object.values(ops)) opsPerSecond(op, minMs / 4);

    const sample: CryptoSample = {
      payloadBytes,
      sealPerSec: [],
      rawEncryptPerSec: [],
      openPerSec: [],
      rawDecryptPerSec: [],
      rawEncryptSignPerSec: [],
      rawVerifyDecryptPerSec: [],
    };
    for (let run = 0; run < runs; run++) {
      // Alternate which side goes first, so drift in machine load falls on both.
      const pairs: [keyof typeof ops, keyof CryptoSample][] =
        run % 2 === 0
          ? [['rawEncrypt', 'rawEncryptPerSec'], ['seal', 'sealPerSec'], ['rawDecrypt', 'rawDecryptPerSec'], ['open', 'openPerSec']]
          : [['seal', 'sealPerSec'], ['rawEncrypt', 'rawEncryptPerSec'], ['open', 'openPerSec'], ['rawDecrypt', 'rawDecryptPerSec']];
      pairs.push(['rawEncryptSign', 'rawEncryptSignPerSec'], ['rawVerifyDecrypt', 'rawVerifyDecryptPerSec']);
      for (const [op, field] of pairs) (sample[field] as number[]).push(opsPerSecond(ops[op], minMs));
    }
    return sample;
  });
}
