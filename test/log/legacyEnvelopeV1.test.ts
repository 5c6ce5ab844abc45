import { bytesEqual, ready } from '../../crypto/index.js';
import {
  HEADER_BYTES,
  MIN_ENVELOPE_BYTES,
  openEnvelope,
  sealEnvelope,
  type EnvelopeError,
  type OpenContext,
} from '../../src/log/legacy/envelopeV1.js';
import { assert, assertEqual } from '../assert.js';
import { GROUP_ID, identityFromSeed, keyring } from '../fixtures/group.js';

describe('envelopes, version 1 (read for migration)', () => {
  before(async () => {
    await ready();
  });

  const plaintext = new TextEncoder().encode('I made it through the weekend.');

  function fixture() {
    const ring = keyring();
    const alice = identityFromSeed(1);
    const envelope = sealEnvelope({
      kind: 'update',
      groupId: GROUP_ID,
      epoch: 0,
      counter: 7,
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

  it('opens what it sealed, with the header it was sealed under', () => {
    const { envelope, context, alice } = fixture();
    const result = openEnvelope(envelope, context);
    assert(result.ok);
    assert(bytesEqual(result.envelope.plaintext, plaintext));
    assertEqual(result.envelope.header.kind, 'update');
    assertEqual(result.envelope.header.counter, 7);
    assert(bytesEqual(result.envelope.header.authorKey, alice.signPublicKey));
  });

  it('never carries the plaintext in the clear', () => {
    const { envelope } = fixture();
    const text = new TextDecoder('latin1').decode(envelope);
    assert(!text.includes('weekend'));
  });

  const fields: [name: string, offset: number, bit: number, code: EnvelopeError][] = [
    ['version', 0, 0, 'bad-version'],
    ['kind', 1, 7, 'bad-kind'],
    ['kind (to another valid kind)', 1, 1, 'bad-signature'],
    ['group id', 2, 0, 'wrong-group'],
    ['group id (last byte)', 17, 3, 'wrong-group'],
    ['epoch', 21, 0, 'unknown-epoch'],
    ['author key', 22, 0, 'bad-signature'],
    ['author key (last byte)', 53, 5, 'bad-signature'],
    ['counter', 61, 0, 'bad-signature'],
    ['nonce', HEADER_BYTES, 0, 'bad-signature'],
    ['nonce (last byte)', HEADER_BYTES + 23, 7, 'bad-signature'],
  ];
  for (const [name, offset, bit, code] of fields) {
    it(`rejects an envelope with one bit flipped in its ${name} as ${code}`, () => {
      const { envelope, context } = fixture();
      expectError(flipBit(envelope, offset, bit), context, code);
    });
  }

  it('rejects an envelope with one bit flipped in its ciphertext as bad-signature', () => {
    const { envelope, context } = fixture();
    expectError(flipBit(envelope, HEADER_BYTES + 24 + 3), context, 'bad-signature');
  });

  it('rejects an envelope whose signature does not match', () => {
    const { envelope, context } = fixture();
    expectError(flipBit(envelope, envelope.length - 1), context, 'bad-signature');
    expectError(flipBit(envelope, envelope.length - 64), context, 'bad-signature');
  });

  it('rejects empty and truncated envelopes', () => {
    const { envelope, context } = fixture();
    expectError(new Uint8Array(0), context, 'bad-length');
    expectError(envelope.subarray(0, HEADER_BYTES), context, 'bad-length');
    expectError(envelope.subarray(0, MIN_ENVELOPE_BYTES - 1), context, 'bad-length');
    expectError(envelope.subarray(0, envelope.length - 1), context, 'bad-signature');
  });

  it('rejects an envelope for another group', () => {
    const { envelope, ring } = fixture();
    const other = new Uint8Array(16).fill(9);
    expectError(envelope, { groupId: other, keyFor: (e, k) => ring.keyFor(e, k) }, 'wrong-group');
  });

  it('rejects an envelope from an epoch this device does not hold', () => {
    const { envelope } = fixture();
    expectError(envelope, { groupId: GROUP_ID, keyFor: () => undefined }, 'unknown-epoch');
  });

  it('rejects an envelope signed by a non-member when a member list is given', () => {
    const { envelope, context } = fixture();
    const bob = identityFromSeed(2);
    expectError(envelope, { ...context, isMember: (key) => bytesEqual(key, bob.signPublicKey) }, 'not-a-member');
  });

  it('rejects a correctly signed envelope sealed under another key as decrypt-failed', () => {
    const { context, alice } = fixture();
    const envelope = sealEnvelope({
      kind: 'update',
      groupId: GROUP_ID,
      epoch: 0,
      counter: 1,
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
      junk[0] = 1;
      junk[1] = 1;
      const result = openEnvelope(junk, context);
      assert(!result.ok);
    }
    assert(!openEnvelope('not bytes' as unknown as Uint8Array, context).ok);
  });
});
