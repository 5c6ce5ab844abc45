import '../../components/board/hearth-board.js';
import { assert } from '../assert.js';
import { cleanup, mount } from './dom.js';
import { ANA, BEN, CAL, boardScreen, postView, reply } from './fixtures.js';

/**
 * A phone-sized board of seven posts, measured. Main (e7e65bd, before the calmer board) measured
 * 4,862 px for exactly this fixture at 360 px wide: this test's own layout run once on that
 * commit in this worktree (`npx web-test-runner test/components/boardHeight.browser.test.ts`).
 * The "seven posts make a 4,600 px page" agrees. The calmer board must be under half.
 */
const MAIN_HEIGHT_PX = 4862;

function sevenPosts() {
  const bodies = [
    'Day three without a drink. Hard, but I called Ana and we walked around the block twice.',
    'Thirty days today! Thank you all for showing up on Tuesdays.',
    'About the relapse last week. I want to talk about it on Tuesday.',
    'You are not alone. Whatever today looks like, you can come back to this group.',
    'Went to the cinema with my sister instead of the pub. Small thing, big deal.',
    'Slept through the night for the first time in a month.',
    'I found the breathing exercise from last week useful when the craving hit at work.',
  ];
  const authors = [BEN, ANA, CAL, BEN, CAL, ANA, BEN];
  return bodies.map((body, i) => {
    const post = postView({ authorId: authors[i]!, kind: i === 1 ? 'victory' : i === 3 ? 'encouragement' : 'story', body });
    post.replies.push(reply(post.record.id, authors[(i + 1) % 7]!, 'Thank you for sharing this.'));
    return post;
  });
}

describe('the board on a phone', () => {
  afterEach(cleanup);

  it('shows seven posts in under half the height it took on main', async () => {
    const el = document.createElement('hearth-board');
    el.board = boardScreen({ posts: sevenPosts() });
    await mount(el, '360px');
    const height = Math.round(el.getBoundingClientRect().height);
    console.log(`board of 7 posts at 360 px: ${height} px (main: ${MAIN_HEIGHT_PX} px)`);
    assert(height < MAIN_HEIGHT_PX / 2, `board is ${height} px tall; main measured ${MAIN_HEIGHT_PX} px`);
  });
});
