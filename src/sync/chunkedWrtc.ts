import { ChunkedDataChannel, type ChunkedChannelOptions } from './chunkedDataChannel.js';

/** The `wrtc` option of simple-peer, which y-webrtc passes through from `peerOpts`. */
export interface WrtcImplementation {
  RTCPeerConnection: typeof RTCPeerConnection;
  RTCSessionDescription: typeof RTCSessionDescription;
  RTCIceCandidate: typeof RTCIceCandidate;
}

/** A `datachannel` event whose channel is the chunked wrapper, never the raw channel. */
export class ChunkedDataChannelEvent extends Event implements RTCDataChannelEvent {
  constructor(readonly channel: ChunkedDataChannel) {
    super('datachannel');
  }
}

export interface ChunkedWrtcOptions extends ChunkedChannelOptions {
  /** Called with every chunked channel as it is created (ours) or announced (the peer's), and its connection. */
  onChannel?: (channel: ChunkedDataChannel, pc: RTCPeerConnection) => void;
  base?: WrtcImplementation;
}

/**
 * WebRTC whose data channels carry messages of any size, as ≤ 16 KiB frames (Chromium refuses
 * messages over 256 KiB: DESIGN.md, "The 256 KiB trap"), split into y-webrtc's traffic
 * (awareness only, by default) and Hearth's, which `onChannel` hands to the session.
 * Use: `new WebrtcProvider(room, doc, { peerOpts: { wrtc: chunkedWrtc({ onChannel }), config } })`.
 * Both peers must use it: a plain peer's messages are not frames and close the channel.
 */
export function chunkedWrtc(options: ChunkedWrtcOptions = {}): WrtcImplementation {
  const { onChannel, base = globalThis, ...channelOptions } = options;
  const chunked = (raw: RTCDataChannel, pc: RTCPeerConnection): ChunkedDataChannel => {
    const channel = new ChunkedDataChannel(raw, channelOptions);
    onChannel?.(channel, pc);
    return channel;
  };
  // The DOM types promise these globals; Node and old browsers don't have them.
  if (typeof base.RTCPeerConnection !== 'function') {
    throw new TypeError('chunkedWrtc: no RTCPeerConnection in this environment');
  }

  class ChunkedRTCPeerConnection extends base.RTCPeerConnection {
    private datachannelHandler: RTCPeerConnection['ondatachannel'] = null;
    /** Holds the `datachannel` listeners, so none of them is handed a raw channel. */
    private readonly datachannelListeners = new EventTarget();

    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      super.addEventListener('datachannel', ({ channel }) => {
        const event = new ChunkedDataChannelEvent(chunked(channel, this));
        this.datachannelListeners.dispatchEvent(event);
        this.datachannelHandler?.call(this, event);
      });
    }

    override get ondatachannel(): RTCPeerConnection['ondatachannel'] {
      return this.datachannelHandler;
    }

    override set ondatachannel(handler: RTCPeerConnection['ondatachannel']) {
      this.datachannelHandler = handler;
    }

    override createDataChannel(label: string, init: RTCDataChannelInit = {}): RTCDataChannel {
      if (init.ordered === false || init.maxRetransmits != null || init.maxPacketLifeTime != null) {
        throw new TypeError('chunkedWrtc: frames need an ordered, reliable data channel');
      }
      return chunked(super.createDataChannel(label, init), this);
    }

    override addEventListener(
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | AddEventListenerOptions,
    ): void {
      if (type === 'datachannel') this.datachannelListeners.addEventListener(type, listener, options);
      else super.addEventListener(type, listener, options);
    }

    override removeEventListener(
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | EventListenerOptions,
    ): void {
      if (type === 'datachannel') this.datachannelListeners.removeEventListener(type, listener, options);
      else super.removeEventListener(type, listener, options);
    }
  }

  return {
    RTCPeerConnection: ChunkedRTCPeerConnection,
    RTCSessionDescription: base.RTCSessionDescription,
    RTCIceCandidate: base.RTCIceCandidate,
  };
}
