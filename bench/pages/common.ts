import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { DeviceIdentity } from '../../crypto/index.js';
import { EnvelopeCounter } from '../../src/log/counter.js';
import { GroupLog } from '../../src/log/groupLog.js';
import type { GroupKeyring } from '../../src/log/keyring.js';
import type { EnvelopeStorePort } from '../../src/log/ports.js';
import { addPost, authorIdOf, type NewPost, type WriteContext } from '../../src/model/index.js';
import { openHearthStore, type HearthStore } from '../../src/store/index.js';
import { chunkedWrtc } from '../../src/sync/chunkedWrtc.js';
import { GroupSession } from '../../src/sync/groupSession.js';
import { BENCH_GROUP, BENCH_GROUP_ID, hearthPostCount, hearthView, identityFromSeed, plainView, unpackLinks, WRITER_SEED } from '../shared/fixtures.js';

/** What a measured sync link is, on either side of a figure. */
export type Transport = 'hearth' | 'plain-chunked' | 'plain-stock';

export const now = (): number => performance.now();
/** Milliseconds on the machine's clock, comparable between pages (and with node) on one machine. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with `promise`, or rejects after `ms` with `what` in the message. */
export function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what()} (after ${ms} ms)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A fresh IndexedDB database holding this device's store, as the app opens it. */
export async function freshStore(name: string): Promise<HearthStore> {
  const opened = await openHearthStore(name);
  if (!opened.ok) throw new Error(`store ${name}: ${opened.error.code}`);
  return opened.value;
}

/**
 * What the writer's device holds on disk after writing the chain: device, group record,
 * envelopes (and `extra`, before it closes). Returns how many links it stored.
 */
export async function storeWriter(store: HearthStore, keyring: GroupKeyring, packed: string, extra?: (store: HearthStore) => Promise<void>): Promise<number> {
  const saved = [
    await store.saveDevice({ identity: identityFromSeed(WRITER_SEED), displayName: 'bench', createdAt: 0 }),
    await store.saveGroup({
      id: BENCH_GROUP,
      groupId: BENCH_GROUP_ID,
      name: 'Bench circle',
      epochs: [{ epoch: 0, secret: keyring.secret(0)! }],
      joinedAt: 0,
      counter: 0,
      logVersion: 2,
    }),
  ];
  const failed = saved.find((result) => !result.ok);
  if (failed && !failed.ok) throw new Error(`store: ${failed.error.code}`);
  const links = unpackLinks(packed);
  const envelopes = store.envelopes(BENCH_GROUP);
  envelopes.queue(links);
  const flushed = await envelopes.flush();
  if (!flushed.ok) throw new Error(`store: ${flushed.error.code}`);
  await envelopes.close();
  await extra?.(store);
  await store.close();
  return links.length;
}

export async function closeStore(store: HearthStore, name: string, remove: boolean): Promise<void> {
  await store.envelopes(BENCH_GROUP).close();
  await store.close();
  if (!remove) return;
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** A member's device in a group: its log over `store`, and a GroupSession meeting peers over WebRTC. */
export interface HearthPeer {
  log: GroupLog;
  session: GroupSession;
  identity: DeviceIdentity;
  viewerId: string;
  /** Resolves once envelope sync links to `n` peers are open. */
  linked(n: number): Promise<void>;
  destroy(): void;
}

/** A connected GroupSession for `log`, as the app makes one (envelope sync over y-webrtc's peers). */
export function hearthSession(log: GroupLog, keyring: GroupKeyring, identity: DeviceIdentity, signaling: string): GroupSession {
  const session = new GroupSession({ log, keyring, identity, displayName: 'bench', config: { signaling: [signaling], iceServers: [] }, counter: new EnvelopeCounter() });
  session.connect();
  return session;
}

export async function hearthPeer(options: { keyring: GroupKeyring; identity: DeviceIdentity; store: EnvelopeStorePort; signaling: string }): Promise<HearthPeer> {
  const { keyring, identity } = options;
  const log = await GroupLog.open({ keyring, identity, store: options.store, creatorId: undefined });
  const session = hearthSession(log, keyring, identity, options.signaling);
  return {
    log,
    session,
    identity,
    viewerId: authorIdOf(identity),
    linked: (n) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (session.diagnostics().peers.links < n) return;
          session.off('status', check);
          resolve();
        };
        session.on('status', check);
        check();
      }),
    destroy: () => {
      session.destroy();
      log.destroy();
    },
  };
}

/** Writes a post through the log, as the app does: settles once it is on disk and sent. */
export async function hearthPost(peer: HearthPeer, post: NewPost): Promise<void> {
  const written = await peer.log.write((context) => addPost(context, post));
  if (!written.ok) throw new Error(`post refused: ${written.problem}`);
}

/** The same record a Hearth member writes (signed, same fields), set straight into a plain doc. */
export function plainPost(doc: Y.Doc, author: DeviceIdentity, post: NewPost): void {
  const context: WriteContext = { doc, author, now: Date.now(), creatorId: undefined };
  const written = doc.transact(() => addPost(context, post));
  if (!written.ok) throw new Error(`post refused: ${written.problem}`);
}

/** Resolves, with `now()`, once the Hearth log's board view holds `n` posts; checked on every change. */
export function hearthViewHolds(peer: HearthPeer, n: number): Promise<number> {
  return new Promise((resolve) => {
    const check = (): void => {
      // Counting is cheap; the view (what the app renders) is computed once the count is there.
      if (hearthPostCount(peer.log) < n || hearthView(peer.log, peer.viewerId).posts.length < n) return;
      peer.log.off('changed', check);
      resolve(now());
    };
    peer.log.on('changed', check);
    check();
  });
}

/** The same for a plain board: one document whose `posts` map holds the records. */
export function plainViewHolds(doc: Y.Doc, authorId: string, viewerId: string, n: number): Promise<number> {
  const posts = doc.getMap('posts');
  return new Promise((resolve) => {
    const check = (): void => {
      if (posts.size < n || plainView(doc, authorId, viewerId).posts.length < n) return;
      doc.off('afterTransaction', check);
      resolve(now());
    };
    doc.on('afterTransaction', check);
    check();
  });
}

/** Plain y-webrtc on an unencrypted doc: stock, or over the same chunked frames Hearth uses (its document sync let through). */
export interface PlainLink {
  provider: WebrtcProvider;
  /** Resolves once `n` WebRTC peers are connected. */
  connected(n: number): Promise<void>;
  destroy(): void;
}

export function plainLink(room: string, doc: Y.Doc, signaling: string, chunked: boolean): PlainLink {
  const provider = new WebrtcProvider(room, doc, {
    signaling: [signaling],
    filterBcConns: true,
    peerOpts: chunked ? { wrtc: chunkedWrtc({ awarenessOnly: false }), config: { iceServers: [] } } : { config: { iceServers: [] } },
  });
  const connectedPeers = (): number => {
    let count = 0;
    for (const conn of (provider.room?.webrtcConns.values() ?? []) as Iterable<{ connected: boolean }>) if (conn.connected) count++;
    return count;
  };
  return {
    provider,
    connected: (n) =>
      new Promise<void>((resolve) => {
        // simple-peer's 'connect' is not surfaced by y-webrtc except through 'peers' and sync: poll lightly.
        const check = (): void => {
          if (connectedPeers() >= n) resolve();
          else setTimeout(check, 20);
        };
        check();
      }),
    destroy: () => {
      provider.awareness.destroy();
      provider.destroy();
    },
  };
}
