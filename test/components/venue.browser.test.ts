import '../../components/venue/hearth-venue.js';
import type { Intent, VenueView } from '../../src/app/state.js';
import { assert, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount } from './dom.js';
import { deepText, getByRole } from './queries.js';

const BASE: VenueView = { groupId: 'g1', groupName: 'Tuesday evening circle', peers: [], busy: false };
/** A real venue code's QR text (base45) and copy text: what the app would hand the screen. */
const CODE = { qr: 'V9CA9E7KS5Z2MN7F2ARDK0 PGIA9B7ZB7Z34NZ8', copy: 'AQEkJqnhtYzi1qJsWcg' };

async function screen(venue: Partial<VenueView> = {}) {
  const el = document.createElement('hearth-venue');
  el.venue = { ...BASE, ...venue };
  const intents: Intent[] = [];
  el.addEventListener('hearth-intent', (event) => intents.push(event.detail));
  return { el: await mount(el), intents };
}

describe('<hearth-venue>', () => {
  afterEach(cleanup);

  it('says what a meeting without internet needs, and asks for a code to show', async () => {
    const { el, intents } = await screen();
    assert(deepText(el).includes('same local network'), 'no word on the network it needs');
    getByRole(el, 'button', 'Show a code to scan').click();
    assertEqual(intents[0]?.type, 'venue-show-code');
    await expectNoAxeViolations(el, 'the venue screen');
  });

  it('shows the code as a QR image and as text to copy', async () => {
    const { el } = await screen({ code: { kind: 'offer', ...CODE } });
    getByRole(el, 'img', 'Meeting code for them to scan');
    assertEqual((getByRole(el, 'textbox', 'Code as text') as HTMLInputElement).value, CODE.copy);
    getByRole(el, 'button', 'Copy code');
    await expectNoAxeViolations(el, 'the venue screen with a code');
  });

  it('sends a pasted code as a venue-take-code intent', async () => {
    const { el, intents } = await screen();
    (getByRole(el, 'textbox', 'No camera? Paste a code') as HTMLInputElement).value = `  ${CODE.copy} `;
    getByRole(el, 'button', 'Use this code').click();
    assertEqual(JSON.stringify(intents[0]), JSON.stringify({ type: 'venue-take-code', text: CODE.copy, from: 'paste' }));
  });

  it('shows the short code to compare, who is connected, and a problem as an alert', async () => {
    const { el } = await screen({
      shortCode: '123 456',
      peers: [{ displayName: 'Ana', shortCode: '123 456' }],
      message: 'That code is incomplete. Please scan it again, or copy the whole code.',
    });
    assert(deepText(getByRole(el, 'status')).includes('123 456'), 'no short code in a status');
    assert(deepText(getByRole(el, 'alert')).includes('incomplete'), 'no alert');
    assert(deepText(el).includes('Ana'), 'no connected member');
    await expectNoAxeViolations(el, 'the venue screen connected');
  });

  it('ends the venue links on request', async () => {
    const { el, intents } = await screen();
    getByRole(el, 'button', 'End meeting without internet').click();
    assertEqual(intents[0]?.type, 'venue-end');
  });
});
