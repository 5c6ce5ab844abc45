import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_FRAME_BYTES,
  FrameAssembler,
  splitIntoFrames,
  type AssembleResult,
  type FrameError,
  type MessageKind,
} from '../../src/sync/frames.js';

const KiB = 1024;

/** Deterministic, non-repeating-looking bytes, so a misplaced frame changes the result. */
function patternBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) bytes[i] = (i * 31 + (i >>> 8) * 7) & 0xff;
  return bytes;
}

function assembleAll(assembler: FrameAssembler, frames: Uint8Array[]): AssembleResult[] {
  return frames.map((frame) => assembler.push(frame));
}

/** Byte comparison: toEqual on a 5 MB array takes half a minute. */
function expectMessage(result: AssembleResult | undefined, message: Uint8Array, kind: MessageKind = 'binary'): Uint8Array {
  if (!result || !('message' in result)) throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  expect(result.kind).toBe(kind);
  expect(result.message.byteLength).toBe(message.byteLength);
  expect(Buffer.compare(result.message, message)).toBe(0);
  return result.message;
}

/** A hand-made frame: version, flags, id, then (first frames) the declared length and channel, then payload. */
function frame(options: {
  version?: number;
  flags: number;
  id: number;
  declaredBytes?: number;
  channel?: number;
  payload?: number[];
}): Uint8Array {
  const header = options.declaredBytes === undefined ? 6 : 11;
  const payload = options.payload ?? [];
  const bytes = new Uint8Array(header + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, options.version ?? 2);
  view.setUint8(1, options.flags);
  view.setUint32(2, options.id);
  if (options.declaredBytes !== undefined) {
    view.setUint32(6, options.declaredBytes);
    view.setUint8(10, options.channel ?? 0);
  }
  bytes.set(payload, header);
  return bytes;
}

const FIRST = 0x01;
const LAST = 0x02;
const TEXT = 0x04;

describe('splitIntoFrames and FrameAssembler', () => {
  for (const [name, length] of [
    ['an empty message', 0],
    ['a 1-byte message', 1],
    ['a message of exactly 16 KiB', 16 * KiB],
    ['a message of 16 KiB + 1', 16 * KiB + 1],
    ['a 5 MB message', 5_000_000],
  ] as const) {
    it(`round-trips ${name} in frames of at most 16 KiB`, () => {
      const message = patternBytes(length);
      const frames = splitIntoFrames(message, 7);
      for (const f of frames) expect(f.byteLength).toBeLessThanOrEqual(DEFAULT_MAX_FRAME_BYTES);

      const results = assembleAll(new FrameAssembler(), frames);
      expect(results.slice(0, -1).every((result) => result === null)).toBe(true);
      expectMessage(results.at(-1), message);
    });
  }

  it('uses as few frames as the header sizes allow', () => {
    expect(splitIntoFrames(new Uint8Array(16 * KiB - 11), 0)).toHaveLength(1);
    expect(splitIntoFrames(new Uint8Array(16 * KiB - 10), 0)).toHaveLength(2);
    expect(splitIntoFrames(new Uint8Array(5_000_000), 0)).toHaveLength(Math.ceil((5_000_000 + 5) / (16 * KiB - 6)));
  });

  it('returns a message that owns its whole buffer', () => {
    const [only] = splitIntoFrames(patternBytes(100), 1);
    const message = expectMessage(new FrameAssembler().push(only!), patternBytes(100));
    expect(message.byteOffset).toBe(0);
    expect(message.buffer.byteLength).toBe(100);
  });

  it('marks text messages as text', () => {
    const frames = splitIntoFrames(new TextEncoder().encode('hello'), 2, 12, 'text');
    expect(frames.length).toBeGreaterThan(1);
    expectMessage(assembleAll(new FrameAssembler(), frames).at(-1), new TextEncoder().encode('hello'), 'text');
  });

  it('carries each message\'s channel, y-webrtc by default', () => {
    const assembler = new FrameAssembler();
    const hearth = assembleAll(assembler, splitIntoFrames(patternBytes(40 * KiB), 0, undefined, 'binary', 'hearth')).at(-1);
    expect(hearth && 'channel' in hearth && hearth.channel).toBe('hearth');
    const plain = assembler.push(splitIntoFrames(patternBytes(5), 1)[0]!);
    expect(plain && 'channel' in plain && plain.channel).toBe('yWebrtc');
  });

  it('assembles consecutive messages with their own ids', () => {
    const assembler = new FrameAssembler();
    const first = patternBytes(40 * KiB);
    const second = patternBytes(3);
    expectMessage(assembleAll(assembler, splitIntoFrames(first, 0)).at(-1), first);
    expectMessage(assembleAll(assembler, splitIntoFrames(second, 1)).at(-1), second);
  });

  it('rejects a frame size that leaves no room for payload, and ids beyond uint32', () => {
    expect(() => splitIntoFrames(new Uint8Array(1), 0, 11)).toThrow(RangeError);
    expect(() => splitIntoFrames(new Uint8Array(1), 2 ** 32)).toThrow(RangeError);
    expect(() => splitIntoFrames(new Uint8Array(1), -1)).toThrow(RangeError);
  });
});

describe('FrameAssembler rejects hostile frames with an error code and recovers', () => {
  const twoFrames = (id: number) => splitIntoFrames(patternBytes(30), id, 26);

  const cases: { code: FrameError; when: string; frames: () => Uint8Array[] }[] = [
    { code: 'truncated-frame', when: 'a frame is shorter than 6 bytes', frames: () => [new Uint8Array([2, FIRST | LAST, 0, 0, 0])] },
    {
      code: 'truncated-frame',
      when: 'a first frame is shorter than 11 bytes',
      frames: () => [new Uint8Array([2, FIRST | LAST, 0, 0, 0, 0, 0, 0, 0, 0])],
    },
    {
      code: 'unsupported-version',
      when: 'the version is 1 (frames before the channel byte)',
      frames: () => [frame({ version: 1, flags: FIRST | LAST, id: 0, declaredBytes: 0 })],
    },
    {
      code: 'unknown-channel',
      when: 'the channel byte is 2',
      frames: () => [frame({ flags: FIRST | LAST, id: 0, declaredBytes: 1, channel: 2, payload: [1] })],
    },
    {
      code: 'unknown-channel',
      when: 'the channel byte is 255',
      frames: () => [frame({ flags: FIRST | LAST, id: 0, declaredBytes: 1, channel: 255, payload: [1] })],
    },
    {
      code: 'unknown-flags',
      when: 'a reserved flag is set',
      frames: () => [frame({ flags: FIRST | LAST | 0x80, id: 0, declaredBytes: 0 })],
    },
    {
      code: 'unknown-flags',
      when: 'a continuation frame has the text flag',
      frames: () => [twoFrames(3)[0]!, frame({ flags: LAST | TEXT, id: 3, payload: [1] })],
    },
    { code: 'missing-first-frame', when: 'a continuation frame comes first', frames: () => [twoFrames(3)[1]!] },
    {
      code: 'interrupted-message',
      when: 'a new message starts before the last one ends',
      frames: () => [twoFrames(3)[0]!, twoFrames(4)[0]!],
    },
    {
      code: 'message-id-mismatch',
      when: "a continuation frame carries another message's id",
      frames: () => [twoFrames(3)[0]!, twoFrames(4)[1]!],
    },
    {
      code: 'message-too-large',
      when: 'the declared length is over 64 MiB',
      frames: () => [frame({ flags: FIRST, id: 0, declaredBytes: 64 * KiB * KiB + 1, payload: [1] })],
    },
    {
      code: 'empty-frame',
      when: 'a first frame of a non-empty message has no payload',
      frames: () => [frame({ flags: FIRST, id: 0, declaredBytes: 2 })],
    },
    {
      code: 'empty-frame',
      when: "an empty message's only frame lacks the last flag",
      frames: () => [frame({ flags: FIRST, id: 0, declaredBytes: 0 })],
    },
    {
      code: 'length-overflow',
      when: 'a single frame carries more than its declared length',
      frames: () => [frame({ flags: FIRST | LAST, id: 0, declaredBytes: 1, payload: [1, 2] })],
    },
    {
      code: 'length-overflow',
      when: 'a later frame goes past the declared length',
      frames: () => [
        frame({ flags: FIRST, id: 0, declaredBytes: 2, payload: [1] }),
        frame({ flags: LAST, id: 0, payload: [2, 3] }),
      ],
    },
    {
      code: 'length-short',
      when: 'a single frame carries less than its declared length',
      frames: () => [frame({ flags: FIRST | LAST, id: 0, declaredBytes: 3, payload: [1, 2] })],
    },
    {
      code: 'length-short',
      when: 'the last frame comes before the declared length',
      frames: () => [
        frame({ flags: FIRST, id: 0, declaredBytes: 3, payload: [1] }),
        frame({ flags: LAST, id: 0, payload: [2] }),
      ],
    },
  ];

  for (const { code, when, frames } of cases) {
    it(`gives ${code} when ${when}, then assembles the next message`, () => {
      const assembler = new FrameAssembler();
      const results = assembleAll(assembler, frames());
      expect(results.at(-1)).toEqual({ error: code });
      expect(results.slice(0, -1).every((result) => result === null)).toBe(true);

      const next = patternBytes(20 * KiB);
      expectMessage(assembleAll(assembler, splitIntoFrames(next, 9)).at(-1), next);
    });
  }

  it('honours a smaller message cap', () => {
    const assembler = new FrameAssembler({ maxMessageBytes: 1000 });
    expect(assembler.push(splitIntoFrames(new Uint8Array(1001), 0)[0]!)).toEqual({ error: 'message-too-large' });
    expectMessage(assembler.push(splitIntoFrames(new Uint8Array(1000), 1)[0]!), new Uint8Array(1000));
  });

  it('never throws on random bytes', () => {
    const assembler = new FrameAssembler();
    const codes = new Set<string>();
    let seed = 1;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 10_000; i += 1) {
      const bytes = Uint8Array.from({ length: random() % 24 }, random);
      // Mostly the right version and known flags, to reach the deeper checks.
      if (bytes.length > 1) bytes.set([2, bytes[1]! & 0x07]);
      if (bytes.length > 10) bytes[10] = bytes[10]! & 0x03;
      const result = assembler.push(bytes);
      if (result && 'error' in result) codes.add(result.error);
    }
    expect(codes.size).toBeGreaterThan(5);
  });
});
