import { ready } from '../../crypto/index.js';
import { AppController } from '../../src/app/controller.js';
import type { AppState, Intent } from '../../src/app/state.js';
import { MAX_PINS } from '../../src/model/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { admitted } from './drive.js';
import { FakeNetwork, testDeps } from './fakes.js';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function send(controller: AppController, ...intents: Intent[]): Promise<AppState> {
  for (const intent of intents) await controller.dispatch(intent);
  await settle();
  return controller.current;
}

/** Ana creates the group (its facilitator); Bo joins from her invite over the fake network. */
async function anaAndBo(): Promise<{ ana: AppController; bo: AppController }> {
  const network = new FakeNetwork();
  const ana = new AppController(testDeps({ network }).deps);
  await ana.start();
  const created = await send(ana, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
  assert(created.route.name === 'board');
  const { invite } = await send(ana, { type: 'navigate', route: { name: 'invite', groupId: created.route.groupId } });
  const bo = new AppController(testDeps({ network, hash: invite!.link.slice(invite!.link.indexOf('#')) }).deps);
  await bo.start();
  await admitted(ana, bo, 'Bo');
  return { ana, bo };
}

const bodies = (state: AppState): string[] =>
  state.board!.posts.map((p) => `${p.record.body}${p.hidden ? ' [hidden]' : ''}${p.pinned ? ' [pinned]' : ''}`);
const idOf = (state: AppState, body: string): string => state.board!.posts.find((p) => p.record.body === body)!.record.id;

describe('moderation intents', () => {
  before(async () => {
    await ready();
  });

  it('lets the creator hide and pin, and tells a member plainly that they cannot', async () => {
    const { ana, bo } = await anaAndBo();
    await send(ana, { type: 'post', kind: 'story', body: 'From Ana.' });
    await send(bo, { type: 'post', kind: 'story', body: 'From Bo.' });
    const onAna = await send(ana);
    assert(onAna.board!.facilitators.has(onAna.profile!.authorId), 'the creator is a facilitator');
    assert(!onAna.board!.facilitators.has((await send(bo)).profile!.authorId), 'a member is not');

    await send(ana, { type: 'hide-post', postId: idOf(onAna, 'From Ana.'), hidden: true }, { type: 'hide-post', postId: idOf(onAna, 'From Bo.'), hidden: true });
    assertDeepEqual(bodies(await send(bo)), ['From Bo. [hidden]']);
    assertDeepEqual(bodies(await send(ana)).sort(), ['From Ana. [hidden]', 'From Bo. [hidden]']);

    await send(ana, { type: 'hide-post', postId: idOf(onAna, 'From Ana.'), hidden: false });
    const refused = await send(bo, { type: 'pin-post', postId: idOf(onAna, 'From Ana.'), pinned: true });
    assertEqual(refused.notice?.message, "Only the group's facilitators can do that.");
    const hideRefused = await send(bo, { type: 'dismiss-notice' }, { type: 'hide-post', postId: idOf(onAna, 'From Ana.'), hidden: true });
    assertEqual(hideRefused.notice?.message, "Only the group's facilitators can do that.");
    assertDeepEqual(bodies(await send(ana)).sort(), ['From Ana.', 'From Bo. [hidden]']);
  });

  it('refuses a fourth pin with a plain notice', async () => {
    const { ana, bo } = await anaAndBo();
    for (const body of ['one', 'two', 'three', 'four']) await send(ana, { type: 'post', kind: 'story', body });
    const state = await send(ana);
    for (const body of ['one', 'two', 'three']) await send(ana, { type: 'pin-post', postId: idOf(state, body), pinned: true });
    assert((await send(ana)).board!.pinsFull, 'the board says the pins are full');
    const fourth = await send(ana, { type: 'pin-post', postId: idOf(state, 'four'), pinned: true });
    assertEqual(fourth.notice?.message, `${MAX_PINS} posts are pinned already. Unpin one first.`);
    assertDeepEqual(bodies(await send(bo)).slice(0, 3).sort(), ['one [pinned]', 'three [pinned]', 'two [pinned]']);
  });

  it('deletes my own post and reply everywhere, refuses someone else’s, and carries a new name', async () => {
    const { ana, bo } = await anaAndBo();
    await send(ana, { type: 'post', kind: 'story', body: 'From Ana.' });
    await send(bo, { type: 'post', kind: 'story', body: 'Second thoughts.' });
    const onBo = await send(bo);
    await send(bo, { type: 'reply', postId: idOf(onBo, 'From Ana.'), body: 'Thank you.' });
    const replyId = (await send(bo)).board!.posts.find((p) => p.record.body === 'From Ana.')!.replies[0]!.record.id;

    const refused = await send(bo, { type: 'delete-post', postId: idOf(onBo, 'From Ana.') });
    assert(refused.notice?.message.startsWith('You can only delete what you wrote'), refused.notice?.message);
    await send(bo, { type: 'dismiss-notice' }, { type: 'delete-post', postId: idOf(onBo, 'Second thoughts.') }, { type: 'delete-reply', replyId });
    const onAna = await send(ana);
    assertDeepEqual(bodies(onAna), ['From Ana.']);
    assertEqual(onAna.board!.posts[0]!.replies.length, 0);

    await send(bo, { type: 'choose-name', displayName: 'Bo B.' });
    const renamed = await send(ana);
    assertEqual(renamed.board!.members.get((await send(bo)).profile!.authorId)?.displayName, 'Bo B.');
  });
});
