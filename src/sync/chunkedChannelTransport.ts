import type { ChunkedDataChannel, HearthMessageEvent } from './chunkedDataChannel.js';
import { LinkRegistry, TransportLink } from './peerTransport.js';
import { bindingOfPeerConnection } from './roomProof.js';

/**
 * The Hearth side of the WebRTC peer connections y-webrtc makes: each chunked data channel
 * (handed over by `chunkedWrtc({ onChannel })`) is a link while it is open, bound to its
 * connection's certificates when the peer connection is given.
 */
export class ChunkedChannelTransport extends LinkRegistry {
  private nextId = 0;

  adopt(channel: ChunkedDataChannel, pc?: RTCPeerConnection): void {
    const link = new TransportLink(`webrtc-${this.nextId++}`, {
      send: (message) => channel.sendHearth(message),
      close: () => channel.close(),
      binding: () => (pc ? bindingOfPeerConnection(pc) : undefined),
    });
    channel.addEventListener('hearthmessage', (event) => link.deliver((event as HearthMessageEvent).data));
    channel.addEventListener('close', () => link.closed());
    if (channel.readyState === 'open') this.add(link);
    else if (channel.readyState === 'connecting') channel.addEventListener('open', () => this.add(link), { once: true });
  }
}
