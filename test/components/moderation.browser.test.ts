import '../../components/board/hearth-board.js';
import '../../components/settings/hearth-settings.js';
import '../../components/post/hearth-post.js';
import type { HearthPost } from '../../components/post/hearth-post.js';
import { AUTHOR_COLOURS, authorMark } from '../../src/model/authorMark.js';
import type { PostView } from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { ANA, BEN, CAL, boardScreen, member, members, postView, reply } from './fixtures.js';
import { deepElements, deepText, getByRole, queryAllByRole } from './queries.js';

const MEMBERS = members(member(ANA, 'Ana'), member(BEN, 'Ben'));

async function showPost(post: PostView, fields: Partial<HearthPost> = {}, width = '320px'): Promise<HearthPost> {
  const el = document.createElement('hearth-post');
  Object.assign(el, { post, members: MEMBERS, viewerId: ANA, ...fields });
  return mount(el, width);
}

/** axe in both palettes, at the width the element was mounted with. */
async function expectCleanInBothPalettes(el: HTMLElement, what: string): Promise<void> {
  for (const scheme of ['light', 'dark']) {
    document.documentElement.style.colorScheme = scheme;
    await expectNoAxeViolations(el, `${what} (${scheme})`);
  }
}

function fitsWidth(el: HTMLElement): void {
  const container = el.parentElement!;
  container.style.overflowX = 'auto';
  assert(container.scrollWidth <= container.clientWidth, `${container.scrollWidth}px wide content in ${container.clientWidth}px`);
}

/** Replies and reactions are folded behind their count until opened (a calm board). */
async function openResponses(el: HTMLElement): Promise<void> {
  getByRole(el, 'button', /encouragements? · /).click();
  await settle(el);
}

describe('moderation and identity controls', () => {
  afterEach(cleanup);

  it('gives a facilitator hide and pin, behind one disclosure button, and sends the intents', async () => {
    const post = postView({ authorId: BEN });
    const el = await showPost(post, { facilitator: true });
    const intents = recordIntents(el);
    const toggle = getByRole(el, 'button', 'Post options');
    assertEqual(toggle.getAttribute('aria-expanded'), 'false');
    assertEqual(queryAllByRole(el, 'button', 'Hide for everyone').length, 0, 'closed until asked');
    toggle.click();
    await settle(el);
    assertEqual(toggle.getAttribute('aria-expanded'), 'true');
    getByRole(el, 'button', 'Hide for everyone').click();
    getByRole(el, 'button', 'Pin to the top').click();
    assertDeepEqual(intents, [
      { type: 'hide-post', postId: post.record.id, hidden: true },
      { type: 'pin-post', postId: post.record.id, pinned: true },
    ]);
    assertEqual(queryAllByRole(el, 'button', /^Delete/).length, 0, "no delete on someone else's post");
    fitsWidth(el);
    await expectCleanInBothPalettes(el, 'facilitator options at 320 px');
  });

  it('refuses a fourth pin in the UI and says why', async () => {
    const post = postView({ authorId: BEN });
    const el = await showPost(post, { facilitator: true, pinsFull: true });
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Post options').click();
    await settle(el);
    const pin = getByRole(el, 'button', 'Pin to the top');
    assertEqual(pin.getAttribute('aria-disabled'), 'true');
    pin.click();
    assertDeepEqual(intents, []);
    assert(deepText(el).includes('Three posts are pinned already'), 'the reason is given');
    await expectCleanInBothPalettes(el, 'a refused pin');
  });

  it('marks a hidden and a pinned post, and offers to show or unpin it', async () => {
    const post: PostView = { ...postView({ authorId: BEN }), hidden: true, pinned: true };
    const el = await showPost(post, { facilitator: true });
    const text = deepText(el);
    assert(text.includes('Hidden from members'), 'hidden mark');
    assert(text.includes('Pinned'), 'pinned mark');
    getByRole(el, 'button', 'Post options').click();
    await settle(el);
    getByRole(el, 'button', 'Show to everyone again');
    getByRole(el, 'button', 'Unpin');
    await expectCleanInBothPalettes(el, 'a hidden, pinned post');
  });

  it('shows a member no options on posts that are not theirs', async () => {
    const el = await showPost(postView({ authorId: BEN }));
    assertEqual(queryAllByRole(el, 'button', 'Post options').length, 0);
  });

  it('lets an author delete their post only after confirming, and keep it instead', async () => {
    const post = postView({ authorId: ANA });
    const el = await showPost(post);
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Post options').click();
    await settle(el);
    assertEqual(queryAllByRole(el, 'button', 'Hide for everyone').length, 0, 'members do not hide');
    getByRole(el, 'button', 'Delete my post…').click();
    await settle(el);
    const words = deepText(getByRole(el, 'group', 'Delete this post?')).replace(/\s+/g, ' ');
    assert(words.includes("every member's device"), 'says what a delete does');
    assert(words.includes('may still remember'), 'and what it does not');
    const keep = getByRole(el, 'button', 'Keep it');
    assertEqual(deepElements(el).find((node) => node.shadowRoot?.activeElement === keep) !== undefined, true, 'focus moves to the choice');
    fitsWidth(el);
    await expectCleanInBothPalettes(el, 'the delete confirmation at 320 px');
    keep.click();
    await settle(el);
    getByRole(el, 'button', 'Delete my post…').click();
    await settle(el);
    getByRole(el, 'button', 'Delete post').click();
    assertDeepEqual(intents, [{ type: 'delete-post', postId: post.record.id }]);
  });

  it('lets an author delete their own encouragement, and nobody else’s', async () => {
    const post = postView({ authorId: BEN });
    const mine = reply(post.record.id, ANA, 'Proud of you, Ben.');
    post.replies.push(mine, reply(post.record.id, BEN, 'Thank you.'));
    const el = await showPost(post);
    const intents = recordIntents(el);
    await openResponses(el);
    assertEqual(queryAllByRole(el, 'button', 'Delete my encouragement…').length, 1, 'only on my own');
    getByRole(el, 'button', 'Delete my encouragement…').click();
    await settle(el);
    getByRole(el, 'button', 'Delete encouragement').click();
    assertDeepEqual(intents, [{ type: 'delete-reply', replyId: mine.record.id }]);
  });

  it('tells apart two members with the same name by colour and fingerprint, shown on activation', async () => {
    const sams = members(member(BEN, 'Sam'), member(CAL, 'sam '), member(ANA, 'Ana'));
    const post = postView({ authorId: BEN });
    post.replies.push(reply(post.record.id, CAL, 'Me too.'));
    const el = await showPost(post, { members: sams });
    await openResponses(el);
    const [first, second] = queryAllByRole(el, 'button', /^sam/i);
    assert(first && second, 'both authors are buttons');
    assert(first.textContent!.includes(authorMark(BEN).fingerprint.slice(0, 4)), 'a fingerprint prefix beside a shared name');
    assert(second.textContent!.includes(authorMark(CAL).fingerprint.slice(0, 4)));
    const colour = (button: HTMLElement): string => getComputedStyle(button.querySelector('.dot')!).backgroundColor;
    assert(colour(first) !== colour(second), `two colours: ${colour(first)} / ${colour(second)}`);
    getByRole(el, 'heading', new RegExp(`^Story from Sam ${authorMark(BEN).fingerprint.slice(0, 4)}$`));

    assertEqual(first.getAttribute('aria-expanded'), 'false');
    const shownFingerprints = (): (string | null)[] =>
      deepElements(el)
        .filter((node) => node.id === 'fingerprint' && node.checkVisibility())
        .map((node) => node.textContent);
    assertDeepEqual(shownFingerprints(), [], 'no fingerprint until asked');
    first.click();
    await settle(el);
    assertEqual(first.getAttribute('aria-expanded'), 'true');
    assertDeepEqual(shownFingerprints(), [`key ${authorMark(BEN).fingerprint}`]);
    await expectCleanInBothPalettes(el, 'authors with the same name, one fingerprint open');
  });

  it('puts pinned posts first on the board, and says so', async () => {
    const older: PostView = { ...postView({ authorId: BEN, body: 'Pinned long ago.' }), pinned: true };
    const newer = postView({ authorId: BEN, body: 'Written just now.', createdAt: older.record.createdAt + 3_600_000 });
    const el = document.createElement('hearth-board');
    el.board = boardScreen({ posts: [newer, older] });
    await mount(el, '320px');
    const list = getByRole(el, 'list', 'Posts, pinned first, then newest first');
    const posts = deepElements(list).filter((node): node is HearthPost => node.localName === 'hearth-post');
    assertDeepEqual(posts.map((post) => post.post.record.body), ['Pinned long ago.', 'Written just now.']);
    fitsWidth(el);
    // The board itself has no background of its own (the app gives it one); its posts do.
    await expectCleanInBothPalettes(posts[0]!, 'a pinned post on the board at 320 px');
  });

  it('derives a stable colour and a readable fingerprint from a key', () => {
    const mark = authorMark(BEN);
    assertDeepEqual(authorMark(BEN), mark, 'stable');
    assert(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(mark.fingerprint), mark.fingerprint);
    assert(Number.isInteger(mark.colour) && mark.colour >= 0 && mark.colour < AUTHOR_COLOURS);
    assert(authorMark(ANA).fingerprint !== mark.fingerprint, 'different keys, different fingerprints');
  });

  it('flags a new display name that matches another member’s, and sends the change', async () => {
    const el = document.createElement('hearth-settings');
    const privacy = { autoLockAfterMs: 0, discreet: false, showPresence: true, wipeAfter: null, lock: false, busy: false } as const;
    Object.assign(el, { privacy, displayName: 'Ana', authorId: ANA, otherNames: ['Ben', 'Sam'] });
    await mount(el, '320px');
    assert(deepText(el).includes(`Your key fingerprint is ${authorMark(ANA).fingerprint}`), 'my own fingerprint, to compare in person');
    const intents = recordIntents(el);
    const field = getByRole(el, 'textbox', 'Your name in your groups') as HTMLInputElement;
    assertEqual(field.value, 'Ana');
    type(field, 'SAM');
    await settle(el);
    assert(deepText(el).includes('already goes by that name'), 'flagged while typed');
    fitsWidth(el);
    await expectCleanInBothPalettes(getByRole(el, 'region', 'Your name'), 'the name form with a clash at 320 px');
    getByRole(el, 'button', 'Change name').click();
    type(field, '   ');
    getByRole(el, 'button', 'Change name').click();
    await settle(el);
    assertEqual(field.getAttribute('aria-invalid'), 'true');
    assertDeepEqual(intents, [{ type: 'choose-name', displayName: 'SAM' }]);
  });
});
