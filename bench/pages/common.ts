import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { chunkedWrtc } from '../../src/sync/chunkedWrtc.js';
import { GroupSession } from '../../src/sync/groupSession.js';
import type { CiphertextLog } from '../../src/sync/ciphertextLog.js';
import type { DeviceIdentity } from '../../crypto/index.js';
import type { BoardView } from '../../src/model/index.js';

/** What a measured sync link is, on either side of a figure. */
export type Transport = 'hearth' | 'plain-chunked' | 'plain-stock';

export const now = (): number => performance.now();

/** A live sync link of either kind, with one way to ask whether a peer is connected. */
export interface Link {
  /** Resolves when the first WebRTC peer is connected. */
  connected: Promise<void>;
  destroy(): void;
}

export function hearthLink(log: CiphertextLog, identity: DeviceIdentity, signaling: string): Link {
  const session = new GroupSession({ log, identity, displayName: 'bench', config: { signaling: [signaling], iceServers: [] } });
  const connected = new Promise<void>((resolve) => {
    session.on('status', (status) => {
      if (status.peers > 0) resolve();
    });
  });
  session.connect();
  return { connected, destroy: () => session.destroy() };
}

/** Plain y-webrtc on an unencrypted doc: stock, or over the same chunked transport Hearth uses. */
export function plainLink(room: string, doc: Y.Doc, signaling: string, chunked: boolean): Link {
  const provider = new WebrtcProvider(room, doc, {
    signaling: [signaling],
    filterBcConns: true,
    peerOpts: chunked ? { wrtc: chunkedWrtc(), config: { iceServers: [] } } : { config: { iceServers: [] } },
  });
  const connected = new Promise<void>((resolve) => {
    // y-webrtc adds its listeners when it makes the connection, so the doc is synced first.
    const watch = (): void => {
      for (const conn of provider.room?.webrtcConns.values() ?? []) {
        if (conn.connected) return resolve();
        conn.peer.once('connect', () => resolve());
      }
    };
    provider.on('peers', watch);
    watch();
  });
  return {
    connected,
    destroy: () => {
      provider.awareness.destroy();
      provider.destroy();
    },
  };
}

/** Counts posts as they land in a board doc; `reached(n)` resolves once there are n. */
export function postCounter(board: Y.Doc): { count(): number; reached(n: number): Promise<number> } {
  const posts = board.getMap('posts');
  let count = posts.size;
  const waiters: { n: number; resolve: (at: number) => void }[] = [];
  posts.observe((event) => {
    for (const change of event.changes.keys.values()) if (change.action === 'add') count++;
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (count >= waiters[i]!.n) waiters.splice(i, 1)[0]!.resolve(now());
    }
  });
  return {
    count: () => count,
    reached: (n) => (count >= n ? Promise.resolve(now()) : new Promise((resolve) => waiters.push({ n, resolve }))),
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Posts a first screen shows; rendering them reads their `verified` flag (a signature check unless vouched for). */
export const FIRST_SCREEN_POSTS = 20;

/** What a first render of the board costs beyond computing the view. */
export function renderFirstScreen(view: BoardView): number {
  let verified = 0;
  for (const post of view.posts.slice(0, FIRST_SCREEN_POSTS)) if (post.verified) verified++;
  return verified;
}
