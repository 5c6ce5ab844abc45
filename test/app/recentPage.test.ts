import { ready } from '../../crypto/index.js';
import { AppController } from '../../src/app/controller.js';
import { readRecentPage, recentPageKey, RECENT_POSTS } from '../../src/app/recentPage.js';
import type { AppState, Intent } from '../../src/app/state.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { MemoryStore, testDeps } from './fakes.js';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function send(controller: AppController, ...intents: Intent[]): Promise<AppState> {
  for (const intent of intents) await controller.dispatch(intent);
  await settle();
  return controller.current;
}

/** A device that created a group and wrote `count` posts, then closed the app (which saves the recent page). */
async function boardOf(count: number): Promise<{ store: MemoryStore; groupId: string }> {
  const store = new MemoryStore();
  const controller = new AppController(testDeps({ store }).deps);
  await controller.start();
  const state = await send(controller, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
  for (let i = 0; i < count; i++) await controller.dispatch({ type: 'post', kind: 'story', body: `post ${i}` });
  await controller.dispose();
  return { store, groupId: state.board!.group.id };
}

describe('recent page', () => {
  before(async () => {
    await ready();
  });

  it('shows the newest posts from the recent page before the whole board has loaded, then the whole board', async () => {
    const { store, groupId } = await boardOf(RECENT_POSTS + 5);
    const saved = readRecentPage(store.settings.get(recentPageKey(groupId)));
    assertEqual(saved?.posts.length, RECENT_POSTS);
    assertEqual(saved?.total, RECENT_POSTS + 5);

    const app = testDeps({ store });
    const controller = new AppController(app.deps);
    const boards: NonNullable<AppState['board']>[] = [];
    controller.subscribe((state) => {
      if (state.board && boards.at(-1) !== state.board) boards.push(state.board);
    });
    // The chains are read only once the recent page is on screen.
    let boardsWhenChainsRead = -1;
    const envelopes = store.envelopes.bind(store);
    store.envelopes = (id) => {
      boardsWhenChainsRead = boards.length;
      return envelopes(id);
    };
    await controller.start();
    assertEqual(boardsWhenChainsRead, 1);
    const [first, last] = [boards[0]!, boards.at(-1)!];
    assertDeepEqual(first.loading, { shown: RECENT_POSTS, total: RECENT_POSTS + 5 });
    assertEqual(last.loading, undefined);
    // The recent page is the whole board's newest posts, in the same order.
    assertDeepEqual(
      first.posts.map((post) => post.record.body),
      last.posts.slice(0, RECENT_POSTS).map((post) => post.record.body),
    );
    assert(first.posts.every((post) => /^post (\d+)$/.test(post.record.body) && Number(post.record.body.slice(5)) >= 5), 'only the newest');
    assertEqual(last.posts.length, RECENT_POSTS + 5);
    assertEqual(controller.current.route.name, 'board');
  });

  it('drops what is not a record from a recent page: a forged or altered post, reactions out of shape', async () => {
    const { store, groupId } = await boardOf(3);
    const page = structuredClone(store.settings.get(recentPageKey(groupId))) as { posts: Record<string, unknown>[]; members: unknown[] };
    const [newest, middle, oldest] = page.posts as { record: Record<string, unknown>; reactions: Record<string, unknown> }[];
    newest!.record.id = 'x'.repeat(43) + '/forged';
    middle!.reactions['me-too'] = { count: -1, mine: false };
    const read = readRecentPage(page);
    assertDeepEqual(read?.posts.map((post) => post.record.body), [oldest!.record.body]);
    assertEqual(read?.members.size, 1);
    assertEqual(readRecentPage({ v: 2, posts: [], members: [] }), undefined);
    assertEqual(readRecentPage('not a page'), undefined);
  });

  it('forgets the recent page when the person leaves the group', async () => {
    const { store, groupId } = await boardOf(2);
    const controller = new AppController(testDeps({ store }).deps);
    await controller.start();
    await send(controller, { type: 'leave-group', groupId });
    assertEqual(readRecentPage(store.settings.get(recentPageKey(groupId))), undefined);
    assert(controller.current.route.name === 'groups');
  });
});
