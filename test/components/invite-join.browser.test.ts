import '../../components/invite/hearth-invite.js';
import '../../components/join/hearth-join.js';
import { generate } from 'lean-qr';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { GROUP } from './fixtures.js';
import { deepElements, deepText, getByRole } from './queries.js';

const LINK = 'https://hearth.example/#invite=AxEiM0RVZneImaq7zN3u_wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fAA';
const KEY = 'k'.repeat(43);
const JOINER = 'j'.repeat(43);

async function inviteView(fields: Record<string, unknown> = {}) {
  const el = document.createElement('hearth-invite');
  Object.assign(el, { groupName: GROUP.name, link: LINK, groupId: GROUP.id, ...fields });
  return mount(el);
}

describe('<hearth-invite>', () => {
  let writeText: typeof navigator.clipboard.writeText;
  beforeEach(() => {
    writeText = navigator.clipboard.writeText;
  });
  afterEach(() => {
    Object.defineProperty(navigator.clipboard, 'writeText', { value: writeText, configurable: true });
    cleanup();
  });

  it('shows the link read-only, says it lets one person ask and holds no key, and draws it as a labelled QR code', async () => {
    const el = await inviteView();
    const field = getByRole(el, 'textbox', 'Invite link') as HTMLInputElement;
    assertEqual(field.value, LINK);
    assert(field.readOnly, 'the link field is read-only');
    const text = deepText(el);
    assert(text.includes('lets one person ask to join'), 'explains what the link does');
    assert(text.includes('holds no key'), 'and what it does not');
    const qr = getByRole(el, 'img', 'QR code of the invite link');
    assertEqual(qr.localName, 'svg', 'drawn as inline SVG, no image URL');
    assert(!deepElements(el).some((node) => node.localName === 'img' || node.localName === 'a'), 'no images or links');
    await expectNoAxeViolations(el, 'the invite view');
  });

  it('draws the same modules lean-qr encodes for the link', async () => {
    const el = await inviteView();
    const code = generate(LINK);
    const d = getByRole(el, 'img', 'QR code of the invite link').querySelector('path')!.getAttribute('d')!;
    let dark = 0;
    for (let y = 0; y < code.size; y++) for (let x = 0; x < code.size; x++) if (code.get(x, y)) dark++;
    assertEqual(d.split('M').length - 1, dark, 'one square per dark module');
    assert(d.startsWith('M0 0h1v1h-1z'), 'the finder pattern starts at the corner');
  });

  it('copies the link and says so politely', async () => {
    const copied: string[] = [];
    Object.defineProperty(navigator.clipboard, 'writeText', {
      value: async (text: string) => void copied.push(text),
      configurable: true,
    });
    const el = await inviteView();
    getByRole(el, 'button', 'Copy link').click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await settle(el);
    assertDeepEqual(copied, [LINK]);
    assertEqual(getByRole(el, 'status').textContent!.trim(), 'Copied');
  });

  it('selects the link and explains when copying is not allowed', async () => {
    Object.defineProperty(navigator.clipboard, 'writeText', {
      value: async () => {
        throw new DOMException('denied', 'NotAllowedError');
      },
      configurable: true,
    });
    const el = await inviteView();
    getByRole(el, 'button', 'Copy link').click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await settle(el);
    assert(getByRole(el, 'status').textContent!.includes("Couldn't copy"), 'says copying failed');
  });

  it('shows who is asking with their code, lets them in only once they agreed, and withdraws an open invite', async () => {
    const el = await inviteView({
      atDoor: [
        { inviteKey: KEY, member: JOINER, displayName: 'Jo', code: '123456', agreed: false },
        { inviteKey: KEY, member: 'm'.repeat(43), displayName: 'Mo', code: '654321', agreed: true },
      ],
      pending: [{ inviteKey: KEY, expiresAt: Date.UTC(2026, 11, 4) }],
    });
    const intents = recordIntents(el);
    assert(deepText(el).includes('code 123456'), 'shows the code to compare');
    assert((getByRole(el, 'button', 'Let Jo in') as HTMLButtonElement).disabled, 'not before Jo agreed');
    getByRole(el, 'button', 'Let Mo in').click();
    getByRole(el, 'button', 'Withdraw invite 1').click();
    assertDeepEqual(intents, [
      { type: 'admit-join', member: 'm'.repeat(43) },
      { type: 'revoke-invite', inviteKey: KEY },
    ]);
    await expectNoAxeViolations(el, 'the invite view with people asking');
  });

  it('goes back to the board', async () => {
    const el = await inviteView();
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Back to the board').click();
    assertDeepEqual(intents, [{ type: 'navigate', route: { name: 'board', groupId: GROUP.id } }]);
  });
});

describe('<hearth-join>', () => {
  afterEach(cleanup);

  async function agree(el: HTMLElement): Promise<void> {
    getByRole(el, 'checkbox', /^I agree to keep what is shared here confidential/).click();
    await settle(el);
  }

  async function joinView(needsName: boolean, joining?: unknown) {
    const el = document.createElement('hearth-join');
    Object.assign(el, { groupName: '', needsName, joining });
    return mount(el);
  }

  it('asks to join without asking for a name when there is one', async () => {
    const el = await joinView(false);
    const intents = recordIntents(el);
    getByRole(el, 'heading', "You've been invited to a group");
    assert(!deepText(el).includes('Display name'), 'does not ask for a name');
    getByRole(el, 'button', 'Ask to join').click();
    assertDeepEqual(intents, [{ type: 'accept-invite' }]);
    await expectNoAxeViolations(el, 'the join view');
  });

  it('shows what the newcomer agrees to, the focus, the guidelines and confidentiality, once the facilitator answers', async () => {
    const el = await joinView(false, { stage: 'offered', groupName: GROUP.name, focus: 'gambling', guidelines: 'Be kind.\nNo betting tips.', code: '123456' });
    getByRole(el, 'heading', 'Before you join');
    const text = deepText(el);
    assert(text.includes('Gambling'), 'the focus');
    assert(text.includes('No betting tips.'), 'the guidelines');
    assert(text.includes('What is said here stays here'), 'confidentiality');
    await expectNoAxeViolations(el, 'the agreement');
  });

  it('asks a new person for a display name and joins with it', async () => {
    const el = await joinView(true);
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Ask to join').click();
    await settle(el);
    assert(deepText(el).includes('Please choose a name'), 'asks for a name in plain words');
    assertEqual(intents.length, 0);
    await expectNoAxeViolations(el, 'the join view with an error');
    type(getByRole(el, 'textbox', 'Display name'), 'Jo');
    getByRole(el, 'button', 'Ask to join').click();
    assertDeepEqual(intents, [{ type: 'accept-invite', displayName: 'Jo' }]);
  });

  it('shows the group details, the guidelines and the code, and agrees', async () => {
    const el = await joinView(false, { stage: 'offered', groupName: GROUP.name, guidelines: GROUP.guidelines, code: '123456' });
    const intents = recordIntents(el);
    getByRole(el, 'heading', 'Join Tuesday evening circle?');
    assert(deepText(el).includes(GROUP.guidelines) && deepText(el).includes('123456'), 'guidelines and code');
    await expectNoAxeViolations(el, 'the join view with the group details');
    getByRole(el, 'button', 'I agree').click();
    await settle(el);
    assert(deepText(el).includes('Please tick the box to agree before joining.'), 'asks for the tick in plain words');
    assertDeepEqual(intents, []);
    await agree(el);
    assert(!deepText(el).includes('Please tick the box'), 'the error clears once fixed');
    getByRole(el, 'button', 'I agree').click();
    assertDeepEqual(intents, [{ type: 'agree-invite', agreed: true }]);
    Object.assign(el, { joining: { stage: 'agreed', groupName: GROUP.name, code: '123456' } });
    await settle(el);
    assert(deepText(el).includes('Waiting for the facilitator'), 'says it waits');
  });

  it('can be put off', async () => {
    const el = await joinView(false);
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Not now').click();
    assertDeepEqual(intents, [{ type: 'navigate', route: { name: 'groups' } }]);
  });
});
