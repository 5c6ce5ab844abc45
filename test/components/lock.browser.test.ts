import '../../components/lock/hearth-lock.js';
import '../../components/quick-exit/hearth-quick-exit.js';
import '../../components/settings/hearth-settings.js';
import type { PrivacyView } from '../../src/app/state.js';
import { assert, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle } from './dom.js';
import { deepText, getByRole } from './queries.js';

const PRIVACY: PrivacyView = { lock: true, busy: false, autoLockAfterMs: 60_000, discreet: false, showPresence: true, wipeAfter: null };

function press(key: string): void {
  window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
}

describe('<hearth-quick-exit>', () => {
  afterEach(cleanup);

  it('asks to leave when its button is pressed, and covers the page at once', async () => {
    const el = await mount(document.createElement('hearth-quick-exit'));
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Quick exit').click();
    await settle(el);
    assertEqual(intents.map((i) => i.type).join(), 'quick-exit');
    assert(el.shadowRoot!.querySelector('.cover'), 'the page is covered');
  });

  it('asks to leave on Shift pressed three times, but not when capitals are typed in between', async () => {
    const el = await mount(document.createElement('hearth-quick-exit'));
    const intents = recordIntents(el);
    for (const key of ['Shift', 'H', 'Shift', 'W', 'Shift', 'A']) press(key);
    assertEqual(intents.length, 0);
    press('Shift');
    press('Shift');
    assertEqual(intents.length, 0);
    press('Shift');
    assertEqual(intents.map((i) => i.type).join(), 'quick-exit');
  });
});

describe('<hearth-lock>', () => {
  afterEach(cleanup);

  it('asks only for the passphrase, says nothing about groups, and sends it as an unlock', async () => {
    const el = await mount(document.createElement('hearth-lock'));
    const intents = recordIntents(el);
    assertEqual(deepText(el).replace(/\s+/g, ' ').trim(), 'Hearth is locked Passphrase Unlock');
    const field = el.shadowRoot!.querySelector('input')!;
    field.value = 'kettle lantern tuesday moss';
    getByRole(el, 'button', 'Unlock').click();
    assertEqual(JSON.stringify(intents), JSON.stringify([{ type: 'unlock', passphrase: 'kettle lantern tuesday moss' }]));
    assertEqual(field.value, '', 'the field is cleared');
    await expectNoAxeViolations(el, 'the lock screen');
  });
});

describe('<hearth-settings>', () => {
  afterEach(cleanup);

  it('offers lock now, the auto-lock delays, discreet mode, Here now and a confirmed wipe', async () => {
    const el = document.createElement('hearth-settings');
    el.privacy = PRIVACY;
    await mount(el);
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Lock now').click();
    getByRole(el, 'radio', 'Immediately').click();
    getByRole(el, 'checkbox', 'Discreet mode: hide what groups are about').click();
    getByRole(el, 'checkbox', 'Show me in “Here now” during meetings').click();
    await expectNoAxeViolations(el, 'settings');
    getByRole(el, 'button', 'Wipe this device…').click();
    await settle(el);
    await expectNoAxeViolations(el, 'the wipe confirmation');
    getByRole(el, 'button', 'Wipe everything').click();
    assertEqual(
      JSON.stringify(intents),
      JSON.stringify([
        { type: 'lock' },
        { type: 'set-privacy', choices: { autoLockAfterMs: 0 } },
        { type: 'set-privacy', choices: { discreet: true } },
        { type: 'set-privacy', choices: { showPresence: false } },
        { type: 'wipe' },
      ]),
    );
  });
});
