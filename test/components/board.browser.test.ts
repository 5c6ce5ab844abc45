import '../../components/board/hearth-board.js';
import type { BoardScreen } from '../../src/app/state.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { GROUP, boardScreen, postView } from './fixtures.js';
import { deepElements, deepText, getByRole, nameOf, queryAllByRole } from './queries.js';

async function showBoard(board: BoardScreen = boardScreen()) {
  const el = document.createElement('hearth-board');
  el.board = board;
  return mount(el);
}

const postHeadings = (el: HTMLElement): string[] =>
  deepElements(el)
    .filter((node) => node.localName === 'hearth-post')
    .map((post) => nameOf(post.shadowRoot!.querySelector('h3')!));

describe('<hearth-board>', () => {
  afterEach(cleanup);

  it('shows the group, the meeting bar, the composer and the posts newest first', async () => {
    const board = boardScreen();
    const el = await showBoard({ ...board, posts: [...board.posts].reverse() });
    getByRole(el, 'heading', 'Tuesday evening circle');
    assert(deepText(el).includes('Substance use'), 'the focus');
    assert(queryAllByRole(el, 'status').some((s) => s.textContent!.trim() === 'Up to date with 2 people'), 'sync status');
    getByRole(el, 'button', 'Write a post…');
    assertDeepEqual(postHeadings(el), ['Encouragement from A member', 'Story from A member', 'Victory from Ana (you)', 'Story from Ben']);
    await expectNoAxeViolations(el, 'the board');
  });

  it('shows the group guidelines on request, behind a visible marker', async () => {
    const el = await showBoard();
    const summary = getByRole(el, 'button', 'Group guidelines');
    const details = summary.parentElement as HTMLDetailsElement;
    assert(!details.open, 'closed at first');
    const marker = getComputedStyle(summary, '::before');
    assertEqual(marker.content, '"▸"');
    assert(marker.display !== 'none', 'the marker shows');
    summary.click();
    assert(details.open, 'opens');
    assert(deepText(details).includes(GROUP.guidelines), 'the guidelines');
  });

  it('filters by kind with pressed toggle buttons', async () => {
    const el = await showBoard();
    const intents = recordIntents(el);
    getByRole(el, 'group', 'Show');
    assertEqual(getByRole(el, 'button', 'All').getAttribute('aria-pressed'), 'true');
    getByRole(el, 'button', 'Victories').click();
    assertDeepEqual(intents, [{ type: 'filter', filter: 'victory' }]);
    el.board = { ...el.board, filter: 'victory' };
    await settle(el);
    assertEqual(getByRole(el, 'button', 'Victories').getAttribute('aria-pressed'), 'true');
    assertEqual(getByRole(el, 'button', 'All').getAttribute('aria-pressed'), 'false');
    assertDeepEqual(postHeadings(el), ['Victory from Ana (you)']);
    getByRole(el, 'button', 'Stories');
    getByRole(el, 'button', 'Encouragements');
  });

  it('tells a newcomer it is catching up with the group rather than showing an empty board', async () => {
    const el = await showBoard(boardScreen({ posts: [], caughtUp: false }));
    const text = deepText(el);
    assert(text.includes('Catching up with the group…'), 'catching up');
    assert(!text.includes('Nothing here yet.'), 'not the empty board');
    await expectNoAxeViolations(el, 'a board catching up');
  });

  it('says kindly when there is nothing to show yet', async () => {
    const el = await showBoard(boardScreen({ posts: [] }));
    assert(deepText(el).includes('Nothing here yet.'), 'empty board copy');
    const filtered = await showBoard(boardScreen({ posts: [postView()], filter: 'victory' }));
    assert(deepText(filtered).includes('No victories yet. Small ones count too.'), 'empty filter copy');
    await expectNoAxeViolations(el, 'an empty board');
  });

  it('leads to the invite and back to the groups', async () => {
    const el = await showBoard();
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Invite someone').click();
    getByRole(el, 'button', 'Your groups').click();
    assertDeepEqual(intents, [
      { type: 'navigate', route: { name: 'invite', groupId: GROUP.id } },
      { type: 'navigate', route: { name: 'groups' } },
    ]);
  });

  it("passes on its children's intents: post, react and reply", async () => {
    const el = await showBoard();
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Write a post…').click();
    await settle(el);
    type(getByRole(el, 'textbox', 'Your post'), 'Hello all');
    getByRole(el, 'button', 'Share').click();
    queryAllByRole(el, 'button', /encouragements? · /)[0]!.click();
    await settle(el);
    queryAllByRole(el, 'button', /^Me too/)[0]!.click();
    const firstPost = el.board.posts[0]!;
    type(queryAllByRole(el, 'textbox', 'Write an encouragement')[0]!, 'Keep going');
    queryAllByRole(el, 'button', 'Send encouragement')[0]!.click();
    assertDeepEqual(intents.filter((intent) => intent.type !== 'save-draft'), [
      { type: 'post', kind: 'story', body: 'Hello all' },
      { type: 'react', postId: firstPost.record.id, reaction: 'me-too' },
      { type: 'reply', postId: firstPost.record.id, body: 'Keep going' },
    ]);
  });

  it('marks my posts that are not yet shared', async () => {
    const el = await showBoard();
    const unshared = deepElements(el).filter((node) => node.localName === 'hearth-post' && node.hasAttribute('unshared'));
    assertEqual(unshared.length, 1);
    assert(deepText(unshared[0]!).includes('Not yet shared'), 'badge');
  });
});
