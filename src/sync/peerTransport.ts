import { ObservableV2 } from 'lib0/observable';
import type { ConnectionBinding } from './roomProof.js';

/**
 * The network as the envelope sync sees it: links to other devices that appear and disappear,
 * each carrying whole binary messages in order. Where a link came from (a WebRTC peer of
 * y-webrtc's mesh, another tab of this profile, a venue link) is the transport's business.
 */
export interface PeerTransport {
  /** The links open now. */
  links(): PeerLink[];
  on<E extends keyof PeerTransportEvents>(event: E, listener: PeerTransportEvents[E]): void;
  off<E extends keyof PeerTransportEvents>(event: E, listener: PeerTransportEvents[E]): void;
}

export type PeerTransportEvents = {
  /** A new link is open and may be sent to. */
  link: (link: PeerLink) => void;
};

export type PeerLinkEvents = {
  /** A whole message from the peer: hostile until checked. */
  message: (message: Uint8Array) => void;
  /** The link is gone, from either side; it fires once, and nothing is delivered after it. */
  close: () => void;
};

export interface PeerLink {
  /** For diagnostics and logs only; unique within its transport. */
  readonly id: string;
  readonly open: boolean;
  /** Sends one message; a no-op once closed. Never throws. */
  send(message: Uint8Array): void;
  /** Closes the link; the transport may open a new one to the same device later. */
  close(): void;
  /** The connection's two ends by their DTLS certificates, where the link is one WebRTC connection (room proofs, §13.1). */
  binding?(): ConnectionBinding | undefined;
  on<E extends keyof PeerLinkEvents>(event: E, listener: PeerLinkEvents[E]): void;
  off<E extends keyof PeerLinkEvents>(event: E, listener: PeerLinkEvents[E]): void;
}

/**
 * The link every transport hands out: the transport supplies how to send and how to close the
 * underlying connection, and calls `deliver` and `closed` as things happen to it.
 */
export class TransportLink extends ObservableV2<PeerLinkEvents> implements PeerLink {
  private isOpen = true;

  constructor(
    readonly id: string,
    private readonly io: { send(message: Uint8Array): void; close(): void; binding?(): ConnectionBinding | undefined },
  ) {
    super();
  }

  binding(): ConnectionBinding | undefined {
    return this.io.binding?.();
  }

  get open(): boolean {
    return this.isOpen;
  }

  send(message: Uint8Array): void {
    if (!this.isOpen) return;
    try {
      this.io.send(message);
    } catch {
      this.close();
    }
  }

  close(): void {
    if (!this.isOpen) return;
    try {
      this.io.close();
    } catch {
      // Already closing underneath: the link is gone either way.
    }
    this.closed();
  }

  /** The transport got a message for this link. */
  deliver(message: Uint8Array): void {
    if (this.isOpen) this.emit('message', [message]);
  }

  /** The underlying connection is gone. */
  closed(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.emit('close', []);
    super.destroy();
  }
}

/** The transport side every implementation shares: the open links and the `link` event. */
export class LinkRegistry extends ObservableV2<PeerTransportEvents> implements PeerTransport {
  private readonly openLinks = new Set<TransportLink>();

  links(): PeerLink[] {
    return [...this.openLinks];
  }

  /** Announces a new link and forgets it once closed. */
  add(link: TransportLink): void {
    this.openLinks.add(link);
    link.on('close', () => this.openLinks.delete(link));
    this.emit('link', [link]);
  }

  /** Closes every link. */
  closeAll(): void {
    for (const link of [...this.openLinks]) link.close();
  }
}
