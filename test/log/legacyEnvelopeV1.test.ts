import { bytesEqual, ready } from '../../crypto/index.js';
import { openEnvelopeV1 } from '../../src/log/legacy/envelopeV1.js';
import { assert, assertEqual } from '../assert.js';
import { sealEnvelopeV1 } from '../fixtures/envelopeV1.js';
import { GROUP_ID, identityFromSeed, keyring } from '../fixtures/group.js';

describe('envelopes, version 1 (read to carry v1 boards over)', () => {
  before(async () => {
    await ready();
  });

  const plaintext = new TextEncoder().encode('I made it through the weekend.');

  function sealed(): Uint8Array {
    const alice = identityFromSeed(1);
    return sealEnvelopeV1({ kind: 'update', groupId: GROUP_ID, epoch: 0, counter: 7, authorKey: alice.signPublicKey, authorSecretKey: alice.signSecretKey, key: keyring().keyFor(0, 'update')!, plaintext });
  }
  const context = () => ({ groupId: GROUP_ID, keyFor: (epoch: number, kind: string) => keyring().keyFor(epoch, kind) });

  it('opens a v1 envelope of the group signed by its author', () => {
    const opened = openEnvelopeV1(sealed(), context());
    assert(opened !== null);
    assertEqual(opened.kind, 'update');
    assert(bytesEqual(opened.plaintext, plaintext));
  });

  it('opens nothing changed, of another group, or that is not an envelope', () => {
    for (const offset of [0, 1, 5, 30, 60, 70, 100]) {
      const tampered = sealed();
      tampered[offset]! ^= 1;
      assertEqual(openEnvelopeV1(tampered, context()), null, `byte ${offset}`);
    }
    assertEqual(openEnvelopeV1(sealed(), { ...context(), groupId: new Uint8Array(16) }), null);
    assertEqual(openEnvelopeV1(sealed().subarray(0, 100), context()), null);
    assertEqual(openEnvelopeV1('not bytes', context()), null);
  });
});
