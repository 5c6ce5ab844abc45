import { ready } from '../../crypto/index.js';
import { ChunkedDataChannel, type HearthMessageEvent } from '../../src/sync/chunkedDataChannel.js';
import { decodeVenueCode, describeSdp, encodeVenueCode, offerRefOf, venueSdp, type VenueCode } from '../../src/sync/venueCode.js';
import { decodeVenueMessage, encodeVenueMessage, type VenueMessage } from '../../src/sync/venueMessages.js';
import { assert } from '../assert.js';

/** Venue tests' shared pieces: a hand-made venue peer on a real RTCPeerConnection, and waiting. */

export async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a proof on one connection is bound to: the signer's certificate, the verifier's, the verifier's nonce. */
export interface Binding {
  mine: Uint8Array;
  theirs: Uint8Array;
  nonce: Uint8Array;
}

/**
 * A peer under the test's control answering `offer` (host candidates, no ICE servers): it
 * sends a fixed challenge when the channel opens, records every message it receives, and on the
 * host's challenge sends what `onChallenge` makes of the connection's binding (nothing: null).
 */
export async function craftedPeer(offerBytes: Uint8Array, onChallenge: (binding: Binding) => VenueMessage | null) {
  await ready();
  const decoded = decodeVenueCode(offerBytes);
  assert(decoded.ok && decoded.code.kind === 'offer', 'not an offer');
  const offer = decoded.code;
  const pc = new RTCPeerConnection({ iceServers: [] });
  const channel = new ChunkedDataChannel(pc.createDataChannel('hearth-venue', { negotiated: true, id: 0 }));
  const received: VenueMessage[] = [];
  let fingerprint: Uint8Array = new Uint8Array();
  const peer = {
    received,
    open: () => channel.readyState === 'open',
    send: (message: VenueMessage) => channel.sendHearth(encodeVenueMessage(message)),
    close: () => pc.close(),
    answer: new Uint8Array() as Uint8Array,
    binding: undefined as Binding | undefined,
  };
  channel.addEventListener('open', () => peer.send({ type: 'challenge', nonce: new Uint8Array(32).fill(9) }));
  channel.addEventListener('hearthmessage', (event) => {
    const message = decodeVenueMessage((event as HearthMessageEvent).data);
    if (!message.ok) return;
    received.push(message.message);
    if (message.message.type === 'challenge') {
      peer.binding = { mine: fingerprint, theirs: offer.fingerprint, nonce: message.message.nonce };
      const reply = onChallenge(peer.binding);
      if (reply) peer.send(reply);
    }
  });
  await pc.setRemoteDescription({ type: 'offer', sdp: venueSdp(offer, 'offer') });
  await pc.setLocalDescription();
  await until('ICE gathering', () => pc.iceGatheringState === 'complete', 1000).catch(() => undefined);
  const description = describeSdp(pc.localDescription!.sdp)!;
  fingerprint = description.fingerprint;
  const answer: VenueCode = { kind: 'answer', groupTag: offer.groupTag, offerRef: offerRefOf(offer.fingerprint), ...description };
  peer.answer = encodeVenueCode(answer);
  return peer;
}
