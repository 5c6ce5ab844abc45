import { ObservableV2 } from 'lib0/observable';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { chunkedWrtc } from './chunkedWrtc.js';
import type { SyncConfig } from './config.js';

/** An awareness state may carry at most this many characters (JSON): sealed offers and welcomes are small. */
export const MAX_RENDEZVOUS_STATE = 32_000;

export type RendezvousEvents = {
  /** The other devices' latest states changed. */
  states: (states: unknown[]) => void;
};

/** What the app needs of a rendezvous (RendezvousSession, or an in-memory pair in tests). */
export interface RendezvousPort {
  publish(state: Record<string, unknown>): void;
  states(): unknown[];
  on(event: 'states', listener: (states: unknown[]) => void): void;
  destroy(): void;
}

/**
 * Where a joiner and a facilitator meet before the joiner is a member: a y-webrtc room whose
 * name and signaling password come from the invite's seed, so only holders of the link can find
 * it. Each side says what it has to say as its awareness state (join request, sealed offer,
 * agreement, sealed welcome); y-webrtc's document sync is held back as in the group's room, and
 * the signaling server sees a room id and encrypted SDP, never what is said.
 */
export class RendezvousSession extends ObservableV2<RendezvousEvents> implements RendezvousPort {
  private readonly provider: WebrtcProvider;

  constructor(room: string, password: string, config: SyncConfig) {
    super();
    this.provider = new WebrtcProvider(room, new Y.Doc(), {
      signaling: [...config.signaling],
      password,
      filterBcConns: true,
      peerOpts: { wrtc: chunkedWrtc(), config: { iceServers: [...config.iceServers] } },
    });
    this.provider.awareness.on('change', this.changed);
  }

  publish(state: Record<string, unknown>): void {
    this.provider.awareness.setLocalState(state);
  }

  states(): unknown[] {
    const own = this.provider.awareness.clientID;
    return [...this.provider.awareness.getStates()]
      .filter(([client, state]) => client !== own && JSON.stringify(state).length <= MAX_RENDEZVOUS_STATE)
      .map(([, state]) => state);
  }

  override destroy(): void {
    this.provider.awareness.off('change', this.changed);
    this.provider.awareness.setLocalState(null);
    this.provider.awareness.destroy();
    this.provider.destroy();
    this.provider.doc.destroy();
    super.destroy();
  }

  private readonly changed = (): void => this.emit('states', [this.states()]);
}

/**
 * Several rendezvous as one, for a facilitator's InviteHost: what it says goes to every one
 * (the signaling room and, at a meeting without internet, the venue's invite links, §12.3);
 * what a joiner says on any reaches it. Ports can join and leave while the invite is open.
 */
export class RendezvousHub implements RendezvousPort {
  private readonly ports = new Set<RendezvousPort>();
  private readonly listeners = new Set<(states: unknown[]) => void>();
  private state: Record<string, unknown> | undefined;

  add(port: RendezvousPort): void {
    this.ports.add(port);
    port.on('states', () => this.ports.has(port) && this.changed());
    if (this.state) port.publish(this.state);
    this.changed();
  }

  remove(port: RendezvousPort): void {
    if (this.ports.delete(port)) port.destroy();
  }

  publish(state: Record<string, unknown>): void {
    this.state = state;
    for (const port of this.ports) port.publish(state);
  }

  states(): unknown[] {
    return [...this.ports].flatMap((port) => port.states());
  }

  on(_event: 'states', listener: (states: unknown[]) => void): void {
    this.listeners.add(listener);
  }

  destroy(): void {
    for (const port of this.ports) port.destroy();
    this.ports.clear();
    this.listeners.clear();
  }

  private changed(): void {
    const states = this.states();
    for (const listener of this.listeners) listener(states);
  }
}
