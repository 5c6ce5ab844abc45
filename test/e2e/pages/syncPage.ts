import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import { createDeviceIdentity, fromHex, ready, toBase64Url } from '../../../crypto/index.js';
import { EnvelopeCounter } from '../../../src/log/counter.js';
import { GroupLog } from '../../../src/log/groupLog.js';
import { GroupKeyring } from '../../../src/log/keyring.js';
import { addPost, addReply, boardView, setMember, type BoardView } from '../../../src/model/index.js';
import { chunkedChannelStats } from '../../../src/sync/chunkedDataChannel.js';
import { chunkedWrtc } from '../../../src/sync/chunkedWrtc.js';
import { loadSyncConfig } from '../../../src/sync/config.js';
import { GroupSession, type PresentMember, type SyncStatus } from '../../../src/sync/groupSession.js';
import { MemoryDisk } from '../../fakes/memoryEnvelopeStore.js';

/**
 * A member's device without the UI: the real group log (on an in-memory disk) and GroupSession,
 * driven by Playwright through `window.hearthTest`. Signaling comes from the real config loader
 * (`./config.json`, overridden by `?signaling=` and `?maxConns=`). Secrets arrive through
 * evaluate(), never the URL.
 */

export interface JoinOptions {
  groupIdHex: string;
  secretHex: string;
  displayName: string;
  /** Planted by the tests as a string that must never reach the wire; the page does not write it. */
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
  log: GroupLog;
  session: GroupSession;
  id: string;
  identity: ReturnType<typeof createDeviceIdentity>;
  statuses: SyncStatus['state'][];
}

let member: Member | undefined;
let intruder: { provider: WebrtcProvider; doc: Y.Doc } | undefined;

function current(): Member {
  if (!member) throw new Error('call hearthTest.join() first');
  return member;
}

function view(): BoardView {
  const { log, id } = current();
  return boardView({ authors: () => log.authors(), creatorId: log.creatorId }, id);
}

/** Every envelope this device holds. */
function everything(log: GroupLog): Uint8Array[] {
  return log.heads().flatMap((head) => log.envelopesAfter(head.authorKey, 0));
}

async function written<R>(outcome: Promise<{ ok: true; record: R } | { ok: false; problem: string }>): Promise<R> {
  const result = await outcome;
  if (!result.ok) throw new Error(`write refused: ${result.problem}`);
  return result.record;
}

const hearthTest = {
  async join(options: JoinOptions): Promise<{ authorId: string }> {
    await ready();
    const config = await loadSyncConfig();
    const identity = createDeviceIdentity();
    const groupId = fromHex(options.groupIdHex);
    const keyring = new GroupKeyring(groupId, [{ epoch: 0, secret: fromHex(options.secretHex) }]);
    const log = await GroupLog.open({
      keyring,
      identity,
      store: new MemoryDisk().open(toBase64Url(groupId)),
      creatorId: undefined,
      // One envelope per post, never compacted: postMany builds a large log to sync.
      checkpointAfter: Number.MAX_SAFE_INTEGER,
    });
    const counter = new EnvelopeCounter();
    const session = new GroupSession({ log, keyring, identity, displayName: options.displayName, config, counter });
    const statuses: SyncStatus['state'][] = [session.status.state];
    session.on('status', (status) => statuses.push(status.state));
    const id = toBase64Url(identity.signPublicKey);
    member = { log, session, id, identity, statuses };
    await written(log.write((context) => setMember(context, identity.boxPublicKey, options.displayName)));
    if (options.connect !== false) session.connect();
    return { authorId: id };
  },

  async post(body: string): Promise<string> {
    return (await written(current().log.write((context) => addPost(context, { kind: 'story', body })))).id;
  },

  /** Many posts, one envelope each (no compaction): builds a large log quickly. */
  async postMany(count: number, prefix: string, bodyLength = 200): Promise<{ logBytes: number; entries: number }> {
    const { log } = current();
    for (let i = 0; i < count; i++) {
      await written(log.write((context) => addPost(context, { kind: 'story', body: `${prefix} ${i} `.padEnd(bodyLength, '.') })));
    }
    const envelopes = everything(log);
    return { logBytes: envelopes.reduce((sum, envelope) => sum + envelope.byteLength, 0), entries: envelopes.length };
  },

  async reply(postId: string, body: string): Promise<string> {
    return (await written(current().log.write((context) => addReply(context, postId, body)))).id;
  },

  posts(): PostSummary[] {
    return view().posts.map((post) => ({
      id: post.record.id,
      body: post.record.body,
      verified: post.verified,
      replies: post.replies.map((reply) => ({ body: reply.record.body, verified: reply.verified })),
    }));
  },

  postCount(): number {
    return view().posts.length;
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

  setPresenceVisible(visible: boolean): void {
    current().session.setPresenceVisible(visible);
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
    const envelopes = everything(log);
    return {
      log: log.getStats(),
      entries: envelopes.length,
      logBytes: envelopes.reduce((sum, envelope) => sum + envelope.byteLength, 0),
      chunks: { ...chunkedChannelStats },
      connections: session.diagnostics(),
    };
  },

  /**
   * A non-member who learned the room name (from the signaling traffic) but not the group secret:
   * y-webrtc on that room with a password of its own guessing, and a doc of its own.
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
    // Forged entries in its doc: were a connection to form, members would never apply them.
    doc.getArray('log').push([new Uint8Array([1, 1, 2, 3]), 'plain text entry']);
    intruder = { provider, doc };
  },

  intruderView() {
    if (!intruder) throw new Error('call hearthTest.intrude() first');
    const { provider, doc } = intruder;
    return {
      entries: doc.getArray('log').length,
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
