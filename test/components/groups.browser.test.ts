import '../../components/groups/hearth-groups.js';
import '../../components/create-group/hearth-create-group.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { GROUP } from './fixtures.js';
import { deepText, getByRole, queryAllByRole } from './queries.js';

const FRIDAY = { id: 'h'.repeat(22), name: 'Friday walkers' };

async function groupsView(groups = [GROUP, FRIDAY]) {
  const el = document.createElement('hearth-groups');
  el.groups = groups;
  return mount(el);
}

describe('<hearth-groups>', () => {
  afterEach(cleanup);

  it('lists the groups by name and opens a board', async () => {
    const el = await groupsView();
    const intents = recordIntents(el);
    getByRole(el, 'button', /^Friday walkers/).click();
    assertDeepEqual(intents, [{ type: 'navigate', route: { name: 'board', groupId: FRIDAY.id } }]);
    await expectNoAxeViolations(el, 'the groups list');
  });

  it('leads to the create-group form', async () => {
    const el = await groupsView([]);
    const intents = recordIntents(el);
    assert(deepText(el).includes("You're not in a group yet"), 'no empty-state copy');
    getByRole(el, 'button', 'Create a group').click();
    assertDeepEqual(intents, [{ type: 'navigate', route: { name: 'create-group' } }]);
    await expectNoAxeViolations(el, 'the empty groups list');
  });

  it('opens a pasted invite link, and asks for one when the field is empty', async () => {
    const el = await groupsView();
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Open invite').click();
    await settle(el);
    assertDeepEqual(intents, []);
    assert(deepText(el).includes('Paste the invite link'), 'no message for an empty field');
    const field = getByRole(el, 'textbox', 'Paste an invite link') as HTMLInputElement;
    assertEqual(field.form?.autocomplete, 'off');
    type(field, '  https://hearth.example/#invite=AQID  ');
    getByRole(el, 'button', 'Open invite').click();
    assertDeepEqual(intents, [{ type: 'open-invite', link: 'https://hearth.example/#invite=AQID' }]);
    assertEqual(field.value, '', 'the pasted link stays on screen');
    await expectNoAxeViolations(el, 'the groups list with its join form');
  });

  it('asks before leaving, says the device copy is wiped, and leaves on confirmation', async () => {
    const el = await groupsView();
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Leave group: Tuesday evening circle').click();
    await settle(el);
    const dialog = getByRole(el, 'dialog', 'Leave Tuesday evening circle?');
    assert((dialog as HTMLDialogElement).open, 'the dialog is open');
    assert(deepText(dialog).includes('wiped from this device'), 'the dialog says what leaving wipes');
    assert(deepText(dialog).includes('told you left'), 'the dialog says the others hear of it');
    assertEqual(intents.length, 0, 'nothing happens before confirming');
    await expectNoAxeViolations(el, 'the leave dialog');
    getByRole(el, 'button', 'Leave and wipe').click();
    await settle(el);
    assertDeepEqual(intents, [{ type: 'leave-group', groupId: GROUP.id }]);
    assertEqual(queryAllByRole(el, 'dialog').length, 0, 'the dialog closed');
  });

  it('stays in the group when the confirmation is cancelled', async () => {
    const el = await groupsView();
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Leave group: Friday walkers').click();
    await settle(el);
    getByRole(el, 'button', 'Stay in the group').click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await settle(el);
    assertEqual(queryAllByRole(el, 'dialog').length, 0, 'the dialog closed');
    assertEqual(intents.length, 0);
  });
});

describe('<hearth-create-group>', () => {
  afterEach(cleanup);

  it('creates a group with its name, focus and guidelines', async () => {
    const el = await mount(document.createElement('hearth-create-group'));
    const intents = recordIntents(el);
    type(getByRole(el, 'textbox', 'Group name'), ' Tuesday evening circle ');
    const focus = getByRole(el, 'combobox', 'Focus') as HTMLSelectElement;
    assertDeepEqual(
      Array.from(focus.options).map((o) => o.text),
      ['Not set', 'Substance use', 'Mental health', 'Dual diagnosis', 'Gambling', 'Family and friends', 'Other'],
    );
    focus.value = 'mental-health';
    type(getByRole(el, 'textbox', 'Group guidelines'), 'Be kind.');
    getByRole(el, 'button', 'Create group').click();
    assertDeepEqual(intents, [{ type: 'create-group', name: 'Tuesday evening circle', focus: 'mental-health', guidelines: 'Be kind.' }]);
    await expectNoAxeViolations(el, 'the create-group form');
  });

  it('leaves out focus and guidelines when they are not given', async () => {
    const el = await mount(document.createElement('hearth-create-group'));
    const intents = recordIntents(el);
    type(getByRole(el, 'textbox', 'Group name'), 'Circle');
    getByRole(el, 'button', 'Create group').click();
    assertDeepEqual(intents, [{ type: 'create-group', name: 'Circle' }]);
  });

  it('needs a name of at most 80 characters, said in plain words', async () => {
    const el = await mount(document.createElement('hearth-create-group'));
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Create group').click();
    await settle(el);
    assert(deepText(el).includes('Please give the group a name'), 'no missing-name message');
    type(getByRole(el, 'textbox', 'Group name'), 'n'.repeat(81));
    getByRole(el, 'button', 'Create group').click();
    await settle(el);
    assert(deepText(el).includes('up to 80 characters'), 'no too-long message');
    assertEqual(intents.length, 0);
    await expectNoAxeViolations(el, 'the create-group form with an error');
  });

  it('goes back to the groups on Cancel', async () => {
    const el = await mount(document.createElement('hearth-create-group'));
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Cancel').click();
    assertDeepEqual(intents, [{ type: 'navigate', route: { name: 'groups' } }]);
  });
});
