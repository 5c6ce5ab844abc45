import { describe, expect, it } from 'vitest';
import { isAwarenessMessage } from '../../src/sync/yWebrtcFilter.js';

describe('isAwarenessMessage', () => {
  it('lets awareness (1) and query-awareness (3) messages through', () => {
    expect(isAwarenessMessage(new Uint8Array([1, 5, 0]))).toBe(true);
    expect(isAwarenessMessage(new Uint8Array([3]))).toBe(true);
  });

  it('holds back document-sync messages (type 0), whatever they carry', () => {
    expect(isAwarenessMessage(new Uint8Array([0, 0, 1, 0]))).toBe(false);
    expect(isAwarenessMessage(new Uint8Array([0, 1, 3, 0, 0, 0]))).toBe(false);
    expect(isAwarenessMessage(new Uint8Array([0, 2, 0]))).toBe(false);
  });

  it('holds back unknown types, the broadcast-channel peer id (4) and empty messages', () => {
    for (const bytes of [[2], [4, 1], [0x7f], [], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]]) {
      expect(isAwarenessMessage(new Uint8Array(bytes))).toBe(false);
    }
  });

  it('reads the type as a varuint, as y-webrtc does: a padded 0 is still sync, a padded 1 still awareness', () => {
    expect(isAwarenessMessage(new Uint8Array([0x80, 0x00, 0, 1]))).toBe(false);
    expect(isAwarenessMessage(new Uint8Array([0x81, 0x00, 5]))).toBe(true);
  });

  it('holds back a truncated varuint instead of throwing', () => {
    expect(isAwarenessMessage(new Uint8Array([0x81]))).toBe(false);
  });
});
