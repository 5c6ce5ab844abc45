import '../../components/group-edit/hearth-group-edit.js';
import '../../components/members/hearth-members.js';
import type { GroupDetails } from '../../components/group-edit/hearth-group-edit.js';
import type { MembershipView } from '../../src/app/state.js';
import { LIMITS } from '../../src/model/schema.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { GROUP, boardScreen } from './fixtures.js';
import { deepText, getByRole, queryAllByRole } from './queries.js';

const DETAILS: GroupDetails = { name: 'Tuesday circle', focus: 'gambling', guidelines: 'What is shared here stays here.' };

/** The page behind the element in each scheme, as <hearth-app> paints it (see app.browser.test.ts). */
function useScheme(el: HTMLElement, scheme: 'light' | 'dark'): void {
  document.documentElement.style.colorScheme = scheme;
  el.parentElement!.style.background = scheme === 'dark' ? 'rgb(27, 22, 19)' : '#ffffff';
}

async function openForm(group: GroupDetails = DETAILS) {
  const el = document.createElement('hearth-group-edit');
  el.group = group;
  const mounted = await mount(el, '320px');
  getByRole(mounted, 'button', 'Edit the group’s name, focus and guidelines').click();
  await settle(mounted);
  return mounted;
}

const field = (el: HTMLElement, role: string, name: string) => getByRole(el, role, name) as HTMLInputElement;

async function membersView(membership: MembershipView) {
  const el = document.createElement('hearth-members');
  Object.assign(el, { membership, groupId: GROUP.id, group: DETAILS });
  const mounted = await mount(el, '320px');
  (mounted.shadowRoot!.querySelector('summary') as HTMLElement).click();
  await settle(mounted);
  return mounted;
}

describe('<hearth-group-edit>', () => {
  afterEach(cleanup);

  it('starts from the group’s details and sends the edited name, focus and guidelines', async () => {
    const el = await openForm();
    const intents = recordIntents(el);
    assertEqual(field(el, 'textbox', 'Group name').value, 'Tuesday circle');
    assertEqual(field(el, 'combobox', 'Focus').value, 'gambling');
    assertEqual(field(el, 'textbox', 'Group guidelines').value, 'What is shared here stays here.');
    type(field(el, 'textbox', 'Group name'), '  Wednesday circle ');
    field(el, 'combobox', 'Focus').value = '';
    type(field(el, 'textbox', 'Group guidelines'), 'Be kind.');
    getByRole(el, 'button', 'Save group details').click();
    assertDeepEqual(intents, [{ type: 'edit-group', name: 'Wednesday circle', guidelines: 'Be kind.' }]);
    assert(!el.shadowRoot!.querySelector('details')!.open, 'the form folds once saved');
  });

  it('refuses an empty name or over-long guidelines with a message by the field, and sends nothing', async () => {
    const el = await openForm();
    const intents = recordIntents(el);
    type(field(el, 'textbox', 'Group name'), '   ');
    getByRole(el, 'button', 'Save group details').click();
    await settle(el);
    assert(deepText(el).includes('Please give the group a name'), 'the name message');
    assertEqual(field(el, 'textbox', 'Group name').getAttribute('aria-invalid'), 'true');
    type(field(el, 'textbox', 'Group name'), 'Tuesday circle');
    type(field(el, 'textbox', 'Group guidelines'), 'x'.repeat(LIMITS.guidelines + 1));
    getByRole(el, 'button', 'Save group details').click();
    await settle(el);
    assert(deepText(el).includes(`up to ${LIMITS.guidelines.toLocaleString('en')} characters`), 'the length message');
    assertDeepEqual(intents, []);
  });

  it('starts again from the group’s details after Cancel', async () => {
    const el = await openForm();
    type(field(el, 'textbox', 'Group name'), 'Something else');
    getByRole(el, 'button', 'Cancel').click();
    await settle(el);
    getByRole(el, 'button', 'Edit the group’s name, focus and guidelines').click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assertEqual(field(el, 'textbox', 'Group name').value, 'Tuesday circle');
  });

  it('has no axe violations, light and dark, at 320 px, and fits the width', async () => {
    const el = await openForm();
    getByRole(el, 'button', 'Save group details');
    for (const scheme of ['light', 'dark'] as const) {
      useScheme(el, scheme);
      await expectNoAxeViolations(el, `the group details form (${scheme})`);
    }
    const container = el.parentElement!;
    container.style.overflowX = 'auto';
    assert(container.scrollWidth <= container.clientWidth, `${container.scrollWidth}px wide content in 320px`);
    type(field(el, 'textbox', 'Group name'), '');
    getByRole(el, 'button', 'Save group details').click();
    await settle(el);
    for (const scheme of ['light', 'dark'] as const) {
      useScheme(el, scheme);
      await expectNoAxeViolations(el, `the group details form with an error (${scheme})`);
    }
  });

  it('is offered in the member list to facilitators only', async () => {
    const facilitator = await membersView(boardScreen().membership);
    assertEqual(queryAllByRole(facilitator, 'button', 'Edit the group’s name, focus and guidelines').length, 1);
    cleanup();
    const member = await membersView({ ...boardScreen().membership, viewerIsFacilitator: false, loneFacilitator: false });
    assertEqual(queryAllByRole(member, 'button', 'Edit the group’s name, focus and guidelines').length, 0);
  });
});

describe('automatic admission in <hearth-members>', () => {
  afterEach(cleanup);

  it('lets a facilitator turn it on with a checkbox that says what it does, clean in light and dark at 320 px', async () => {
    const el = await membersView(boardScreen().membership);
    const intents = recordIntents(el);
    const box = getByRole(el, 'checkbox', 'Let people in without comparing codes') as HTMLInputElement;
    assert(!box.checked, 'off by default');
    assert(deepText(el).includes('New invites then last one hour'), 'says what it does');
    box.click();
    assertDeepEqual(intents, [{ type: 'set-auto-admit', on: true }]);
    for (const scheme of ['light', 'dark'] as const) {
      useScheme(el, scheme);
      await expectNoAxeViolations(el, `the automatic admission choice (${scheme})`);
    }
  });

  it('shows it on when the group has it, and not at all to a member who is not a facilitator', async () => {
    const on = await membersView({ ...boardScreen().membership, autoAdmit: true });
    assert((getByRole(on, 'checkbox', 'Let people in without comparing codes') as HTMLInputElement).checked);
    cleanup();
    const member = await membersView({ ...boardScreen().membership, viewerIsFacilitator: false, loneFacilitator: false });
    assertEqual(queryAllByRole(member, 'checkbox', 'Let people in without comparing codes').length, 0);
  });
});
