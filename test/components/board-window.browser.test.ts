import { html } from 'lit';
import '../../components/board/hearth-board.js';
import { WINDOW_MAX, type HearthBoardWindow } from '../../components/board/board-window.js';
import type { PostView } from '../../src/model/board.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, settle } from './dom.js';
import { boardScreen, postView } from './fixtures.js';
import { deepElements, getByRole, queryAllByRole } from './queries.js';

/** `count` posts, newest first, each body naming its place. */
function posts(count: number): PostView[] {
  const list = Array.from({ length: count }, (_, i) => postView({ body: `Post number ${count - i}` }));
  return list.reverse();
}

async function showBoard(list: PostView[]) {
  const el = document.createElement('hearth-board');
  el.board = boardScreen({ posts: list });
  await mount(el);
  const window = el.shadowRoot!.querySelector('hearth-board-window')!;
  return { el, window };
}

const shownIds = (list: HTMLElement): string[] =>
  [...list.shadowRoot!.querySelectorAll('li')].map((li) => li.dataset.key!);

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

describe('<hearth-board-window>', () => {
  afterEach(() => {
    cleanup();
    window.scrollTo(0, 0);
  });

  it('loads older posts as the member scrolls, in order, none skipped or shown twice, with a bounded DOM (10,000 posts)', async () => {
    const all = posts(10_000);
    const ids = all.map((post) => post.record.id);
    // The window alone, each post as a plain article: what is measured is the window, not the post.
    const list = document.createElement('hearth-board-window') as HearthBoardWindow<PostView>;
    list.label = 'Posts, newest first';
    list.items = all;
    list.keyOf = (post) => post.record.id;
    list.renderItem = (post) => html`<article><h3>${post.record.body}</h3><p>A few lines of the post.</p></article>`;
    const el = await mount(list);
    const seen: string[] = [];
    let largest = 0;
    for (let step = 0; step < 20_000 && seen.at(-1) !== ids.at(-1); step++) {
      const shown = shownIds(list);
      // What is shown is always one unbroken run of the board, in order.
      const from = ids.indexOf(shown[0]!);
      assertDeepEqual(shown, ids.slice(from, from + shown.length), `step ${step}`);
      // Each new run starts within or right after what was seen, so nothing is skipped.
      const last = seen.length === 0 ? -1 : ids.indexOf(seen.at(-1)!);
      assert(from <= last + 1, `step ${step}: skipped from ${last} to ${from}`);
      for (const id of shown.slice(Math.max(0, last + 1 - from))) seen.push(id);
      largest = Math.max(largest, list.shadowRoot!.querySelectorAll('article').length);
      window.scrollTo(0, document.scrollingElement!.scrollHeight);
      await nextFrame();
      await settle(el);
    }
    assertDeepEqual(seen, ids);
    assert(largest <= WINDOW_MAX, `at most ${WINDOW_MAX} posts in the DOM at once, saw ${largest}`);
  });

  it('shows newer posts again when the member scrolls back up', async () => {
    const all = posts(400);
    const { el, window: list } = await showBoard(all);
    while (!shownIds(list).includes(all[200]!.record.id)) {
      window.scrollTo(0, document.scrollingElement!.scrollHeight);
      await nextFrame();
      await settle(el);
    }
    for (let step = 0; step < 400 && shownIds(list)[0] !== all[0]!.record.id; step++) {
      window.scrollTo(0, 0);
      await nextFrame();
      await settle(el);
    }
    assertEqual(shownIds(list)[0], all[0]!.record.id);
  });

  it('lets a keyboard user load older posts and moves focus to the first one revealed', async () => {
    const all = posts(120);
    const { el, window: list } = await showBoard(all);
    const before = shownIds(list);
    getByRole(el, 'button', 'Show older posts').click();
    await settle(el);
    const revealed = all[before.length]!.record.id;
    assert(shownIds(list).includes(revealed), 'the next page is shown');
    const focused = list.shadowRoot!.activeElement as HTMLElement | null;
    assertEqual(focused?.dataset.key, revealed);
  });

  it('says the rest of the board is still opening while it shows the recent page', async () => {
    const el = document.createElement('hearth-board');
    el.board = boardScreen({ posts: posts(25), loading: { shown: 25, total: 10_000 } });
    await mount(el);
    assert(queryAllByRole(el, 'status').some((s) => s.textContent!.includes('while the rest of the board opens')));
    el.board = { ...el.board, loading: undefined, posts: posts(30) };
    await settle(el);
    assert(!queryAllByRole(el, 'status').some((s) => s.textContent!.includes('while the rest of the board opens')));
  });

  it('keeps keyboard and screen-reader order the same as the visible order', async () => {
    const all = posts(200);
    const { el, window: list } = await showBoard(all);
    for (let i = 0; i < 3; i++) {
      getByRole(el, 'button', 'Show older posts').click();
      await settle(el);
    }
    // Screen readers: each item says where it is in the whole board, counting down the page.
    const items = [...list.shadowRoot!.querySelectorAll('li')];
    const places = items.map((li) => Number(li.getAttribute('aria-posinset')));
    assertDeepEqual(places, items.map((_, i) => places[0]! + i));
    assert(items.every((li) => li.getAttribute('aria-setsize') === '200'), 'the size of the whole board');
    assertEqual(all[places[0]! - 1]!.record.id, items[0]!.dataset.key);
    // Keyboard: every control in tab order sits at or below the one before it on screen.
    const focusable = deepElements(el).filter(
      (node): node is HTMLElement => node instanceof HTMLElement && node.tabIndex >= 0 && !(node as HTMLButtonElement).disabled && node.checkVisibility(),
    );
    const tops = focusable.map((node) => node.getBoundingClientRect().top);
    for (let i = 1; i < tops.length; i++) assert(tops[i]! >= tops[i - 1]! - 1, `control ${i} (${focusable[i]!.textContent?.trim().slice(0, 30)}) is above the one before it`);
    assert(queryAllByRole(el, 'button', 'Show newer posts').length === 1, 'the way back up is a button too');
    await expectNoAxeViolations(el, 'a windowed board');
  });
});
