import { bytesEqual, ready } from '../../crypto/index.js';
import {
  HEADER_BYTES,
  MIN_ENVELOPE_BYTES,
  NO_PREVIOUS,
  openEnvelope,
  sealEnvelope,
  type EnvelopeError,
  type OpenContext,
} from '../../src/log/envelope.js';
import { assert, assertEqual } from '../assert.js';
import { GROUP_ID, identityFromSeed, keyring } from '../fixtures/group.js';

describe('envelopes, version 2', () => {
  before(async () => {
    await ready();
  });

  const plaintext = new TextEncoder().encode('I made it through the weekend.');
  const prev = new Uint8Array(32).fill(5);

  function fixture() {
    const ring = keyring();
    const alice = identityFromSeed(1);
    const envelope = sealEnvelope({
      kind: 'update',
      groupId: GROUP_ID,
      epoch: 0,
      seq: 7,
      prev,
      authorKey: alice.signPublicKey,
      authorSecretKey: alice.signSecretKey,
      key: ring.keyFor(0, 'update')!,
      plaintext,
    });
    const context: OpenContext = { groupId: GROUP_ID, keyFor: (epoch, kind) => ring.keyFor(epoch, kind) };
    return { ring, alice, envelope, context };
  }

  function expectError(bytes: Uint8Array, context: OpenContext, code: EnvelopeError): void {
    const result = openEnvelope(bytes, context);
    assert(!result.ok, `expected ${code}, but it opened`);
    assertEqual(result.error, code);
  }

  function flipBit(bytes: Uint8Array, offset: number, bit = 0): Uint8Array {
    const copy = bytes.slice();
    copy[offset]! ^= 1 << bit;
    return copy;
  }

  it('opens what it sealed, with the chain position it was sealed at', () => {
    const { envelope, context, alice } = fixture();
    const result = openEnvelope(envelope, context);
    assert(result.ok);
    assert(bytesEqual(result.envelope.plaintext, plaintext));
    assertEqual(result.envelope.header.kind, 'update');
    assertEqual(result.envelope.header.seq, 7);
    assert(bytesEqual(result.envelope.header.prev, prev));
    assert(bytesEqual(result.envelope.header.authorKey, alice.signPublicKey));
  });

  it('never carries the plaintext in the clear', () => {
    const { envelope } = fixture();
    assert(!new TextDecoder('latin1').decode(envelope).includes('weekend'));
  });

  const fields: [name: string, offset: number, bit: number, code: EnvelopeError][] = [
    ['version', 0, 2, 'bad-version'],
    ['version (to the other known version, 3)', 0, 0, 'bad-signature'],
    ['kind', 1, 7, 'bad-kind'],
    ['kind (to another valid kind)', 1, 1, 'bad-signature'],
    ['group id', 2, 0, 'wrong-group'],
    ['epoch', 21, 0, 'bad-signature'],
    ['author key', 22, 0, 'bad-signature'],
    ['sequence', 61, 1, 'bad-signature'],
    ['previous hash', 62, 0, 'bad-signature'],
    ['previous hash (last byte)', 93, 4, 'bad-signature'],
    ['nonce', HEADER_BYTES, 0, 'bad-signature'],
    ['ciphertext', HEADER_BYTES + 27, 0, 'bad-signature'],
  ];
  for (const [name, offset, bit, code] of fields) {
    it(`rejects an envelope with one bit flipped in its ${name} as ${code}`, () => {
      const { envelope, context } = fixture();
      expectError(flipBit(envelope, offset, bit), context, code);
    });
  }

  it('rejects an envelope whose signature does not match', () => {
    const { envelope, context } = fixture();
    expectError(flipBit(envelope, envelope.length - 1), context, 'bad-signature');
  });

  it('rejects a sequence number of zero or beyond 2^53 before anything else is read', () => {
    const { envelope, context } = fixture();
    const zero = envelope.slice();
    zero.fill(0, 54, 62);
    expectError(zero, context, 'bad-sequence');
    const huge = envelope.slice();
    huge.fill(0xff, 54, 62);
    expectError(huge, context, 'bad-sequence');
  });

  it('rejects empty and truncated envelopes', () => {
    const { envelope, context } = fixture();
    expectError(new Uint8Array(0), context, 'bad-length');
    expectError(envelope.subarray(0, MIN_ENVELOPE_BYTES - 1), context, 'bad-length');
    expectError(envelope.subarray(0, envelope.length - 1), context, 'bad-signature');
  });

  it('checks the signature before looking for the epoch key, so nothing unsigned waits for one', () => {
    const { envelope } = fixture();
    expectError(flipBit(envelope, envelope.length - 2), { groupId: GROUP_ID, keyFor: () => undefined }, 'bad-signature');
    expectError(envelope, { groupId: GROUP_ID, keyFor: () => undefined }, 'unknown-epoch');
  });

  it('rejects a correctly signed envelope sealed under another key as decrypt-failed', () => {
    const { context, alice } = fixture();
    const envelope = sealEnvelope({
      kind: 'update',
      groupId: GROUP_ID,
      epoch: 0,
      seq: 1,
      prev: NO_PREVIOUS,
      authorKey: alice.signPublicKey,
      authorSecretKey: alice.signSecretKey,
      key: new Uint8Array(32).fill(3),
      plaintext,
    });
    expectError(envelope, context, 'decrypt-failed');
  });

  it('does not throw on hostile bytes of any length', () => {
    const { context } = fixture();
    for (let length = 0; length < 400; length += 7) {
      const junk = new Uint8Array(length).map((_, i) => (i * 131 + length) & 0xff);
      junk[0] = 2;
      junk[1] = 1;
      assert(!openEnvelope(junk, context).ok);
    }
    assert(!openEnvelope('not bytes', context).ok);
  });
});
