import * as decoding from 'lib0/decoding';

/** y-webrtc's message types (node_modules/y-webrtc/src/y-webrtc.js): only awareness is let through. */
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

/**
 * True for a y-webrtc awareness or query-awareness message. Everything else is held back both
 * ways: y-webrtc applies and rebroadcasts a peer's document-sync messages (type 0), and its
 * decoder throws on a type it does not know. The leading varuint is read as y-webrtc reads it.
 */
export function isAwarenessMessage(message: Uint8Array): boolean {
  if (message.byteLength === 0) return false;
  try {
    const type = decoding.readVarUint(decoding.createDecoder(message));
    return type === MESSAGE_AWARENESS || type === MESSAGE_QUERY_AWARENESS;
  } catch {
    return false;
  }
}
