import '../../components/post/hearth-post.js';
import type { HearthPost } from '../../components/post/hearth-post.js';
import type { PostView } from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { ANA, BEN, CAL, member, members, postView, reply } from './fixtures.js';
import { deepElements, deepText, getByRole, nameOf, queryAllByRole } from './queries.js';

const MEMBERS = members(member(ANA, 'Ana'), member(BEN, 'Ben'));

async function showPost(post: PostView, fields: Partial<HearthPost> = {}) {
  const el = document.createElement('hearth-post');
  Object.assign(el, { post, members: MEMBERS, viewerId: ANA, ...fields });
  return mount(el);
}

/** Opens the post's reactions and encouragements (collapsed behind their count at first). */
async function openResponses(el: HTMLElement): Promise<void> {
  getByRole(el, 'button', /encouragements? · /).click();
  await settle(el);
}

describe('<hearth-post>', () => {
  afterEach(cleanup);

  it('shows the kind in words and an icon, the author and the time, and no "verified" label', async () => {
    const post = postView({ authorId: BEN, body: 'Called my sponsor instead.' });
    const el = await showPost(post);
    const heading = getByRole(el, 'heading', /^Story from Ben/);
    assert(heading.textContent!.includes('❝'), 'an icon as well as the word');
    const text = deepText(el);
    assert(!/verified/i.test(text), 'no verification words on a post that checked out');
    assert(text.includes('Called my sponsor instead.'), 'the body');
    const time = deepElements(el).find((node) => node.localName === 'time')!;
    assertEqual(time.getAttribute('datetime'), new Date(post.record.createdAt).toISOString());
    await expectNoAxeViolations(el, 'a story');
  });

  it('looks different for each kind, not by colour alone', async () => {
    const seen = new Set<string>();
    for (const kind of ['story', 'encouragement', 'victory'] as const) {
      const el = await showPost(postView({ kind }));
      const article = getByRole(el, 'article');
      seen.add(getComputedStyle(article).borderInlineStartColor);
      const label = { story: 'Story', encouragement: 'Encouragement', victory: 'Victory' }[kind];
      const heading = getByRole(el, 'heading', new RegExp(`^${label} from Ana`));
      assert(/^[❝♥★]/.test(heading.textContent!.trim()), 'an icon beside the word');
      await expectNoAxeViolations(el, `a ${kind}`);
    }
    assertEqual(seen.size, 3, 'three distinct accent colours');
  });

  it('marks posts whose signature did not check out, and unknown authors', async () => {
    const el = await showPost(postView({ authorId: CAL }), { post: postView({ authorId: CAL, verified: false }) });
    getByRole(el, 'heading', /from A member$/);
    assert(deepText(el).includes('Not verified'), 'a clear mark on what failed');
  });

  it("marks the viewer's own post, and one not yet shared", async () => {
    const el = await showPost(postView({ authorId: ANA }), { unshared: true });
    getByRole(el, 'heading', /from Ana \(you\)$/);
    assert(deepText(el).includes('Not yet shared'), 'unshared badge');
  });

  it('hides a post behind its content warning until the button is pressed', async () => {
    const post = postView({ authorId: BEN, body: 'The night I relapsed.', contentWarning: 'relapse' });
    post.replies.push(reply(post.record.id, ANA, 'Thank you for telling us.'));
    const el = await showPost(post);
    const button = getByRole(el, 'button', 'Show post (content warning: relapse)');
    assertEqual(button.getAttribute('aria-expanded'), 'false');
    assert(!deepText(el).includes('The night I relapsed.'), 'body hidden');
    assert(!deepText(el).includes('Thank you for telling us.'), 'replies hidden too');
    await expectNoAxeViolations(el, 'a post behind a content warning');
    button.click();
    await settle(el);
    const shown = getByRole(el, 'button', 'Hide post (content warning: relapse)');
    assertEqual(shown.getAttribute('aria-expanded'), 'true');
    assert(deepText(el).includes('The night I relapsed.'), 'body shown');
    await openResponses(el);
    assert(deepText(el).includes('Thank you for telling us.'), 'replies shown');
    await expectNoAxeViolations(el, 'a revealed post');
  });

  it('keeps my own content-warned post readable to me, naming the warning others see', async () => {
    const el = await showPost(postView({ authorId: ANA, body: 'The night I relapsed.', contentWarning: 'relapse' }));
    assert(deepText(el).includes('The night I relapsed.'), 'my body shown');
    assertEqual(queryAllByRole(el, 'button', /Show post/).length, 0);
    assert(deepText(el).includes('Content warning shown to others: relapse'), 'the warning named');
    await expectNoAxeViolations(el, 'my own warned post');
  });

  it('keeps reactions and encouragements behind one counted button until it is opened', async () => {
    const post = postView({ authorId: BEN });
    post.replies.push(reply(post.record.id, ANA, 'Proud of you, Ben.'));
    const el = await showPost(post);
    const toggle = getByRole(el, 'button', '1 encouragement · 3 reactions');
    assertEqual(toggle.getAttribute('aria-expanded'), 'false');
    assertEqual(queryAllByRole(el, 'button', /^Me too/).length, 0, 'no reaction buttons yet');
    assertEqual(queryAllByRole(el, 'textbox').length, 0, 'no reply box yet');
    assert(!deepText(el).includes('Proud of you, Ben.'), 'replies folded away');
    await expectNoAxeViolations(el, 'a collapsed post');
    toggle.click();
    await settle(el);
    assertEqual(toggle.getAttribute('aria-expanded'), 'true');
    getByRole(el, 'button', 'Me too, 2');
    getByRole(el, 'textbox', 'Write an encouragement');
    assert(deepText(el).includes('Proud of you, Ben.'), 'replies shown');
    await expectNoAxeViolations(el, 'an opened post');
  });

  it('celebrates a victory milestone, and keeps it still when motion is reduced', async () => {
    const el = await showPost(postView({ kind: 'victory', body: 'One month.', milestone: { value: 30, unit: 'days' } }));
    const milestone = el.shadowRoot!.querySelector<HTMLElement>('.milestone')!;
    assertEqual(milestone.textContent!.trim(), '★ 30 days');
    assertEqual(getComputedStyle(milestone).animationName, 'hearth-celebrate');
    el.reducedMotion = true;
    await settle(el);
    assertEqual(getComputedStyle(milestone).animationName, 'none');
    const css = (el.constructor as typeof HTMLElement & { elementStyles: CSSStyleSheet[] | { cssText: string }[] }).elementStyles
      .map((s) => ('cssText' in s ? s.cssText : Array.from((s as CSSStyleSheet).cssRules, (r) => r.cssText).join('')))
      .join('\n');
    assert(/@media \(prefers-reduced-motion: reduce\)\s*{\s*\.milestone\s*{\s*animation: none;?\s*}/.test(css), 'reduced-motion media rule');
  });

  it('toggles reactions, with counts in their accessible names', async () => {
    const post = postView();
    const el = await showPost(post);
    const intents = recordIntents(el);
    await openResponses(el);
    getByRole(el, 'group', 'Reactions');
    const meToo = getByRole(el, 'button', 'Me too, 2');
    assertEqual(meToo.getAttribute('aria-pressed'), 'false');
    assertEqual(getByRole(el, 'button', 'Proud of you, 1').getAttribute('aria-pressed'), 'true');
    getByRole(el, 'button', 'Sending strength, 0').click();
    meToo.click();
    assertDeepEqual(intents, [
      { type: 'react', postId: post.record.id, reaction: 'sending-strength' },
      { type: 'react', postId: post.record.id, reaction: 'me-too' },
    ]);
  });

  it('lists encouragements in reply and sends a new one', async () => {
    const post = postView({ authorId: BEN });
    post.replies.push(reply(post.record.id, ANA, 'Proud of you, Ben.'), reply(post.record.id, CAL, 'Same here.', false));
    const el = await showPost(post);
    const intents = recordIntents(el);
    await openResponses(el);
    getByRole(el, 'heading', 'Encouragements (2)');
    const items = queryAllByRole(el, 'listitem');
    const authorOf = (li: HTMLElement): string => nameOf(getByRole(li, 'button', /^(Ana|A member)/));
    assertDeepEqual(items.map(authorOf), ['Ana (you)', 'A member']);
    assert(deepText(items[0]!).includes('Proud of you, Ben.'), 'the reply');
    assert(deepText(items[1]!).includes('⚠ Not verified'), 'a mark on the one that failed');
    const field = getByRole(el, 'textbox', 'Write an encouragement') as HTMLTextAreaElement;
    getByRole(el, 'button', 'Send encouragement').click();
    await settle(el);
    assert(deepText(el).includes('Write a few words first.'), 'empty reply message');
    type(field, ' You inspire me. ');
    await settle(el);
    assert(!deepText(el).includes('Write a few words first.'), 'the message clears once fixed');
    getByRole(el, 'button', 'Send encouragement').click();
    assertDeepEqual(intents, [{ type: 'reply', postId: post.record.id, body: 'You inspire me.' }]);
    assertEqual(field.value, '', 'the reply field clears');
    await expectNoAxeViolations(el, 'a post with replies');
  });
});
