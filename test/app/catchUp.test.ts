import { ready } from '../../crypto/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { admitted, send, settle, started, until } from './drive.js';
import { FakeNetwork, testDeps } from './fakes.js';

/** More than the sync's threshold (64 links behind), so a newcomer gets the catch-up page. */
const POSTS = 80;

describe("a newcomer's catch-up", () => {
  before(async () => {
    await ready();
  });

  it('shows the newest posts marked as catching up before the chains are complete, and drops the mark once they are', async () => {
    const network = new FakeNetwork();
    const ana = await started(testDeps({ network }));
    const created = await send(ana, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
    assert(created.route.name === 'board');
    const groupId = created.route.groupId;
    for (let i = 0; i < POSTS; i++) await ana.dispatch({ type: 'post', kind: 'story', body: `Evening ${i}: a small win.` });
    const link = (await send(ana, { type: 'navigate', route: { name: 'invite', groupId } })).invite!.link;
    await send(ana, { type: 'navigate', route: { name: 'board', groupId } });

    // From here the wires between the devices carry nothing until the test steps them.
    network.deliverSoon = () => {};
    const bo = await started(testDeps({ network, hash: link.slice(link.indexOf('#')) }));
    await admitted(ana, bo, 'Bo');
    assertEqual(bo.current.board?.posts.length ?? 0, 0, 'nothing arrived yet');

    let steps = 0;
    while (!bo.current.board?.catchingUp && network.wires.step()) {
      steps++;
      await settle();
    }
    const early = bo.current.board!;
    assert(early.catchingUp !== undefined, `the page arrived (after ${steps} messages)`);
    assert(early.posts.length >= 20 && early.posts.length < POSTS, `a page of the newest posts, not the board (${early.posts.length})`);
    assertEqual(early.members.get(early.posts[0]!.record.authorId)?.displayName, 'Ana', "the writer's name shows");
    assert(early.sync.state !== 'up-to-date', 'the chains are still on their way');

    network.wires.deliverAll();
    await until(() => bo.current.board?.sync.state === 'up-to-date', 'the chains');
    const complete = await send(bo);
    assertEqual(complete.board!.catchingUp, undefined, 'the mark is gone');
    assertEqual(complete.board!.posts.length, POSTS, 'the whole board, from the chains');
    // Posts written in the same millisecond tie on time; the board's own order (newest first) decides.
    assertDeepEqual(
      early.posts.map((p) => p.record.body),
      complete.board!.posts.slice(0, early.posts.length).map((p) => p.record.body),
      'the page showed the newest posts, in the order the whole board shows them',
    );
    await bo.dispose();
    await ana.dispose();
  });

  it('sends no page of older posts to a newcomer when the group keeps its history from newcomers', async () => {
    const network = new FakeNetwork();
    const ana = await started(testDeps({ network }));
    const created = await send(ana, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
    assert(created.route.name === 'board');
    const groupId = created.route.groupId;
    for (let i = 0; i < POSTS; i++) await ana.dispatch({ type: 'post', kind: 'story', body: `Before you came ${i}.` });
    const off = await send(ana, { type: 'set-share-history', on: false });
    assertEqual(off.board!.membership.shareHistory, false);
    const link = (await send(ana, { type: 'navigate', route: { name: 'invite', groupId } })).invite!.link;
    await send(ana, { type: 'navigate', route: { name: 'board', groupId } });

    const bo = await started(testDeps({ network, hash: link.slice(link.indexOf('#')) }));
    await admitted(ana, bo, 'Bo');
    await send(ana, { type: 'post', kind: 'story', body: 'Welcome, Bo.' });
    await until(() => bo.current.board?.posts.some((post) => post.record.body === 'Welcome, Bo.') === true, 'the post written after');
    await until(() => bo.current.board?.sync.state === 'up-to-date', 'up to date, with the older chains it can never read left out');
    const board = (await send(bo)).board!;
    assertEqual(board.catchingUp, undefined, 'no page was shown');
    assertEqual(
      board.posts.filter((post) => post.record.body.startsWith('Before you came')).length,
      0,
      'no post from before the admission, early or late',
    );
    await bo.dispose();
    await ana.dispose();
  });
});
