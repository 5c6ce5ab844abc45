import { html, render } from 'lit';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';

/**
 * The plain-Yjs baseline of the phone-class figures: the same stack without Hearth (lit, yjs,
 * y-indexeddb, imported up front as a plain app would), one document holding the same records
 * unencrypted, every post rendered newest first. `#NAME` opens the board in y-indexeddb database NAME; `share(body)` adds a post.
 */

interface PlainPost {
  id: string;
  kind: string;
  body: string;
  createdAt: number;
}

declare global {
  interface Window {
    plainBoard: { share(body: string): void; posts(): number };
  }
}

const doc = new Y.Doc();
const posts = doc.getMap<PlainPost>('posts');
const list = document.getElementById('list')!;
let clock = Date.now();

function show(): void {
  const sorted = [...posts.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  render(
    sorted.map((post) => html`<li><article><h3>${post.kind}</h3><p>${post.body}</p></article></li>`),
    list,
  );
}

// The database comes in the fragment: a query string would miss the service worker's precache.
const database = location.hash.slice(1);
if (database) {
  const persistence = new IndexeddbPersistence(database, doc);
  await persistence.whenSynced;
  show();
  posts.observe(show);
}

window.plainBoard = {
  share(body) {
    const id = `plain/${++clock}`;
    posts.set(id, { id, kind: 'story', body, createdAt: clock });
  },
  posts: () => posts.size,
};
