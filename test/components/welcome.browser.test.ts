import '../../components/welcome/hearth-welcome.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { deepText, getByRole } from './queries.js';

describe('<hearth-welcome>', () => {
  afterEach(cleanup);

  it('says what stays private and asks for a display name', async () => {
    const el = await mount(document.createElement('hearth-welcome'));
    getByRole(el, 'heading', 'Welcome to Hearth');
    const text = deepText(el);
    for (const promise of ['No email, no phone number, no account', 'encrypted on your device', 'people in your group see what you post']) {
      assert(text.includes(promise), `missing "${promise}"`);
    }
    getByRole(el, 'textbox', 'Display name');
    await expectNoAxeViolations(el, 'the welcome view');
  });

  it('chooses the trimmed name on Continue', async () => {
    const el = await mount(document.createElement('hearth-welcome'));
    const intents = recordIntents(el);
    type(getByRole(el, 'textbox', 'Display name'), '  River  ');
    getByRole(el, 'button', 'Continue').click();
    assertDeepEqual(intents, [{ type: 'choose-name', displayName: 'River' }]);
  });

  it('explains in plain words when the name is empty or too long, and sends nothing', async () => {
    const el = await mount(document.createElement('hearth-welcome'));
    const intents = recordIntents(el);
    const field = getByRole(el, 'textbox', 'Display name');
    getByRole(el, 'button', 'Continue').click();
    await settle(el);
    assert(deepText(el).includes('Please choose a name'), 'no empty-name message');
    assertEqual(field.getAttribute('aria-invalid'), 'true');
    assertEqual(el.shadowRoot!.activeElement, field, 'focus should return to the field');
    type(field, 'x'.repeat(61));
    getByRole(el, 'button', 'Continue').click();
    await settle(el);
    assert(deepText(el).includes('up to 60 characters'), 'no too-long message');
    assertEqual(intents.length, 0);
    await expectNoAxeViolations(el, 'the welcome view with an error');
    type(field, 'Ana');
    await settle(el);
    assert(!deepText(el).includes('up to 60 characters'), 'the message clears once fixed');
    assertEqual(field.getAttribute('aria-invalid'), 'false');
  });

  it('submits when the form is submitted from the field, as Enter does', async () => {
    const el = await mount(document.createElement('hearth-welcome'));
    const intents = recordIntents(el);
    const field = getByRole(el, 'textbox', 'Display name') as HTMLInputElement;
    type(field, 'Sam');
    field.form!.requestSubmit();
    assertDeepEqual(intents, [{ type: 'choose-name', displayName: 'Sam' }]);
  });
});
