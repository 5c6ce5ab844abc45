import {
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_MESSAGE_BYTES,
  FrameAssembler,
  splitIntoFrames,
  type AssembledMessage,
  type FrameChannel,
  type FrameError,
  type MessageKind,
} from './frames.js';
import { isAwarenessMessage } from './yWebrtcFilter.js';

/**
 * Frames go to the real channel only while its buffer is under this: enough to keep the link
 * busy, far below the 16 MiB at which Chromium closes a channel whose sends outrun the network.
 */
const HIGH_WATER_BYTES = 1024 * 1024;
/** While frames wait in our queue, the real channel wakes us to refill at this level. */
const REFILL_BELOW_BYTES = 256 * 1024;
/** A peer that stops reading must not make us hold unbounded memory. */
const MAX_QUEUED_BYTES = 2 * DEFAULT_MAX_MESSAGE_BYTES;

/** Why a chunked channel gave up; it closes itself so the peer connection is rebuilt. */
export type ChunkedChannelFailure =
  | 'send-failed' // the real channel's send threw
  | 'not-open' // send on a closing or closed channel
  | 'unsupported-data' // a Blob: it can't be framed synchronously, and nothing here sends one
  | 'message-too-large' // over the receiver's cap, so it would be refused there
  | 'queue-full' // the peer stopped reading
  | 'not-a-frame' // the peer sent a string: it doesn't speak frames
  | FrameError; // the peer sent a frame the assembler rejected

export class ChunkedChannelError extends Error {
  override readonly name = 'ChunkedChannelError';

  // `failure`, not `code`: simple-peer overwrites `code` with its own ERR_DATA_CHANNEL.
  constructor(
    readonly failure: ChunkedChannelFailure,
    options?: { cause?: unknown },
  ) {
    super(`chunked data channel: ${failure}`, options);
  }
}

/** The `error` event: carries `error`, which is what simple-peer reads from an RTCErrorEvent. */
export class ChunkedChannelErrorEvent extends Event {
  readonly message: string;

  constructor(readonly error: Error) {
    super('error');
    this.message = error.message;
  }
}

/** A Hearth message from the peer: never seen by simple-peer or y-webrtc. */
export class HearthMessageEvent extends Event {
  constructor(readonly data: Uint8Array<ArrayBuffer>) {
    super('hearthmessage');
  }
}

export interface ChunkedChannelOptions {
  /**
   * Lets only y-webrtc awareness traffic through channel 0, both ways (./yWebrtcFilter.ts).
   * Off only where a test exercises the framing itself.
   */
  awarenessOnly?: boolean;
  /**
   * Lets nothing of y-webrtc's through channel 0, either way: in a room where this device only
   * lingers (./lingerRoom.ts), it publishes no awareness and relays nobody's.
   */
  hearthOnly?: boolean;
}

export interface ChunkedChannelStats {
  framesSent: number;
  maxFrameBytesSent: number;
  messagesSent: number;
  messagesReceived: number;
  sendErrors: number;
  receiveErrors: number;
  /** y-webrtc messages from peers that were not awareness, dropped before simple-peer. */
  yWebrtcDropped: number;
  /** Our own y-webrtc messages that were not awareness, never sent. */
  yWebrtcWithheld: number;
}

const stats: ChunkedChannelStats = {
  yWebrtcDropped: 0,
  yWebrtcWithheld: 0,
  framesSent: 0,
  maxFrameBytesSent: 0,
  messagesSent: 0,
  messagesReceived: 0,
  sendErrors: 0,
  receiveErrors: 0,
};
/** Totals over every chunked channel in this page, for tests and the connection panel. */
export const chunkedChannelStats: Readonly<ChunkedChannelStats> = stats;

interface QueuedFrame {
  frame: Uint8Array<ArrayBuffer>;
  endsMessage: boolean;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/**
 * An RTCDataChannel whose messages may be any size: each is sent as frames of at most 16 KiB
 * (./frames.ts) over `raw`, which must be ordered and reliable, and delivered whole.
 * A frame lost or reordered all the same is caught by the assembler, which closes the channel.
 *
 * `bufferedAmount` counts the frames still queued here as well as the real channel's buffer,
 * so a caller's own back-pressure (simple-peer's stream writes) sees everything not yet sent,
 * and `bufferedamountlow` fires when that total falls to `bufferedAmountLowThreshold`.
 * A failed send or a rejected incoming frame closes the channel and fires `error`; frames still
 * queued when the channel closes are dropped.
 *
 * The channel carries two kinds of traffic (frame channel byte): what goes through the
 * RTCDataChannel interface is y-webrtc's (simple-peer's), and with `awarenessOnly` only its
 * awareness messages pass, either way; `sendHearth` and `hearthmessage` are Hearth's envelope sync,
 * which simple-peer never sees.
 */
export class ChunkedDataChannel extends EventTarget implements RTCDataChannel {
  binaryType: BinaryType;
  onbufferedamountlow: RTCDataChannel['onbufferedamountlow'] = null;
  onclose: RTCDataChannel['onclose'] = null;
  onclosing: RTCDataChannel['onclosing'] = null;
  onerror: RTCDataChannel['onerror'] = null;
  onmessage: RTCDataChannel['onmessage'] = null;
  onopen: RTCDataChannel['onopen'] = null;

  private readonly raw: RTCDataChannel;
  private readonly awarenessOnly: boolean;
  private readonly hearthOnly: boolean;
  private readonly assembler = new FrameAssembler();
  private queue: QueuedFrame[] = [];
  private queuedBytes = 0;
  private nextMessageId = 0;
  private lowThreshold = 0;
  /** Set when `bufferedAmount` rises over the threshold, so `bufferedamountlow` fires once per fall. */
  private aboveLowThreshold = false;

  constructor(raw: RTCDataChannel, options: ChunkedChannelOptions = {}) {
    super();
    this.raw = raw;
    this.awarenessOnly = options.awarenessOnly ?? true;
    this.hearthOnly = options.hearthOnly ?? false;
    this.binaryType = raw.binaryType;
    raw.binaryType = 'arraybuffer';
    raw.bufferedAmountLowThreshold = this.lowThreshold;

    raw.addEventListener('open', (event) => {
      this.pump();
      this.emit(new Event(event.type), this.onopen);
    });
    raw.addEventListener('message', (event) => this.receive(event));
    raw.addEventListener('bufferedamountlow', () => {
      this.pump();
      if (this.aboveLowThreshold && this.bufferedAmount <= this.lowThreshold) {
        this.aboveLowThreshold = false;
        this.emit(new Event('bufferedamountlow'), this.onbufferedamountlow);
      }
    });
    raw.addEventListener('error', (event) => {
      const error = event.error instanceof Error ? event.error : new Error('data channel error');
      this.emitError(new ChunkedChannelErrorEvent(error));
    });
    raw.addEventListener('closing', (event) => this.emit(new Event(event.type), this.onclosing));
    raw.addEventListener('close', (event) => {
      this.dropQueue();
      this.emit(new Event(event.type), this.onclose);
    });
  }

  get bufferedAmount(): number {
    return this.raw.bufferedAmount + this.queuedBytes;
  }

  get bufferedAmountLowThreshold(): number {
    return this.lowThreshold;
  }

  set bufferedAmountLowThreshold(bytes: number) {
    this.lowThreshold = bytes;
    this.updateRawThreshold();
  }

  get id(): number | null {
    return this.raw.id;
  }
  get label(): string {
    return this.raw.label;
  }
  get maxPacketLifeTime(): number | null {
    return this.raw.maxPacketLifeTime;
  }
  get maxRetransmits(): number | null {
    return this.raw.maxRetransmits;
  }
  get negotiated(): boolean {
    return this.raw.negotiated;
  }
  get ordered(): boolean {
    return this.raw.ordered;
  }
  get protocol(): string {
    return this.raw.protocol;
  }
  get readyState(): RTCDataChannelState {
    return this.raw.readyState;
  }

  /**
   * Queues `data` as frames and sends what the real buffer has room for. Sends made while
   * connecting go out on open. Never throws: a failure fires `error` and closes the channel
   * (y-webrtc swallows what `send` throws, which is how the 256 KiB trap stayed silent).
   */
  send(data: string | Blob | ArrayBuffer | ArrayBufferView): void {
    const message = messageBytes(data);
    if (message && !this.passesYWebrtc(message.kind, message.bytes)) {
      stats.yWebrtcWithheld += 1;
      return;
    }
    this.sendOn('yWebrtc', message);
  }

  private passesYWebrtc(kind: 'binary' | 'text', bytes: Uint8Array): boolean {
    if (this.hearthOnly) return false;
    return !this.awarenessOnly || (kind === 'binary' && isAwarenessMessage(bytes));
  }

  /** Sends a Hearth message; failures are handled as for `send`. */
  sendHearth(message: Uint8Array): void {
    this.sendOn('hearth', { bytes: message, kind: 'binary' });
  }

  private sendOn(channel: FrameChannel, message: { bytes: Uint8Array; kind: MessageKind } | null): void {
    if (this.raw.readyState === 'closing' || this.raw.readyState === 'closed') {
      return this.fail('not-open', 'send');
    }
    if (!message) return this.fail('unsupported-data', 'send');
    if (message.bytes.byteLength > DEFAULT_MAX_MESSAGE_BYTES) {
      return this.fail('message-too-large', 'send');
    }
    if (this.queuedBytes + message.bytes.byteLength > MAX_QUEUED_BYTES) {
      return this.fail('queue-full', 'send');
    }

    const frames = splitIntoFrames(message.bytes, this.nextMessageId, DEFAULT_MAX_FRAME_BYTES, message.kind, channel);
    this.nextMessageId = (this.nextMessageId + 1) >>> 0;
    frames.forEach((frame, index) => {
      this.queue.push({ frame, endsMessage: index === frames.length - 1 });
      this.queuedBytes += frame.byteLength;
    });
    this.pump();
    if (this.bufferedAmount > this.lowThreshold) this.aboveLowThreshold = true;
  }

  close(): void {
    this.dropQueue();
    this.raw.close();
  }

  /** Moves queued frames to the real channel while it is open and under the high-water mark. */
  private pump(): void {
    for (
      let next = this.queue[0];
      next && this.raw.readyState === 'open' && this.raw.bufferedAmount < HIGH_WATER_BYTES;
      next = this.queue[0]
    ) {
      try {
        this.raw.send(next.frame);
      } catch (cause) {
        return this.fail('send-failed', 'send', cause);
      }
      this.queue.shift();
      this.queuedBytes -= next.frame.byteLength;
      stats.framesSent += 1;
      stats.maxFrameBytesSent = Math.max(stats.maxFrameBytesSent, next.frame.byteLength);
      if (next.endsMessage) stats.messagesSent += 1;
    }
    this.updateRawThreshold();
  }

  /**
   * While frames wait, the real channel must wake us to refill; once none wait, it must wake us
   * when the total reaches the caller's threshold, so `bufferedamountlow` can fire.
   */
  private updateRawThreshold(): void {
    this.raw.bufferedAmountLowThreshold = this.queue.length > 0 ? REFILL_BELOW_BYTES : this.lowThreshold;
  }

  private receive(event: MessageEvent): void {
    // A real channel delivers nothing once closing; keep that after a failure closed this one.
    if (this.raw.readyState !== 'open') return;
    if (!(event.data instanceof ArrayBuffer)) return this.fail('not-a-frame', 'receive');
    const result = this.assembler.push(new Uint8Array(event.data));
    if (result === null) return;
    if ('error' in result) return this.fail(result.error, 'receive');
    stats.messagesReceived += 1;
    if (result.channel === 'hearth') {
      // Hearth's sync speaks bytes only; a text message there is not ours and is dropped.
      if (result.kind === 'binary') this.dispatchEvent(new HearthMessageEvent(result.message));
      return;
    }
    if (!this.passesYWebrtc(result.kind, result.message)) {
      stats.yWebrtcDropped += 1;
      return;
    }
    this.emit(new MessageEvent('message', { data: this.deliverable(result) }), this.onmessage);
  }

  private deliverable({ message, kind }: AssembledMessage): string | Blob | ArrayBuffer {
    if (kind === 'text') return textDecoder.decode(message);
    return this.binaryType === 'blob' ? new Blob([message]) : message.buffer;
  }

  private fail(failure: ChunkedChannelFailure, side: 'send' | 'receive', cause?: unknown): void {
    stats[side === 'send' ? 'sendErrors' : 'receiveErrors'] += 1;
    this.close();
    // Events are never dispatched inside the call that caused them, as with a real channel.
    const event = new ChunkedChannelErrorEvent(new ChunkedChannelError(failure, { cause }));
    queueMicrotask(() => this.emitError(event));
  }

  private emitError(event: ChunkedChannelErrorEvent): void {
    // Not every browser can construct an RTCErrorEvent (Firefox); handlers get the same `error`.
    this.emit(event as Event as RTCErrorEvent, this.onerror);
  }

  private emit<E extends Event>(event: E, handler: ((this: RTCDataChannel, event: E) => unknown) | null): void {
    this.dispatchEvent(event);
    handler?.call(this, event);
  }

  private dropQueue(): void {
    this.queue = [];
    this.queuedBytes = 0;
  }
}

function messageBytes(data: string | Blob | ArrayBuffer | ArrayBufferView): { bytes: Uint8Array; kind: MessageKind } | null {
  if (typeof data === 'string') return { bytes: textEncoder.encode(data), kind: 'text' };
  if (data instanceof ArrayBuffer) return { bytes: new Uint8Array(data), kind: 'binary' };
  if (ArrayBuffer.isView(data)) {
    return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), kind: 'binary' };
  }
  return null;
}
