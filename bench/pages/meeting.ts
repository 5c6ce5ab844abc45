import * as Y from 'yjs';
import { BENCH_GROUP, benchKeyring, identityFromSeed, postBody, postKind, sharedBoardPosts } from '../shared/fixtures.js';
import { closeStore, delay, freshStore, hearthPeer, hearthPost, hearthViewHolds, plainLink, plainPost, wallNow, within, type HearthPeer, type PlainLink } from './common.js';
import type { HearthStore } from '../../src/store/index.js';

/**
 * A meeting: M members in one room, each in its own page and browser context (so only WebRTC
 * carries the sync). Every member writes its share of P posts at one agreed instant; each
 * reports when its board view holds all P. Hearth: GroupLog on IndexedDB + GroupSession;
 * baseline: plain y-webrtc on one shared doc, the same signed records.
 */

export type MeetingVariant = 'hearth' | 'plain';

interface Member {
  variant: MeetingVariant;
  index: number;
  hearth?: { peer: HearthPeer; store: HearthStore; storeName: string };
  plain?: { link: PlainLink; doc: Y.Doc };
}

let member: Member | undefined;

/** Joins the variant's room; `group` picks a fresh Hearth group (its own room) per run. */
export async function meetingJoin(options: { variant: MeetingVariant; index: number; signaling: string; group: number; plainRoom: string }): Promise<void> {
  if (member) throw new Error('meetingLeave first');
  const identity = identityFromSeed(10 + options.index);
  if (options.variant === 'hearth') {
    const storeName = `bench-meeting-${crypto.randomUUID()}`;
    const store = await freshStore(storeName);
    const peer = await hearthPeer({ keyring: benchKeyring(options.group), identity, store: store.envelopes(BENCH_GROUP), signaling: options.signaling });
    member = { variant: 'hearth', index: options.index, hearth: { peer, store, storeName } };
  } else {
    const doc = new Y.Doc();
    member = { variant: 'plain', index: options.index, plain: { link: plainLink(options.plainRoom, doc, options.signaling, false), doc } };
  }
}

/** Resolves once this member is connected to every other one. */
export async function meetingConnected(options: { peers: number; timeoutMs: number }): Promise<void> {
  if (!member) throw new Error('meetingJoin first');
  const { hearth, plain } = member;
  const linked = hearth ? hearth.peer.linked(options.peers) : plain!.link.connected(options.peers);
  const count = (): number => (hearth ? hearth.peer.session.diagnostics().peers.links : [...(plain!.link.provider.room?.webrtcConns.values() ?? [])].filter((c) => (c as { connected: boolean }).connected).length);
  await within(linked, options.timeoutMs, () => `member ${member!.index}: ${count()} of ${options.peers} peers connected`);
}

/**
 * At `startAt` (machine clock, ms) writes posts `mine` of `total`; resolves with the machine-clock
 * time at which this member's board view held all `total` posts.
 */
export async function meetingRun(options: {
  startAt: number;
  mine: number[];
  total: number;
  timeoutMs: number;
}): Promise<{ doneAt: number; lateStartMs: number; envelopesReceived: number }> {
  if (!member) throw new Error('meetingJoin first');
  const { hearth, plain } = member;
  const identity = identityFromSeed(10 + member.index);
  const holds = hearth
    ? hearthViewHolds(hearth.peer, options.total)
    : (() => {
        // The plain doc holds every member's records: one shared board.
        const posts = plain!.doc.getMap('posts');
        return new Promise<number>((resolve) => {
          const check = (): void => {
            if (posts.size < options.total || sharedBoardPosts(plain!.doc) < options.total) return;
            plain!.doc.off('afterTransaction', check);
            resolve(performance.now());
          };
          plain!.doc.on('afterTransaction', check);
        });
      })();
  await delay(Math.max(0, options.startAt - wallNow()));
  const lateStartMs = wallNow() - options.startAt;
  for (const i of options.mine) {
    const post = { kind: postKind(i), body: postBody(i) };
    if (hearth) await hearthPost(hearth.peer, post);
    else plainPost(plain!.doc, identity, post);
  }
  const doneAtPerf = await within(holds, options.timeoutMs, () => `member ${member!.index}: board incomplete`);
  const envelopesReceived = hearth ? hearth.peer.session.diagnostics().peerCounters.envelopesReceived : 0;
  return { doneAt: performance.timeOrigin + doneAtPerf, lateStartMs, envelopesReceived };
}

export async function meetingLeave(): Promise<void> {
  if (!member) return;
  const { hearth, plain } = member;
  member = undefined;
  if (hearth) {
    hearth.peer.destroy();
    await closeStore(hearth.store, hearth.storeName, true);
  }
  if (plain) {
    plain.link.destroy();
    plain.doc.destroy();
  }
}
