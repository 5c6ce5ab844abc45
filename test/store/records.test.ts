import { ready, toBase64Url } from '../../crypto/index.js';
import { CorruptRecordError, decodeGroup, encodeGroup } from '../../src/store/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { groupRecord } from './storeFixtures.js';

function rejects(value: unknown): boolean {
  try {
    decodeGroup(value);
    return false;
  } catch (error) {
    return error instanceof CorruptRecordError;
  }
}

describe('group record format', () => {
  before(async () => {
    await ready();
  });

  it('writes version 2 with the creator and the log version, and reads back the same group', () => {
    const group = groupRecord();
    const encoded = encodeGroup(group);
    assertEqual(encoded.v, 2);
    assertEqual(encoded.logVersion, 2);
    assertDeepEqual(decodeGroup(JSON.parse(JSON.stringify(encoded))), group);
  });

  it('keeps a board that still waits for migration marked as log version 1 when re-encoded', () => {
    const { creatorId: _none, ...group } = { ...groupRecord(), logVersion: 1 as const };
    const decoded = decodeGroup(JSON.parse(JSON.stringify(encodeGroup(group))));
    assertEqual(decoded.logVersion, 1);
    assert(!('creatorId' in decoded), 'no creator is made up');
  });

  it('rejects an unknown log version, a creator that is not a signing key, and unknown record versions', () => {
    const encoded = encodeGroup(groupRecord());
    assert(rejects({ ...encoded, logVersion: 3 }), 'log version 3');
    assert(rejects({ ...encoded, logVersion: undefined }), 'no log version in a v2 record');
    assert(rejects({ ...encoded, creatorId: toBase64Url(new Uint8Array(31)) }), 'a 31-byte creator');
    assert(rejects({ ...encoded, creatorId: 'not base64url!' }), 'a creator that is not base64url');
    assert(rejects({ ...encoded, v: 3 }), 'record version 3');
  });
});
