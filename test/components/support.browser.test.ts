import '../../components/agreement/hearth-agreement.js';
import '../../components/create-group/hearth-create-group.js';
import '../../components/support/hearth-support-alerts.js';
import '../../components/support/hearth-support-now.js';
import type { IncomingAlert, SupportScreen } from '../../src/app/supportState.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { BEN, CAL, T0 } from './fixtures.js';
import { deepText, getByRole, queryAllByRole } from './queries.js';

function supportScreen(fields: Partial<SupportScreen> = {}): SupportScreen {
  return {
    groupLines: [{ id: `${BEN}/line-abc`, name: 'City recovery line', phone: '+44 20 7946 0000', note: 'Weekdays 9–5' }],
    canEditLines: false,
    contacts: [{ name: 'Sam (sponsor)', phone: '07700 900123' }],
    incoming: [],
    ...fields,
  };
}

async function showSupport(support: SupportScreen, width = '320px') {
  const el = document.createElement('hearth-support-now');
  el.support = support;
  await mount(el, width);
  getByRole(el, 'button', 'Support now').click();
  await settle(el);
  return el;
}

const PALETTES = ['light', 'dark'] as const;
/** The palette, and the page behind a standalone view (Hearth's own background, as <hearth-app> paints it). */
function usePalette(palette: (typeof PALETTES)[number]): void {
  document.documentElement.style.colorScheme = palette;
  document.body.style.background = palette === 'dark' ? '#1b1613' : '#faf5ef';
}
afterEach(() => void (document.body.style.background = ''));

const ALERT: IncomingAlert = { authorId: CAL, name: 'Cal', alertId: 'a'.repeat(16), sentAt: T0, note: 'Bad night. Could use a voice.', answered: [] };

describe('Support now', () => {
  afterEach(cleanup);

  it('opens a dialog with the built-in crisis lines, as tel: links members cannot change', async () => {
    const el = await showSupport(supportScreen());
    getByRole(el, 'dialog', 'Support now');
    const builtIn = getByRole(el, 'list', 'Built-in crisis lines');
    const links = queryAllByRole(builtIn, 'link').map((a) => [a.textContent!.trim(), a.getAttribute('href')]);
    assertDeepEqual(links, [
      ['Call 112', 'tel:112'],
      ['Call 911', 'tel:911'],
      ['Call 988', 'tel:988'],
      ['Call 116 123', 'tel:116123'],
    ]);
    assertEqual(queryAllByRole(builtIn, 'button').length, 0, 'nothing to remove or edit');
    const group = getByRole(el, 'list', 'Lines this group added');
    assertEqual(getByRole(group, 'link', 'Call +44 20 7946 0000').getAttribute('href'), 'tel:+442079460000');
    assert(deepText(group).includes('Weekdays 9–5'), 'the note');
    assertEqual(queryAllByRole(el, 'button', /^Remove City/).length, 0, 'a member cannot remove the group’s lines');
    assertEqual(queryAllByRole(el, 'textbox', 'Line name').length, 0, 'nor add one');
  });

  for (const palette of PALETTES) {
    it(`has no axe violations at 320 px in the ${palette} palette, open and after an alert was sent`, async () => {
      usePalette(palette);
      const el = await showSupport(supportScreen({ canEditLines: true }));
      await expectNoAxeViolations(el, `Support now (${palette})`);
      el.support = supportScreen({
        mine: { sentAt: T0, note: 'Rough one', receivedBy: ['Ben'], answers: [{ name: 'Ben', kind: 'reply', body: 'Here for you.', sentAt: T0 }] },
      });
      await settle(el);
      await expectNoAxeViolations(el, `Support now with my alert out (${palette})`);
      const dialog = getByRole(el, 'dialog', 'Support now');
      assert(dialog.scrollWidth <= dialog.clientWidth + 1, `${dialog.scrollWidth}px wide content in a 320 px dialog`);
    });
  }

  it("sends \"I'm struggling\" with an optional note, and says plainly when nobody received it", async () => {
    const el = await showSupport(supportScreen());
    const intents = recordIntents(el);
    type(getByRole(el, 'textbox', 'A few words (optional)'), '  Could someone call me?  ');
    getByRole(el, 'button', 'Tell the members here now').click();
    assertDeepEqual(intents, [{ type: 'support-alert', note: 'Could someone call me?' }]);
    el.support = supportScreen({ mine: { sentAt: T0, receivedBy: [], answers: [] } });
    await settle(el);
    const text = deepText(el);
    assert(text.includes('Nobody has received it yet'), 'nobody');
    assert(text.includes('The crisis lines above are there for you'), 'points to the lines');
    getByRole(el, 'link', 'Call 988');
    getByRole(el, 'button', "I'm OK now").click();
    assertDeepEqual(intents.at(-1), { type: 'support-alert-end' });
  });

  it('shows who received my alert and their answers', async () => {
    const el = await showSupport(
      supportScreen({
        mine: {
          sentAt: T0,
          receivedBy: ['Ben', 'Cal'],
          answers: [
            { name: 'Ben', kind: 'calling', sentAt: T0 },
            { name: 'Cal', kind: 'reply', body: 'Thinking of you.', sentAt: T0 },
          ],
        },
      }),
    );
    const text = deepText(el);
    assert(text.includes('Received by: Ben, Cal.'), 'who received it');
    const answers = queryAllByRole(getByRole(el, 'list', 'Answers'), 'listitem').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    assertDeepEqual(answers, ['Ben: is calling you now.', 'Cal: Thinking of you.']);
  });

  it('lets a facilitator add and remove the group’s lines, checking the number first', async () => {
    const el = await showSupport(supportScreen({ canEditLines: true }));
    const intents = recordIntents(el);
    type(getByRole(el, 'textbox', 'Line name'), 'Gamblers helpline');
    type(getByRole(el, 'textbox', 'Line number'), 'call me');
    getByRole(el, 'button', 'Add line for the group').click();
    await settle(el);
    assert(deepText(el).includes('Enter a number to dial'), 'says what a number is');
    assertEqual(intents.length, 0);
    type(getByRole(el, 'textbox', 'Line number'), '0808 8020 133');
    await settle(el);
    assert(!deepText(el).includes('Enter a number to dial'), 'the message clears once fixed');
    getByRole(el, 'button', 'Add line for the group').click();
    getByRole(el, 'button', 'Remove City recovery line').click();
    assertDeepEqual(intents, [
      { type: 'add-crisis-line', name: 'Gamblers helpline', phone: '0808 8020 133' },
      { type: 'remove-crisis-line', id: `${BEN}/line-abc` },
    ]);
  });

  it('keeps my own people to call, with tel: links', async () => {
    const el = await showSupport(supportScreen());
    const intents = recordIntents(el);
    const list = getByRole(el, 'list', 'People I can call');
    assertEqual(getByRole(list, 'link', 'Call Sam (sponsor)').getAttribute('href'), 'tel:07700900123');
    type(getByRole(el, 'textbox', 'Name'), 'Mum');
    type(getByRole(el, 'textbox', 'Phone number'), '+353 1 555 0100');
    getByRole(el, 'button', 'Add person').click();
    getByRole(el, 'button', 'Remove Sam (sponsor)').click();
    assertDeepEqual(intents, [
      {
        type: 'set-contacts',
        contacts: [
          { name: 'Sam (sponsor)', phone: '07700 900123' },
          { name: 'Mum', phone: '+353 1 555 0100' },
        ],
      },
      { type: 'set-contacts', contacts: [] },
    ]);
  });
});

describe('<hearth-support-alerts>', () => {
  afterEach(cleanup);

  async function showAlerts(incoming: IncomingAlert[]) {
    const el = document.createElement('hearth-support-alerts');
    el.incoming = incoming;
    return mount(el, '320px');
  }

  it('shows who is struggling, prominently and announced, with a reply and a "calling you" answer', async () => {
    const el = await showAlerts([ALERT]);
    const intents = recordIntents(el);
    const region = getByRole(el, 'alert');
    getByRole(region, 'heading', 'Cal is struggling right now');
    assert(deepText(region).includes('Bad night. Could use a voice.'), 'their words');
    getByRole(el, 'button', "I'm calling you, Cal").click();
    getByRole(el, 'button', 'Send reply').click();
    await settle(el);
    assert(deepText(el).includes('Write a few words first.'), 'empty reply refused');
    type(getByRole(el, 'textbox', 'Reply to Cal'), 'On my way to the phone.');
    await settle(el);
    assert(!deepText(el).includes('Write a few words first.'), 'the message clears once fixed');
    getByRole(el, 'button', 'Send reply').click();
    assertDeepEqual(intents, [
      { type: 'support-answer', to: CAL, alertId: ALERT.alertId, kind: 'calling' },
      { type: 'support-answer', to: CAL, alertId: ALERT.alertId, kind: 'reply', body: 'On my way to the phone.' },
    ]);
  });

  for (const palette of PALETTES) {
    it(`has no axe violations at 320 px in the ${palette} palette`, async () => {
      usePalette(palette);
      const el = await showAlerts([ALERT, { ...ALERT, authorId: BEN, name: 'Ben', alertId: 'b'.repeat(16), answered: ['calling'] }]);
      await expectNoAxeViolations(el, `alerts (${palette})`);
      assert(deepText(el).includes('You answered: you are calling them.'), 'my answer noted');
    });
  }
});

describe('the join agreement and group templates', () => {
  afterEach(cleanup);

  for (const palette of PALETTES) {
    it(`shows the agreement with no axe violations at 320 px in the ${palette} palette`, async () => {
      usePalette(palette);
      const el = document.createElement('hearth-agreement');
      el.agreement = { groupName: 'Tuesday circle', focus: 'family-and-friends', guidelines: 'Be kind.' };
      el.error = 'Please tick the box to agree before joining.';
      await mount(el, '320px');
      await expectNoAxeViolations(el, `agreement (${palette})`);
      assert(deepText(el).includes('Family and friends'), 'the focus');
    });
  }

  it('suggests a focus and guidelines from a template, without overwriting my own words', async () => {
    const el = document.createElement('hearth-create-group');
    await mount(el, '320px');
    const template = getByRole(el, 'combobox', 'Start from a template') as HTMLSelectElement;
    assertDeepEqual(
      Array.from(template.options, (o) => o.textContent!.trim()),
      ['No template', 'Alcohol', 'Other drugs', 'Gambling', 'Family and friends', 'Dual diagnosis'],
    );
    template.value = 'gambling';
    template.dispatchEvent(new Event('change'));
    assertEqual((getByRole(el, 'combobox', 'Focus') as HTMLSelectElement).value, 'gambling');
    const guidelines = getByRole(el, 'textbox', 'Group guidelines') as HTMLTextAreaElement;
    assert(guidelines.value.includes('What is said here stays here'), 'confidentiality first');
    assert(guidelines.value.includes('No tips, odds or links to betting sites.'), 'gambling guidance');
    template.value = 'alcohol';
    template.dispatchEvent(new Event('change'));
    assert(guidelines.value.includes('day one or year ten'), 'an untouched suggestion follows the template');
    type(guidelines, 'Our own words.');
    template.value = 'dual-diagnosis';
    template.dispatchEvent(new Event('change'));
    assertEqual(guidelines.value, 'Our own words.', 'my words stay');
    assertEqual((getByRole(el, 'combobox', 'Focus') as HTMLSelectElement).value, 'dual-diagnosis');
    for (const palette of PALETTES) {
      usePalette(palette);
      await expectNoAxeViolations(el, `create group with a template (${palette})`);
    }
  });
});
