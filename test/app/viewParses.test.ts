import { ready } from '../../crypto/index.js';
import * as parse from '../../src/model/parse.js';
import { assert, assertEqual } from '../assert.js';
import { send, started } from './drive.js';
import { FakeNetwork, testDeps } from './fakes.js';

/**
 * Every parse of a stored value into a record goes through parseRecord; counting its calls
 * from every module (the board index, the moderation and week views, anything else that reads
 * the board) shows what one change costs the whole screen.
 */
const counted = vi.hoisted(() => ({ parses: 0 }));
vi.mock('../../src/model/parse.js', async (original) => {
  const actual = await original<typeof parse>();
  return {
    ...actual,
    parseRecord: (...args: Parameters<typeof actual.parseRecord>) => {
      counted.parses++;
      return actual.parseRecord(...args);
    },
  };
});

describe('the screen after one change', () => {
  before(async () => {
    await ready();
  });

  it('re-parses one record when one post is shared, across the board, its hides and pins, and the week', async () => {
    const controller = await started(testDeps({ network: new FakeNetwork() }));
    await send(controller, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
    for (let i = 0; i < 40; i++) await send(controller, { type: 'post', kind: 'story', body: `story ${i}` });
    const posts = controller.current.board!.posts;
    // Records of every view beyond the posts: a hide, a pin, a shared check-in, a meeting slot.
    await send(
      controller,
      { type: 'hide-post', postId: posts[3]!.record.id, hidden: true },
      { type: 'pin-post', postId: posts[5]!.record.id, pinned: true },
      { type: 'check-in', mood: 3, note: 'steady', share: true },
      { type: 'set-meeting-slot', slot: { weekday: 2, time: '19:30', timeZone: 'Europe/London', place: 'online' } },
    );
    const before = controller.current.board!;
    assert(before.posts[0]!.pinned && before.week!.slots.length === 1 && before.week!.checkins.length === 1, 'every view holds its record');

    counted.parses = 0;
    const after = (await send(controller, { type: 'post', kind: 'victory', body: 'one more good day' })).board!;
    assertEqual(after.posts[1]!.record.body, 'one more good day', 'the new post shows, under the pinned one');
    assertEqual(after.week!.slots.length, 1);
    assertEqual(counted.parses, 1, 'only the new post was parsed');
  });

  it('rebuilds the board once when one post is shared', async () => {
    const app = testDeps({ network: new FakeNetwork() });
    // A scheduled refresh runs in a later task, as a browser's next frame does.
    app.deps.schedule = (task) => void setTimeout(task, 0);
    const controller = await started(app);
    await send(controller, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
    await send(controller, { type: 'post', kind: 'story', body: 'the first' });
    const boards = new Set<unknown>();
    controller.subscribe((state) => boards.add(state.board));
    boards.clear();
    await send(controller, { type: 'post', kind: 'victory', body: 'one more good day' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assertEqual(controller.current.board!.posts[0]!.record.body, 'one more good day');
    assertEqual(boards.size, 1, 'one new board for one post');
  });
});
