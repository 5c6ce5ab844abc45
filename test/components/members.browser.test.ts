import '../../components/members/hearth-members.js';
import type { MembershipView } from '../../src/app/state.js';
import { assert, assertDeepEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle } from './dom.js';
import { GROUP, boardScreen } from './fixtures.js';
import { deepText, getByRole } from './queries.js';

/** The page behind the element in each scheme, as <hearth-app> paints it (see app.browser.test.ts). */
function useScheme(el: HTMLElement, scheme: 'light' | 'dark'): void {
  document.documentElement.style.colorScheme = scheme;
  el.parentElement!.style.background = scheme === 'dark' ? 'rgb(27, 22, 19)' : '#ffffff';
}

async function membersView(membership: MembershipView) {
  const el = document.createElement('hearth-members');
  Object.assign(el, { membership, groupId: GROUP.id });
  const mounted = await mount(el);
  // The list is folded behind "Members (n)" on the board; open it as a person would.
  (mounted.shadowRoot!.querySelector('summary') as HTMLElement | null)?.click();
  await mounted.updateComplete;
  return mounted;
}

describe('<hearth-members>', () => {
  afterEach(cleanup);

  it('lists members with the facilitator badge and who is here, and asks a lone facilitator to choose a second', async () => {
    const el = await membersView(boardScreen().membership);
    const text = deepText(el);
    assert(text.includes('Ana (you)') && text.includes('Facilitator') && text.includes('Here now'), 'names, badge, presence');
    assert(text.includes('only facilitator'), 'the prompt for a second facilitator');
    for (const scheme of ['light', 'dark'] as const) {
      useScheme(el, scheme);
      await expectNoAxeViolations(el, `the member list (${scheme})`);
    }
  });

  it('removes only after a confirmation that says what it does and does not do', async () => {
    const membership = boardScreen().membership;
    const el = await membersView(membership);
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Remove Ben').click();
    await settle(el);
    const dialog = getByRole(el, 'dialog', 'Remove Ben from the group?');
    const text = deepText(dialog);
    assert(text.includes('no longer be able to read anything shared from now on'), 'what it does');
    assert(text.includes('does not take back what they already read'), 'what it does not do');
    assertDeepEqual(intents, []);
    for (const scheme of ['light', 'dark'] as const) {
      useScheme(el, scheme);
      await expectNoAxeViolations(el, `the remove dialog (${scheme})`);
    }
    getByRole(el, 'button', 'Yes, remove Ben').click();
    assertDeepEqual(intents, [{ type: 'remove-member', member: membership.members[1]!.id }]);
  });

  it('makes a member a co-facilitator', async () => {
    const membership = boardScreen().membership;
    const el = await membersView(membership);
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Make Ben a facilitator').click();
    assertDeepEqual(intents, [{ type: 'appoint-facilitator', member: membership.members[1]!.id }]);
  });

  it('offers no facilitator tools to a member who is not one', async () => {
    const el = await membersView({ ...boardScreen().membership, viewerIsFacilitator: false, loneFacilitator: false });
    assert(!deepText(el).includes('Remove'), 'no remove button');
  });

  it('tells a removed device plainly and offers to delete the group from it', async () => {
    const el = await membersView({ ...boardScreen().membership, removed: true });
    const intents = recordIntents(el);
    assert(deepText(el).includes('You are no longer a member of this group'));
    getByRole(el, 'button', 'Delete this group from this device').click();
    assertDeepEqual(intents, [{ type: 'leave-group', groupId: GROUP.id }]);
    await expectNoAxeViolations(el, 'the removed notice');
  });
});
