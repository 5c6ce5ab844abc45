import { html, render } from 'lit';
import * as Y from 'yjs';
import { ready } from '../../crypto/index.js';
import { LAST_GROUP_KEY } from '../../src/app/controller.js';
import { openHearthStore } from '../../src/store/index.js';
import { BENCH_GROUP, BENCH_GROUP_ID, benchKeyring, decodeBase64Url, identityFromSeed } from '../shared/fixtures.js';
import { plainLink, type PlainLink } from './common.js';

/**
 * The phone-class join figure's page, built into the production bundle beside the app (same
 * origin): `seedNewcomer` stores a newcomer's device as the app keeps it once admitted — its
 * keys, the group with its secret, "open this group next" — and no envelope, so opening the app
 * joins the group from a member. The plain baseline is the same stack without Hearth: a Y.Doc
 * over y-webrtc (with Hearth's chunked data channels, since stock y-webrtc cannot carry a board
 * over 256 KiB), every post rendered newest first on each change, as the plain offline page does.
 */

interface PlainPost {
  id: string;
  kind: string;
  body: string;
  createdAt: number;
}

declare global {
  interface Window {
    plainJoin: typeof api;
  }
}

let link: PlainLink | undefined;

function renderBoard(doc: Y.Doc): void {
  const posts = doc.getMap<PlainPost>('posts');
  const list = document.getElementById('list')!;
  const show = (): void => {
    const sorted = [...posts.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    render(
      sorted.map((post) => html`<li><article><h3>${post.kind}</h3><p>${post.body}</p></article></li>`),
      list,
    );
  };
  posts.observe(show);
  show();
}

const api = {
  async seedNewcomer(options: { seed: number; keyringVariant: number }): Promise<void> {
    await ready();
    const opened = await openHearthStore();
    if (!opened.ok) throw new Error(`store: ${opened.error.code}`);
    const store = opened.value;
    const saved = [
      await store.saveDevice({ identity: identityFromSeed(options.seed), displayName: `newcomer ${options.seed}`, createdAt: 0 }),
      await store.saveGroup({
        id: BENCH_GROUP,
        groupId: BENCH_GROUP_ID,
        name: 'Bench circle',
        epochs: [{ epoch: 0, secret: benchKeyring(options.keyringVariant).secret(0)! }],
        joinedAt: 0,
        counter: 0,
        logVersion: 2,
      }),
      await store.setSetting(LAST_GROUP_KEY, BENCH_GROUP),
    ];
    await store.close();
    const failed = saved.find((result) => !result.ok);
    if (failed && !failed.ok) throw new Error(`seed: ${failed.error.code}`);
  },

  /** The plain member: the whole board in one doc, in `room`. */
  hostPlain(options: { update: string; room: string; signaling: string }): void {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, decodeBase64Url(options.update));
    link = plainLink(options.room, doc, options.signaling, true);
  },

  /** The plain newcomer: an empty doc joining `room`, rendering every post as it arrives. */
  joinPlain(options: { room: string; signaling: string }): void {
    const doc = new Y.Doc();
    renderBoard(doc);
    link = plainLink(options.room, doc, options.signaling, true);
  },

  /** Peers whose WebRTC connection is up. */
  peers(): number {
    let count = 0;
    for (const conn of (link?.provider.room?.webrtcConns.values() ?? []) as Iterable<{ connected: boolean }>) if (conn.connected) count++;
    return count;
  },
};

window.plainJoin = api;
