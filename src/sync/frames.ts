/**
 * Data-channel frame format version 2 (docs/PROTOCOL.md §6): one message becomes one or more
 * frames, sent in order on one ordered, reliable channel. Frames exist because Chromium refuses
 * data-channel messages over 256 KiB and 16 KiB is the size every browser accepts (DESIGN.md,
 * "The 256 KiB trap"). The channel byte splits the traffic below simple-peer: y-webrtc's own
 * messages and Hearth's envelope sync share one data channel and never see each other's.
 *
 * | offset | bytes | field                                                               |
 * |--------|-------|---------------------------------------------------------------------|
 * | 0      | 1     | frame format version = 2                                            |
 * | 1      | 1     | flags: 0x01 first frame, 0x02 last frame, 0x04 text (first only)    |
 * | 2      | 4     | message id, uint32 big-endian; the same on every frame of a message |
 * | 6      | 4     | first frame only: whole message length, uint32 big-endian           |
 * | 10     | 1     | first frame only: channel, 0 = y-webrtc, 1 = Hearth                 |
 * | 6 / 11 | rest  | payload: the next bytes of the message                              |
 *
 * A message of n bytes is a first frame (11-byte header) and as many continuation frames
 * (6-byte header) as it needs; a frame of a message that is one frame long has both flags.
 * Every frame carries at least one payload byte, except the single (first and last) frame of an
 * empty message.
 */
export const FRAME_FORMAT_VERSION = 2;
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024;
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const FLAG_FIRST = 0x01;
const FLAG_LAST = 0x02;
const FLAG_TEXT = 0x04;
const KNOWN_FLAGS = FLAG_FIRST | FLAG_LAST | FLAG_TEXT;
const CONTINUATION_HEADER_BYTES = 6;
const FIRST_HEADER_BYTES = 11;
const MAX_UINT32 = 0xffff_ffff;

/** Whether the message was a string (sent as UTF-8) or bytes. */
export type MessageKind = 'binary' | 'text';

/** Who a message is for: y-webrtc (through simple-peer) or Hearth's envelope sync. */
export const FRAME_CHANNELS = { yWebrtc: 0, hearth: 1 } as const;
export type FrameChannel = keyof typeof FRAME_CHANNELS;
const CHANNEL_BY_CODE = new Map<number, FrameChannel>(
  Object.entries(FRAME_CHANNELS).map(([name, code]) => [code, name as FrameChannel]),
);

/** Stable codes: logs and tests name them. Every one resets the assembler. */
export type FrameError =
  | 'truncated-frame' // shorter than its header
  | 'unsupported-version'
  | 'unknown-flags' // a reserved bit, or the text flag on a continuation frame
  | 'missing-first-frame' // a continuation frame with no message in progress
  | 'interrupted-message' // a first frame while another message is unfinished
  | 'message-id-mismatch' // a continuation frame of a different message
  | 'message-too-large' // declared length over the assembler's cap
  | 'unknown-channel' // a channel byte other than 0 and 1
  | 'empty-frame' // no payload, and not the single frame of an empty message
  | 'length-overflow' // more payload than the declared length
  | 'length-short'; // the last frame came before the declared length

export interface AssembledMessage {
  /** A fresh array that owns its whole buffer, so `message.buffer` is exactly the message. */
  message: Uint8Array<ArrayBuffer>;
  kind: MessageKind;
  channel: FrameChannel;
}

/** A finished message, a rejected frame, or null while a message is still arriving. */
export type AssembleResult = AssembledMessage | { error: FrameError } | null;

/** Splits `message` into frames of at most `maxFrameBytes` bytes each, headers included. */
export function splitIntoFrames(
  message: Uint8Array,
  messageId: number,
  maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
  kind: MessageKind = 'binary',
  channel: FrameChannel = 'yWebrtc',
): Uint8Array<ArrayBuffer>[] {
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes <= FIRST_HEADER_BYTES) {
    throw new RangeError(`maxFrameBytes must be an integer over ${FIRST_HEADER_BYTES}`);
  }
  if (!Number.isInteger(messageId) || messageId < 0 || messageId > MAX_UINT32) {
    throw new RangeError('messageId must be a uint32');
  }
  if (message.byteLength > MAX_UINT32) throw new RangeError('message longer than a uint32 can say');

  const frames: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  do {
    const first = offset === 0;
    const headerBytes = first ? FIRST_HEADER_BYTES : CONTINUATION_HEADER_BYTES;
    const payloadBytes = Math.min(maxFrameBytes - headerBytes, message.byteLength - offset);
    const last = offset + payloadBytes === message.byteLength;
    const frame = new Uint8Array(headerBytes + payloadBytes);
    const view = new DataView(frame.buffer);
    view.setUint8(0, FRAME_FORMAT_VERSION);
    view.setUint8(
      1,
      (first ? FLAG_FIRST : 0) | (last ? FLAG_LAST : 0) | (first && kind === 'text' ? FLAG_TEXT : 0),
    );
    view.setUint32(2, messageId);
    if (first) {
      view.setUint32(6, message.byteLength);
      view.setUint8(10, FRAME_CHANNELS[channel]);
    }
    frame.set(message.subarray(offset, offset + payloadBytes), headerBytes);
    frames.push(frame);
    offset += payloadBytes;
  } while (offset < message.byteLength);
  return frames;
}

interface MessageInProgress {
  id: number;
  kind: MessageKind;
  channel: FrameChannel;
  declaredBytes: number;
  receivedBytes: number;
  payloads: Uint8Array[];
}

/**
 * Reassembles frames received in order. Hostile frames give `{ error }`, never a throw; after an
 * error the unfinished message is dropped and the next first frame starts afresh.
 * Payloads are kept as views of the frames until their message completes: don't reuse frame buffers.
 */
export class FrameAssembler {
  private readonly maxMessageBytes: number;
  private current: MessageInProgress | null = null;

  constructor(options: { maxMessageBytes?: number } = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  push(frame: Uint8Array): AssembleResult {
    const result = this.accept(frame);
    if (result !== null) this.current = null;
    return result;
  }

  private accept(frame: Uint8Array): AssembleResult {
    if (frame.byteLength < CONTINUATION_HEADER_BYTES) return { error: 'truncated-frame' };
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    if (view.getUint8(0) !== FRAME_FORMAT_VERSION) return { error: 'unsupported-version' };
    const flags = view.getUint8(1);
    const first = (flags & FLAG_FIRST) !== 0;
    const last = (flags & FLAG_LAST) !== 0;
    if ((flags & ~KNOWN_FLAGS) !== 0 || (!first && (flags & FLAG_TEXT) !== 0)) {
      return { error: 'unknown-flags' };
    }
    const id = view.getUint32(2);

    let headerBytes = CONTINUATION_HEADER_BYTES;
    if (first) {
      if (this.current) return { error: 'interrupted-message' };
      if (frame.byteLength < FIRST_HEADER_BYTES) return { error: 'truncated-frame' };
      const declaredBytes = view.getUint32(6);
      if (declaredBytes > this.maxMessageBytes) return { error: 'message-too-large' };
      const channel = CHANNEL_BY_CODE.get(view.getUint8(10));
      if (!channel) return { error: 'unknown-channel' };
      const kind = (flags & FLAG_TEXT) !== 0 ? 'text' : 'binary';
      this.current = { id, kind, channel, declaredBytes, receivedBytes: 0, payloads: [] };
      headerBytes = FIRST_HEADER_BYTES;
    } else if (!this.current) {
      return { error: 'missing-first-frame' };
    } else if (id !== this.current.id) {
      return { error: 'message-id-mismatch' };
    }

    const message = this.current;
    const payload = frame.subarray(headerBytes);
    // An empty frame makes no progress; allowing it would let a peer grow `payloads` forever.
    if (payload.byteLength === 0 && !(first && last)) return { error: 'empty-frame' };
    if (message.receivedBytes + payload.byteLength > message.declaredBytes) {
      return { error: 'length-overflow' };
    }
    message.payloads.push(payload);
    message.receivedBytes += payload.byteLength;

    if (!last) return null;
    if (message.receivedBytes !== message.declaredBytes) return { error: 'length-short' };
    return {
      message: concatenate(message.payloads, message.declaredBytes),
      kind: message.kind,
      channel: message.channel,
    };
  }
}

function concatenate(parts: Uint8Array[], totalBytes: number): Uint8Array<ArrayBuffer> {
  const whole = new Uint8Array(totalBytes);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.byteLength;
  }
  return whole;
}
