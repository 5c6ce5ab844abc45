import { describe, expect, it } from 'vitest';
import { MIN_ENVELOPE_BYTES } from '../../src/log/envelope.js';
import {
  MAX_ENVELOPE_BYTES,
  MAX_HEADS,
  decodeSyncMessage,
  encodeEnvelopes,
  encodeHeads,
  envelopesMessageBytes,
  type SyncMessageError,
} from '../../src/sync/syncMessages.js';

const GROUP = Uint8Array.from({ length: 16 }, (_, i) => i);
const key = (n: number) => new Uint8Array(32).fill(n);
const hash = (n: number) => new Uint8Array(32).fill(0x80 + n);
const envelope = (n: number, length = MIN_ENVELOPE_BYTES) => new Uint8Array(length).fill(n);

/** A message prefix by hand: version, type, group id, count. */
function prefix(type: number, count: number, version = 1): number[] {
  return [version, type, ...GROUP, (count >>> 24) & 0xff, (count >>> 16) & 0xff, (count >>> 8) & 0xff, count & 0xff];
}
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u64 = (n: bigint) => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(56 - 8 * i)) & 0xffn));

function expectError(bytes: number[] | Uint8Array, code: SyncMessageError): void {
  expect(decodeSyncMessage(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes))).toEqual({ ok: false, error: code });
}

describe('sync messages v1', () => {
  it('round-trips HEADS', () => {
    const heads = [
      { authorKey: key(1), seq: 1, hash: hash(1) },
      { authorKey: key(2), seq: Number.MAX_SAFE_INTEGER, hash: hash(2) },
    ];
    expect(decodeSyncMessage(encodeHeads(GROUP, heads))).toEqual({ ok: true, message: { type: 'heads', groupId: GROUP, heads } });
    expect(decodeSyncMessage(encodeHeads(GROUP, []))).toEqual({ ok: true, message: { type: 'heads', groupId: GROUP, heads: [] } });
    expect(decodeSyncMessage(encodeHeads(GROUP, heads, 'have'))).toEqual({ ok: true, message: { type: 'have', groupId: GROUP, heads } });
  });

  it('round-trips ENVELOPES, each a copy that owns its bytes', () => {
    const envelopes = [envelope(1), envelope(2, 5000)];
    const encoded = encodeEnvelopes(GROUP, envelopes);
    expect(encoded.byteLength).toBe(envelopesMessageBytes(MIN_ENVELOPE_BYTES + 5000, 2));
    const result = decodeSyncMessage(encoded);
    expect(result).toEqual({ ok: true, message: { type: 'envelopes', groupId: GROUP, envelopes } });
    if (result.ok && result.message.type === 'envelopes') expect(result.message.envelopes[1]!.buffer.byteLength).toBe(5000);
  });

  it('gives truncated for a message shorter than its prefix', () => expectError(prefix(1, 0).slice(0, 21), 'truncated'));
  it('gives unsupported-version for version 2', () => expectError(prefix(1, 0, 2), 'unsupported-version'));
  it('gives unsupported-version for a y-webrtc message', () => expectError([0, 1, ...new Array(30).fill(0)], 'unsupported-version'));
  it('gives unknown-type for type 5', () => expectError(prefix(5, 0), 'unknown-type'));
  it('gives page-too-large for a CATCH-UP page over 1 MiB, before reading it', () => expectError(prefix(4, 1024 * 1024 + 1), 'page-too-large'));
  it('gives too-many-heads for a count over the cap, before reading them', () =>
    expectError(prefix(1, MAX_HEADS + 1), 'too-many-heads'));
  it('gives truncated for HEADS shorter than their count', () => expectError([...prefix(1, 1), ...key(1)], 'truncated'));
  it('gives trailing-bytes for HEADS longer than their count', () =>
    expectError([...prefix(1, 1), ...key(1), ...u64(1n), ...hash(1), 0], 'trailing-bytes'));
  it('gives bad-sequence for a head at seq 0', () => expectError([...prefix(1, 1), ...key(1), ...u64(0n), ...hash(1)], 'bad-sequence'));
  it('gives bad-sequence for a head beyond 2^53 - 1', () =>
    expectError([...prefix(1, 1), ...key(1), ...u64(2n ** 53n), ...hash(1)], 'bad-sequence'));
  it('gives duplicate-author for two heads of one author', () =>
    expectError([...prefix(1, 2), ...key(1), ...u64(1n), ...hash(1), ...key(1), ...u64(2n), ...hash(2)], 'duplicate-author'));
  it('gives too-many-envelopes for a count over the cap', () => expectError(prefix(2, 65_537), 'too-many-envelopes'));
  it('gives truncated when a declared count runs past the end', () => expectError(prefix(2, 1000), 'truncated'));
  it('gives truncated when an envelope runs past the end', () =>
    expectError([...prefix(2, 1), ...u32(MIN_ENVELOPE_BYTES), 1, 2, 3], 'truncated'));
  it('gives envelope-too-small for an envelope shorter than any envelope', () =>
    expectError([...prefix(2, 1), ...u32(0)], 'envelope-too-small'));
  it('gives envelope-too-large for a declared length over 32 MiB, without allocating it', () =>
    expectError([...prefix(2, 1), ...u32(MAX_ENVELOPE_BYTES + 1)], 'envelope-too-large'));
  it('gives trailing-bytes after the last envelope', () => expectError([...encodeEnvelopes(GROUP, [envelope(1)]), 9], 'trailing-bytes'));
  it('gives message-too-large over 64 MiB', () => expectError(new Uint8Array(64 * 1024 * 1024 + 1), 'message-too-large'));

  it('never throws on random bytes', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const codes = new Set<string>();
    for (let i = 0; i < 20_000; i += 1) {
      const bytes = Uint8Array.from({ length: random() % 120 }, random);
      if (bytes.length > 2) bytes.set([1, 1 + (bytes[1]! & 1)]);
      if (bytes.length > 21) bytes.set([0, 0, 0, bytes[21]! & 3], 18);
      const result = decodeSyncMessage(bytes);
      if (!result.ok) codes.add(result.error);
    }
    expect(codes.size).toBeGreaterThanOrEqual(3);
  });
});
