import '../../components/invite/hearth-invite.js';
import '../../components/join/hearth-join.js';
import '../../components/venue/hearth-venue.js';
import type { Intent, JoiningView, MembershipView, VenueView } from '../../src/app/state.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { deepText, getByRole } from './queries.js';

/** A real venue code's QR text (base45) and copy text: what the app would hand the screen. */
const CODE = { qr: 'V9CA9E7KS5Z2MN7F2ARDK0 PGIA9B7ZB7Z34NZ8', copy: 'AQEkJqnhtYzi1qJsWcg' };
const MEMBER = 'm'.repeat(43);

/** The page behind the element in each scheme, as <hearth-app> paints it (see app.browser.test.ts). */
function useScheme(el: HTMLElement, scheme: 'light' | 'dark'): void {
  document.documentElement.style.colorScheme = scheme;
  el.parentElement!.style.background = scheme === 'dark' ? 'rgb(27, 22, 19)' : '#ffffff';
}

/** Clean in light and dark at 320 px, with nothing wider than the screen. */
async function expectCleanAt320(el: HTMLElement, what: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    useScheme(el, scheme);
    await expectNoAxeViolations(el, `${what} (${scheme})`);
  }
  const container = el.parentElement!;
  assert(container.scrollWidth <= container.clientWidth, `${container.scrollWidth}px wide content in 320px`);
}

async function joinScreen(joining?: JoiningView, needsName = false): Promise<{ el: HTMLElement; intents: Intent[] }> {
  const el = document.createElement('hearth-join');
  Object.assign(el, { joining, needsName });
  const intents = recordIntents(el);
  return { el: await mount(el, '320px'), intents };
}

describe('<hearth-join> at a meeting without internet', () => {
  afterEach(cleanup);

  it('offers to join here at the meeting, with the name it needs', async () => {
    const { el, intents } = await joinScreen(undefined, true);
    getByRole(el, 'button', 'Join here at the meeting').click();
    assertDeepEqual(intents, [], 'no name yet: nothing asked');
    type(getByRole(el, 'textbox', 'Display name'), ' Cleo ');
    getByRole(el, 'button', 'Join here at the meeting').click();
    assertDeepEqual(intents, [{ type: 'join-at-venue', displayName: 'Cleo' }]);
    await expectCleanAt320(el, 'the join screen');
  });

  it('asks the newcomer to scan the facilitator’s code, by camera or pasted', async () => {
    const { el, intents } = await joinScreen({ stage: 'asking', venue: { busy: false } });
    getByRole(el, 'heading', 'Join at the meeting');
    getByRole(el, 'button', 'Scan a code');
    type(getByRole(el, 'textbox', 'No camera? Paste a code'), ` ${CODE.copy} `);
    getByRole(el, 'button', 'Use this code').click();
    assertDeepEqual(intents, [{ type: 'venue-take-code', text: CODE.copy, from: 'paste' }]);
    await expectCleanAt320(el, 'scanning the facilitator’s code');
  });

  it('shows the answer code as a QR image and as text, with the code both phones compare', async () => {
    const { el } = await joinScreen({ stage: 'asking', venue: { busy: false, code: CODE, shortCode: '123 456' } });
    getByRole(el, 'img', 'Answer code for the facilitator to scan');
    assertEqual((getByRole(el, 'textbox', 'Code as text') as HTMLInputElement).value, CODE.copy);
    getByRole(el, 'button', 'Copy code');
    assert(deepText(el).includes('Check that both phones show the same code: 123 456'), 'no short code');
    await expectCleanAt320(el, 'the answer code');
  });

  it('says plainly what went wrong with a code, and goes back on "Not now"', async () => {
    const { el, intents } = await joinScreen({ stage: 'asking', venue: { busy: false, message: 'That code is incomplete. Please scan it again, or copy the whole code.' } });
    assert(deepText(getByRole(el, 'alert')).includes('incomplete'), 'no alert');
    await expectCleanAt320(el, 'a problem with the code');
    getByRole(el, 'button', 'Not now').click();
    assertDeepEqual(intents, [{ type: 'navigate', route: { name: 'groups' } }]);
  });
});

describe('<hearth-venue> for a facilitator', () => {
  afterEach(cleanup);

  const VENUE: VenueView = { groupId: 'g1', groupName: 'Tuesday evening circle', peers: [], busy: false };
  const AT_DOOR: MembershipView['atDoor'] = [{ inviteKey: 'k'.repeat(43), member: MEMBER, displayName: 'Cleo', code: '482 913', agreed: true }];

  it('invites someone new and lets in a newcomer who agreed, showing their code', async () => {
    const el = document.createElement('hearth-venue');
    Object.assign(el, { venue: VENUE, canInvite: true, atDoor: AT_DOOR });
    const intents = recordIntents(el);
    await mount(el, '320px');
    assert(deepText(el).includes('Cleo — code 482 913'), 'the newcomer and their code');
    getByRole(el, 'button', 'Let Cleo in').click();
    getByRole(el, 'button', 'Invite someone new').click();
    assertDeepEqual(intents, [
      { type: 'admit-join', member: MEMBER },
      { type: 'navigate', route: { name: 'invite', groupId: 'g1' } },
    ]);
    await expectCleanAt320(el, 'the venue screen with a newcomer');
  });

  it('shows no invite controls to a member who is not a facilitator', async () => {
    const el = document.createElement('hearth-venue');
    Object.assign(el, { venue: VENUE });
    await mount(el, '320px');
    await settle(el);
    assert(!deepText(el).includes('Someone new'), 'invite controls shown to a member');
  });
});

describe('<hearth-invite> during a meeting without internet', () => {
  afterEach(cleanup);

  it('leads back to the meeting, not the board', async () => {
    const el = document.createElement('hearth-invite');
    Object.assign(el, { groupName: 'Tuesday evening circle', link: 'https://hearth.example/#invite=abc', groupId: 'g1', meeting: true });
    const intents = recordIntents(el);
    await mount(el, '320px');
    getByRole(el, 'button', 'Back to the meeting').click();
    assertDeepEqual(intents, [{ type: 'navigate', route: { name: 'venue', groupId: 'g1' } }]);
    await expectCleanAt320(el, 'the invite screen at a meeting');
  });
});
