import { ready } from '../../crypto/index.js';
import { AppController } from '../../src/app/controller.js';
import type { AppState, Intent } from '../../src/app/state.js';
import { VENUE_CODE_MESSAGES } from '../../src/sync/venueCode.js';
import { assert, assertEqual } from '../assert.js';
import { testDeps, type TestApp } from './fakes.js';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function send(controller: AppController, ...intents: Intent[]): Promise<AppState> {
  for (const intent of intents) await controller.dispatch(intent);
  await settle();
  return controller.current;
}

/** Ana with one group, on the venue screen of it. */
async function onVenueScreen(): Promise<{ app: TestApp; controller: AppController; groupId: string; state: AppState }> {
  const app = testDeps();
  const controller = new AppController(app.deps);
  await controller.start();
  const board = await send(controller, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
  assert(board.route.name === 'board');
  const groupId = board.route.groupId;
  const state = await send(controller, { type: 'navigate', route: { name: 'venue', groupId } });
  return { app, controller, groupId, state };
}

describe('meeting without internet, in the app', () => {
  before(async () => {
    await ready();
  });

  it('opens the venue session of the board’s group and closes it on request, back on the board', async () => {
    const { app, controller, groupId, state } = await onVenueScreen();
    assertEqual(state.route.name, 'venue');
    assertEqual(state.venue?.groupName, 'Tuesday circle');
    assertEqual(app.sessions.at(-1)?.venueOpen, true);
    const ended = await send(controller, { type: 'venue-end' });
    assertEqual(ended.venue, undefined);
    assertEqual(app.sessions.at(-1)?.venueOpen, false);
    assert(ended.route.name === 'board' && ended.route.groupId === groupId);
  });

  it('keeps the venue links while the person reads the board', async () => {
    const { app, controller, groupId } = await onVenueScreen();
    const board = await send(controller, { type: 'navigate', route: { name: 'board', groupId } });
    assertEqual(board.route.name, 'board');
    assertEqual(app.sessions.at(-1)?.venueOpen, true);
  });

  it('says in plain words when a pasted or scanned code is not a whole meeting code', async () => {
    const { app, controller } = await onVenueScreen();
    const truncated = await send(controller, { type: 'venue-take-code', text: 'AQEkJqnhtYzi1qJsWcg', from: 'paste' });
    assertEqual(truncated.venue?.message, VENUE_CODE_MESSAGES.truncated);
    const stray = await send(controller, { type: 'venue-take-code', text: 'https://example.org/', from: 'camera' });
    assertEqual(stray.venue?.message, VENUE_CODE_MESSAGES['not-a-code']);
    assert(app.warnings.includes('venue:code-truncated'), app.warnings.join());
  });

  it('passes on the session’s words when no code can be made', async () => {
    const { controller } = await onVenueScreen();
    const state = await send(controller, { type: 'venue-show-code' });
    assertEqual(state.venue?.code, undefined);
    assertEqual(state.venue?.busy, false);
    assert(state.venue?.message?.includes('not on a local network'), state.venue?.message);
  });
});
