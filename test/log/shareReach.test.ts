import type { EpochInfo } from '../../src/model/index.js';
import { readableEpochs, shareEpoch, type ReadableEpoch } from '../../src/log/shareReach.js';
import { assertDeepEqual, assertEqual } from '../assert.js';

/** Where a share to a member can go: secrets are plain bytes here, epochs named by their entry. */
const secret = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
const epoch = (ref: string, number: number): EpochInfo => ({ ref, epoch: number, creator: 'alice', check: `check-${ref}` });

const genesis: ReadableEpoch = { ref: 'genesis', epoch: 0, secret: secret(0) };
const alicesFirst: ReadableEpoch = { ref: 'alice/m/one', epoch: 1, secret: secret(1) };

describe('where a share to a member can go', () => {
  it('lists the epochs whose very secret both the member and this device hold, newest first', () => {
    const state = { sealedFor: () => [epoch('genesis', 0), epoch('alice/m/one', 1), epoch('bob/m/one', 1)].map((e) => ({ epoch: e, sealed: 'sealed' })) };
    const held = new Map([['genesis', secret(0)], ['alice/m/one', secret(1)]]);
    assertDeepEqual(readableEpochs(state, 'dan', held), [alicesFirst, genesis]);
  });

  it('takes the newest epoch whose chain, and next link, are sealed under the secret the member holds', () => {
    const place = shareEpoch([alicesFirst, genesis], (n) => secret(n), (n) => [secret(n), secret(n)]);
    assertEqual(place?.ref, 'alice/m/one');
  });

  it('passes over an epoch this device seals under another secret of the same number', () => {
    const place = shareEpoch([alicesFirst, genesis], (n) => (n === 1 ? secret(9) : secret(n)), () => []);
    assertEqual(place?.ref, 'genesis');
  });

  it('passes over a chain that switched secrets midway, where a reader would stall', () => {
    const place = shareEpoch([alicesFirst, genesis], (n) => secret(n), (n) => (n === 1 ? [secret(9), secret(1)] : [secret(0)]));
    assertEqual(place?.ref, 'genesis');
  });

  it('finds no place when no chain of this device is one the member can read whole', () => {
    assertEqual(shareEpoch([alicesFirst], (n) => secret(n), () => [null]), undefined);
  });
});
