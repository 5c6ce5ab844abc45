import { ready } from '../../crypto/index.js';
import { watchAutoLock, type AutoLockPage } from '../../src/app/appLock.js';
import { AppController } from '../../src/app/controller.js';
import type { AppState, Intent } from '../../src/app/state.js';
import { testDeps, type TestApp } from './fakes.js';

const PASSPHRASE = 'lanterns over the quiet canal';
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function send(controller: AppController, ...intents: Intent[]): Promise<AppState> {
  for (const intent of intents) await controller.dispatch(intent);
  await settle();
  return controller.current;
}

/** A device with a lock, a name and one group (focus: substance use) open on its board. */
async function lockedDevice(app: TestApp = testDeps()): Promise<AppController> {
  const controller = new AppController(app.deps);
  await controller.start();
  await send(
    controller,
    { type: 'choose-name', displayName: 'Ana', passphrase: PASSPHRASE },
    { type: 'create-group', name: 'Tuesday circle', focus: 'substance-use' },
  );
  return controller;
}

/** Everything the lock screen's state holds, as text: it must not name a group or count one. */
const visible = (state: AppState): string => JSON.stringify(state);

describe('the app lock', () => {
  beforeAll(async () => {
    await ready();
  });

  it('turns the lock on at onboarding before the identity is saved', async () => {
    const app = testDeps();
    const controller = await lockedDevice(app);
    expect(app.store.passphrase).toBe(PASSPHRASE);
    expect(controller.current.privacy?.lock).toBe(true);
    expect(controller.current.route.name).toBe('board');
  });

  it('stays in settings while the lock is turned on, with the open board reopened under the new key', async () => {
    const app = testDeps();
    const controller = new AppController(app.deps);
    await controller.start();
    await send(controller, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
    const state = await send(controller, { type: 'navigate', route: { name: 'settings' } }, { type: 'set-lock', passphrase: PASSPHRASE });
    expect(state.route.name).toBe('settings');
    expect(state.privacy?.lock).toBe(true);
    expect(state.board?.group.name).toBe('Tuesday circle');
    expect(app.sessions).toHaveLength(2);
  });

  it('refuses a passphrase shorter than six characters', async () => {
    const app = testDeps();
    const controller = new AppController(app.deps);
    await controller.start();
    const state = await send(controller, { type: 'choose-name', displayName: 'Ana', passphrase: '12345' });
    expect(app.store.passphrase).toBeUndefined();
    expect(app.store.device).toBeUndefined();
    expect(state.notice?.message).toMatch(/at least 6/);
  });

  it('locks on "Lock now": no board, no groups, no name in state, secret keys zeroed, session gone', async () => {
    const app = testDeps();
    const controller = await lockedDevice(app);
    const identity = app.store.device!.identity;
    const state = await send(controller, { type: 'lock' });
    expect(state.status).toBe('locked');
    expect(visible(state)).not.toMatch(/Tuesday|Ana|substance|groupId/);
    expect(state.groups).toEqual([]);
    expect(identity.signSecretKey.every((byte) => byte === 0)).toBe(true);
    expect(identity.boxSecretKey.every((byte) => byte === 0)).toBe(true);
    expect(app.sessions[0]!.destroyed).toBe(true);
    expect(app.store.closed).toBe(true);
  });

  it('starts on the lock screen when storage is locked, showing nothing about groups', async () => {
    const app = testDeps();
    await lockedDevice(app);
    const relaunched = new AppController(testDeps({ store: app.store }).deps);
    await relaunched.start();
    expect(relaunched.current.status).toBe('locked');
    expect(visible(relaunched.current)).not.toMatch(/Tuesday|Ana|substance/);
  });

  it('does not unlock with a wrong passphrase, makes later tries wait, and unlocks with the right one', async () => {
    const app = testDeps();
    const controller = await lockedDevice(app);
    await send(controller, { type: 'lock' });
    let now = 1_000_000;
    app.deps.now = () => now;
    for (let i = 0; i < 3; i++) {
      const state = await send(controller, { type: 'unlock', passphrase: 'not it at all' });
      expect(state.status).toBe('locked');
      expect(state.notice?.message).toMatch(/didn't open/);
    }
    expect(app.guard.failures).toBe(3);
    const waiting = await send(controller, { type: 'unlock', passphrase: PASSPHRASE });
    expect(waiting.status).toBe('locked');
    expect(waiting.notice?.message).toMatch(/wait 1 seconds/);
    now += 1000;
    const open = await send(controller, { type: 'unlock', passphrase: PASSPHRASE });
    expect(open.status).toBe('ready');
    expect(open.route.name).toBe('board');
    expect(open.board?.group.name).toBe('Tuesday circle');
    expect(app.guard.failures).toBe(0);
  });

  it('wipes after the chosen number of wrong passphrases, and never by default', async () => {
    const app = testDeps();
    const controller = await lockedDevice(app);
    await send(controller, { type: 'lock' });
    let now = 0;
    app.deps.now = () => (now += 600_000);
    for (let i = 0; i < 12; i++) await send(controller, { type: 'unlock', passphrase: 'wrong guess' });
    expect(app.wiped).toBe(0);

    const chosen = testDeps();
    const second = await lockedDevice(chosen);
    await send(second, { type: 'set-privacy', choices: { wipeAfter: 3 } });
    await send(second, { type: 'lock' });
    chosen.deps.now = () => (now += 600_000);
    for (let i = 0; i < 3; i++) await send(second, { type: 'unlock', passphrase: 'wrong guess' });
    expect(chosen.wiped).toBe(1);
    expect(second.current.status).toBe('wiped');
  });

  it('quick exit leaves the page at once and locks when a lock is set', async () => {
    const app = testDeps();
    const controller = await lockedDevice(app);
    const leaving = controller.dispatch({ type: 'quick-exit' });
    expect(app.left).toBe(1);
    await leaving;
    expect(controller.current.status).toBe('locked');
  });

  it('quick exit without a lock leaves the page and keeps nothing on screen locked', async () => {
    const app = testDeps();
    const controller = new AppController(app.deps);
    await controller.start();
    await send(controller, { type: 'choose-name', displayName: 'Bo' }, { type: 'quick-exit' });
    expect(app.left).toBe(1);
    expect(controller.current.status).toBe('ready');
  });

  it('turns the lock off from settings', async () => {
    const app = testDeps();
    const controller = await lockedDevice(app);
    const state = await send(controller, { type: 'remove-lock' });
    expect(app.store.passphrase).toBeUndefined();
    expect(state.privacy?.lock).toBe(false);
    expect((await send(controller, { type: 'lock' })).status).toBe('ready');
  });

  it('hides focus labels in discreet mode', async () => {
    const app = testDeps();
    const controller = await lockedDevice(app);
    expect(controller.current.board?.group.focus).toBe('substance-use');
    const state = await send(controller, { type: 'set-privacy', choices: { discreet: true } });
    expect(state.board?.group.focus).toBeUndefined();
    expect(state.groups[0]!.focus).toBeUndefined();
    expect(app.store.settings.get('discreet')).toBe(true);
  });

  it('lists other devices only in "Here now", and stops announcing this one when the person opts out', async () => {
    const app = testDeps();
    const controller = await lockedDevice(app);
    const session = app.sessions[0]!;
    const me = controller.current.profile!.authorId;
    session.setPresence([
      { authorId: me, displayName: 'Ana', since: 1 },
      { authorId: 'other', displayName: 'Bo', since: 2 },
    ]);
    await settle();
    expect(controller.current.board?.presence.map((m) => m.displayName)).toEqual(['Bo']);
    expect(session.presenceVisible).toBe(true);
    await send(controller, { type: 'set-privacy', choices: { showPresence: false } });
    expect(session.presenceVisible).toBe(false);
    expect(app.store.settings.get('showPresence')).toBe(false);
  });
});

/** A page whose visibility and clock the test drives. */
function fakePage(): AutoLockPage & { hide(): void; show(): void; advance(ms: number): void } {
  let hidden = false;
  let now = 0;
  const listeners = new Set<() => void>();
  const timers = new Set<{ at: number; task: () => void }>();
  return {
    get hidden() {
      return hidden;
    },
    onVisibilityChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setTimer: (task, ms) => {
      const timer = { at: now + ms, task };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    now: () => now,
    hide() {
      hidden = true;
      listeners.forEach((listener) => listener());
    },
    show() {
      hidden = false;
      listeners.forEach((listener) => listener());
    },
    advance(ms) {
      now += ms;
      for (const timer of [...timers]) if (timer.at <= now) (timers.delete(timer), timer.task());
    },
  };
}

describe('auto-lock', () => {
  for (const [label, delay] of [['immediately', 0], ['after 1 minute', 60_000], ['after 5 minutes', 300_000]] as const) {
    it(`locks ${label} of being hidden, and not before`, () => {
      const page = fakePage();
      let locks = 0;
      watchAutoLock(page, { delayMs: () => delay, lock: () => locks++ });
      page.hide();
      if (delay > 0) {
        page.advance(delay - 1);
        expect(locks).toBe(0);
        page.show();
        expect(locks).toBe(0);
        page.hide();
        page.advance(delay);
      }
      expect(locks).toBe(1);
    });
  }

  it('locks on coming back when a throttled background timer never fired', () => {
    const page = fakePage();
    let locks = 0;
    watchAutoLock(page, { delayMs: () => 60_000, lock: () => locks++ });
    page.hide();
    (page as { now(): number }).now = () => 120_000; // the clock moved, the timer did not run
    page.show();
    expect(locks).toBe(1);
  });

  it('does nothing without a lock', () => {
    const page = fakePage();
    let locks = 0;
    watchAutoLock(page, { delayMs: () => undefined, lock: () => locks++ });
    page.hide();
    page.advance(10 * 60_000);
    page.show();
    expect(locks).toBe(0);
  });
});
