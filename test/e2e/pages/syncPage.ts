import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import { createDeviceIdentity, fromHex, ready, toBase64Url } from '../../../crypto/index.js';
import { Board } from '../../../src/model/index.js';
import { chunkedChannelStats } from '../../../src/sync/chunkedDataChannel.js';
import { chunkedWrtc } from '../../../src/sync/chunkedWrtc.js';
import { CiphertextLog, LOG_ROOT } from '../../../src/sync/ciphertextLog.js';
import { loadSyncConfig } from '../../../src/sync/config.js';
import { GroupKeyring } from '../../../src/log/keyring.js';
import { GroupSession, type PresentMember, type SyncStatus } from '../../../src/sync/groupSession.js';

/**
 * A member's device without the UI: the real board, ciphertext log and GroupSession, driven by
 * Playwright through `window.hearthTest`. Signaling comes from the real config loader
 * (`./config.json`, overridden by `?signaling=`). Secrets arrive through evaluate(), never the URL.
 */

export interface JoinOptions {
  groupIdHex: string;
  secretHex: string;
  displayName: string;
  /** Written into the board as the group's info record (so tests can look for it on the wire). */
  groupName?: string;
  /** Default true; false builds a board before meeting anyone (no sync traffic while building). */
  connect?: boolean;
}

export interface PostSummary {
  id: string;
  body: string;
  verified: boolean;
  replies: { body: string; verified: boolean }[];
}

interface Member {
  board: Board;
  log: CiphertextLog;
  session: GroupSession;
  identity: ReturnType<typeof createDeviceIdentity>;
  statuses: SyncStatus['state'][];
}

let member: Member | undefined;
let intruder: { provider: WebrtcProvider; doc: Y.Doc } | undefined;

function current(): Member {
  if (!member) throw new Error('call hearthTest.join() first');
  return member;
}

const hearthTest = {
  async join(options: JoinOptions): Promise<{ authorId: string }> {
    await ready();
    const config = await loadSyncConfig();
    const identity = createDeviceIdentity();
    const keyring = new GroupKeyring(fromHex(options.groupIdHex), [{ epoch: 0, secret: fromHex(options.secretHex) }]);
    const boardDoc = new Y.Doc();
    const board = new Board(boardDoc);
    const log = new CiphertextLog({ board: boardDoc, log: new Y.Doc(), keyring, identity });
    const session = new GroupSession({ log, identity, displayName: options.displayName, config });
    const statuses: SyncStatus['state'][] = [session.status.state];
    session.on('status', (status) => statuses.push(status.state));
    member = { board, log, session, identity, statuses };
    board.setMember(identity, options.displayName);
    if (options.groupName) board.setGroupInfo(identity, { name: options.groupName });
    if (options.connect !== false) session.connect();
    return { authorId: toBase64Url(identity.signPublicKey) };
  },

  post(body: string): string {
    const { board, identity } = current();
    return board.addPost(identity, { kind: 'story', body }).id;
  },

  /** Many posts, one envelope each (no compaction): builds a large log quickly. */
  postMany(count: number, prefix: string, bodyLength = 200): { logBytes: number; entries: number } {
    const { board, identity, log } = current();
    for (let i = 0; i < count; i++) {
      board.addPost(identity, { kind: 'story', body: `${prefix} ${i} `.padEnd(bodyLength, '.') });
    }
    return { logBytes: Y.encodeStateAsUpdate(log.log).byteLength, entries: log.length };
  },

  reply(postId: string, body: string): string {
    const { board, identity } = current();
    return board.addReply(identity, postId, body).id;
  },

  posts(): PostSummary[] {
    return current()
      .board.view()
      .posts.map((post) => ({
        id: post.record.id,
        body: post.record.body,
        verified: post.verified,
        replies: post.replies.map((reply) => ({ body: reply.record.body, verified: reply.verified })),
      }));
  },

  postCount(): number {
    return current().board.doc.getMap('posts').size;
  },

  status(): SyncStatus {
    return current().session.status;
  },

  /** Every state the session went through, in order. */
  statusHistory(): SyncStatus['state'][] {
    return [...current().statuses];
  },

  presence(): PresentMember[] {
    return current().session.presence;
  },

  setDisplayName(name: string): void {
    current().session.setDisplayName(name);
  },

  connect(): void {
    current().session.connect();
  },

  disconnect(): void {
    current().session.disconnect();
  },

  stats() {
    const { log, session } = current();
    return {
      log: log.getStats(),
      entries: log.length,
      logBytes: Y.encodeStateAsUpdate(log.log).byteLength,
      chunks: { ...chunkedChannelStats },
      connections: session.connectionInfo(),
    };
  },

  /**
   * A non-member who learned the room name (from the signaling traffic) but not the group secret:
   * y-webrtc on that room with a password of its own guessing, and an empty log doc.
   */
  async intrude(roomName: string, guessedPassword: string): Promise<void> {
    const { signaling, iceServers } = await loadSyncConfig();
    const doc = new Y.Doc();
    const provider = new WebrtcProvider(roomName, doc, {
      signaling,
      password: guessedPassword,
      peerOpts: { wrtc: chunkedWrtc(), config: { iceServers } },
    });
    provider.awareness.setLocalState({ sealed: 'forged' });
    // Forged entries in its log: were a connection to form, members would reject them.
    doc.getArray(LOG_ROOT).push([new Uint8Array([1, 1, 2, 3]), 'plain text entry']);
    intruder = { provider, doc };
  },

  intruderView() {
    if (!intruder) throw new Error('call hearthTest.intrude() first');
    const { provider, doc } = intruder;
    return {
      entries: doc.getArray(LOG_ROOT).length,
      awarenessStates: provider.awareness.getStates().size,
      webrtcConnected: [...(provider.room?.webrtcConns.values() ?? [])].filter((conn) => conn.connected).length,
    };
  },
};

declare global {
  interface Window {
    hearthTest: typeof hearthTest;
  }
}

window.hearthTest = hearthTest;
document.body.dataset.ready = 'true';
